// Every managed identity source msal-node knows, end to end against the dev authority's endpoints:
// our ManagedIdentityCredential and @azure/identity's (the real peer), each in a child process
// whose environment points msal-node's source detection at one endpoint.
import assert from "node:assert/strict";
import { createPublicKey, verify } from "node:crypto";
import { mkdirSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { runChild, startManagedIdentity } from "./helpers.mjs";

// msal-node accepts Azure Arc's key file only in the agent's folder (fixed on Linux): usable as root.
const ARC_FOLDER = "/var/opt/azcmagent/tokens";
const arcUsable = process.platform === "linux" && process.getuid?.() === 0;

let world;
before(async () => {
  if (arcUsable) mkdirSync(ARC_FOLDER, { recursive: true });
  world = await startManagedIdentity(arcUsable ? { arcKeyFolder: ARC_FOLDER } : {});
});
after(() => world?.close());

function splitJwt(token) {
  const [header, payload, signature] = token.split(".");
  const { kid } = JSON.parse(Buffer.from(header, "base64url").toString());
  return { kid, header, payload, signature };
}

const SOURCES = ["imds", "appService", "cloudShell", "azureArc", "serviceFabric", "machineLearning"];

describe("each managed identity source, ours and @azure/identity's", () => {
  for (const source of SOURCES) {
    for (const impl of ["ours", "anchor"]) {
      test(`${source}: ${impl}`, { skip: source === "azureArc" && !arcUsable && "needs root for /var/opt/azcmagent/tokens" }, async () => {
        const { mi, authority } = world;
        const before = mi.counters[source].tokens;
        const run = await runChild(mi, source, { impl, calls: 2 });
        assert.equal(run.code, 0, run.stderr);
        const [first, second] = run.lines;
        assert.equal(first.ok, true, JSON.stringify(first));
        assert.equal(first.claims.aud, "https://management.azure.com");
        assert.equal(first.claims.appid, mi.systemAssigned.clientId);
        assert.equal(first.claims.oid, mi.systemAssigned.objectId);
        assert.equal(first.claims.xms_mirid, mi.systemAssigned.resourceId);
        assert.equal(first.claims.iss, `${authority.url}/${authority.tenants[0].tenantId}/v2.0`);
        assert.ok(first.expiresOnTimestamp > Date.now() + 50 * 60_000);
        // The second call is served from memory: one token issued per process.
        assert.equal(second.ok, true);
        assert.equal(mi.counters[source].tokens - before, 1);
        if (source === "azureArc") assert.ok(mi.counters.azureArc.challenges >= 1);
      });
    }
  }

  test("the tokens are signed with the dev authority's key", async () => {
    const { mi, authority } = world;
    const run = await runChild(mi, "appService", { impl: "ours", rawToken: true });
    assert.equal(run.lines[0].ok, true);
    const { kid, header, payload, signature } = splitJwt(run.lines[0].token);
    const jwk = await jwks(authority).then((keys) => keys.find((k) => k.kid === kid));
    assert.ok(jwk, "the token's kid is in the authority's JWKS");
    const ok = verify(
      "sha256",
      Buffer.from(`${header}.${payload}`),
      { key: createPublicKey({ key: jwk, format: "jwk" }), dsaEncoding: "ieee-p1363" },
      Buffer.from(signature, "base64url"),
    );
    assert.equal(ok, true);
  });
});

async function jwks(authority) {
  const https = await import("node:https");
  return new Promise((resolve, reject) => {
    https
      .get(`${authority.url}/common/discovery/v2.0/keys`, { ca: authority.ca }, (res) => {
        let text = "";
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve(JSON.parse(text).keys));
      })
      .on("error", reject);
  });
}
