// Proof-of-possession tokens through WAM, under Wine, against the stand-in WAM: what Microsoft's own
// WAM client (MSALRuntime) asks WAM for, that ours asks the same, and that the credential hands out
// the signed HTTP request (SHR) WAM answers with, bound to the resource request and to WAM's key.
// Facts: test/wine/standInWam/README.md, "Proof of possession".
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createPublicKey, verify } from "node:crypto";
import { writeFileSync } from "node:fs";
import { explainRun } from "./wine.mjs";
import { CLIENT_ID, TENANT, script, wamAccount, withStandInWam } from "./wamFixture.mjs";

const SCOPE = "https://graph.microsoft.com/.default";
const unb64 = (part) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
const oid = "aaaaaaaa-0000-4000-8000-000000000001";
const alice = wamAccount("wam-account-alice", "alice@contoso.com", oid, { accessToken: "wam-bearer-token-for-alice" });

let prefix;
let wam;
withStandInWam((fixture) => ({ prefix, wam } = fixture));

const tokenCalls = () => wam.calls().filter((c) => /^(GetToken|RequestToken)/.test(c.call) && c.clientId === CLIENT_ID);

async function popScenario(requests, credentialOptions = {}) {
  const run = await prefix.node(script("pop.mjs"), {
    env: {
      ...wam.env,
      SCENARIO: JSON.stringify({
        clientId: CLIENT_ID,
        tenantId: TENANT,
        authorityHost: "https://login.microsoftonline.com",
        scope: SCOPE,
        requests,
        credentialOptions,
      }),
    },
  });
  assert.ok(Array.isArray(run.result), explainRun(run));
  return run.result;
}

/** The SHR's parts, after checking its signature with the key it names, and that its token is bound to that key. */
function openShr(shr) {
  const [h, p, s] = shr.split(".");
  const header = unb64(h);
  const payload = unb64(p);
  assert.equal(header.typ, "pop");
  assert.equal(header.alg, "RS256");
  const jwk = payload.cnf?.jwk;
  assert.ok(jwk?.n && jwk?.e, `the SHR carries its public key: ${JSON.stringify(payload.cnf)}`);
  assert.ok(
    verify("sha256", Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: "jwk" }), Buffer.from(s, "base64url")),
    "the SHR's signature verifies with its cnf key",
  );
  const thumbprint = createHash("sha256")
    .update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }))
    .digest("base64url");
  assert.equal(header.kid, thumbprint);
  const at = unb64(payload.at.split(".")[1]);
  assert.equal(at.cnf?.kid, thumbprint, "the access token inside is bound to the SHR's key (RFC 7638 thumbprint)");
  return { header, payload, at };
}

test("Microsoft's WAM client asks WAM for a PoP token with token_type=shr and the shr_* app properties; ours asks the same", async () => {
  const resource = { method: "POST", url: "https://resource.contoso.com:8443/api/items?page=2", nonce: "nonce-from-resource" };
  wam.script({ defaultAccountId: alice.id, accounts: [alice] });
  writeFileSync(wam.files.state, JSON.stringify({ signedIn: [alice.id] }));
  const theirs = await prefix.node(script("msalRuntime.mjs"), { env: { ...wam.env, CLIENT_ID, POP_REQUEST: JSON.stringify(resource) } });
  assert.ok(theirs.result?.runtimeLoaded, explainRun(theirs));
  const msalRuntime = tokenCalls().find((c) => c.properties.token_type);
  assert.ok(msalRuntime, `MSALRuntime asked for a PoP token: ${JSON.stringify(wam.calls())}`);
  // (Under Wine MSALRuntime then fails to open WAM's key through NCrypt, which Wine 8 cannot; what it
  // asked for is what matters here.)

  wam.reset();
  wam.script({ accounts: [alice] });
  const [ours] = await popScenario([resource]);
  assert.equal(ours.error, undefined, JSON.stringify(ours.error));
  const call = tokenCalls()[0];
  assert.equal(call.call, "RequestTokenForWindowAsync");
  assert.equal(call.properties.token_type, msalRuntime.properties.token_type);
  assert.deepEqual(call.appProperties, msalRuntime.appProperties);
  assert.deepEqual(call.appProperties, {
    shr_method: "POST",
    shr_u: "resource.contoso.com:8443",
    shr_p: "/api/items",
    shr_nonce: "nonce-from-resource",
    shr_add_timestamp: "1",
  });
});

test("getToken with proofOfPossessionOptions gives WAM's SHR as a pop token; another URL gets a new SHR; Bearer stays Bearer", async () => {
  wam.script({ accounts: [alice] });
  const first = { method: "POST", url: "https://resource.contoso.com/api/orders", nonce: "nonce-1" };
  const second = { method: "GET", url: "https://other.contoso.com/v1/items?q=1" };
  const [a, b, bearer] = await popScenario([first, second, { bearer: true }]);
  for (const r of [a, b, bearer]) assert.equal(r.error, undefined, JSON.stringify(r.error));

  assert.equal(a.tokenType, "pop");
  const shrA = openShr(a.token);
  assert.equal(shrA.payload.m, "POST");
  assert.equal(shrA.payload.u, "resource.contoso.com");
  assert.equal(shrA.payload.p, "/api/orders");
  assert.equal(shrA.payload.nonce, "nonce-1");
  assert.equal(typeof shrA.payload.ts, "number");
  assert.equal(shrA.at.oid, oid);
  assert.ok(Math.abs(a.expiresOnTimestamp - shrA.at.exp * 1000) < 5_000, "expiry: the bound access token's");

  assert.equal(b.tokenType, "pop");
  assert.notEqual(b.token, a.token, "a new SHR for another resource request");
  const shrB = openShr(b.token);
  assert.deepEqual(
    [shrB.payload.m, shrB.payload.u, shrB.payload.p, shrB.payload.nonce],
    ["GET", "other.contoso.com", "/v1/items", undefined],
  );
  assert.equal(shrB.header.kid, shrA.header.kid, "one WAM key");

  assert.equal(bearer.tokenType, "Bearer");
  assert.equal(bearer.token, alice.accessToken);

  const calls = tokenCalls();
  assert.equal(calls[0].call, "RequestTokenForWindowAsync", JSON.stringify(calls));
  assert.equal(calls[0].hwnd, "0xdeadbeef");
  const popCalls = calls.filter((c) => c.properties.token_type === "shr");
  assert.equal(popCalls.length, 2, "each PoP token was WAM's, none from msal's cache");
  assert.equal(popCalls[1].call, "GetTokenSilentlyWithWebAccountAsync", "the second, silently for the signed-in account");
  assert.deepEqual(popCalls[1].appProperties, {
    shr_method: "GET",
    shr_u: "other.contoso.com",
    shr_p: "/v1/items",
    shr_add_timestamp: "1",
  });
  assert.ok(
    calls.filter((c) => !c.properties.token_type).every((c) => c.appProperties === undefined),
    "a Bearer request carries no PoP properties",
  );
});

test("a WAM that answers a PoP request with a bearer token gives CredentialUnavailableError POP_UNSUPPORTED, never the bearer token as pop", async () => {
  wam.script({ accounts: [alice], noSignedHttpRequests: true });
  const [r] = await popScenario([{ method: "GET", url: "https://resource.contoso.com/x" }]);
  assert.equal(r.token, undefined);
  assert.equal(r.error?.name, "CredentialUnavailableError", JSON.stringify(r));
  assert.equal(r.error.code, "POP_UNSUPPORTED");
  assert.match(r.error.message, /bearer token/);
});

test("useDefaultBrokerAccount: the OS default account's PoP token comes silently (GetTokenSilentlyAsync with token_type=shr)", async () => {
  wam.script({ defaultAccountId: alice.id, accounts: [alice] });
  const [r] = await popScenario([{ method: "PUT", url: "https://resource.contoso.com/files/1", nonce: "n-default" }], {
    useDefaultBrokerAccount: true,
  });
  assert.equal(r.error, undefined, JSON.stringify(r.error));
  assert.equal(r.tokenType, "pop");
  const { payload } = openShr(r.token);
  assert.deepEqual([payload.m, payload.u, payload.p, payload.nonce], ["PUT", "resource.contoso.com", "/files/1", "n-default"]);
  const calls = tokenCalls();
  assert.deepEqual(
    calls.map((c) => c.call),
    ["GetTokenSilentlyAsync"],
    "no prompt",
  );
  assert.equal(calls[0].properties.token_type, "shr");
});
