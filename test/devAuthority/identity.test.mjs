// @azure/identity 4.13.1 (with its own msal-node) signing in against the dev authority, in a child
// process that trusts the authority's CA through NODE_EXTRA_CA_CERTS=caPath (nothing global here).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, test } from "node:test";
import { DevAuthority } from "entra-broker-devtools";
import { completeDeviceCodeOverHttp } from "../helpers/devAuthorityBrowser.mjs";
import { decodeJwt } from "./util.mjs";

let authority;
before(async () => {
  authority = await DevAuthority.start();
});
after(() => authority.close());

const CHILD = `
import { DeviceCodeCredential } from "@azure/identity";
const cred = new DeviceCodeCredential({
  tenantId: process.env.TENANT,
  clientId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
  authorityHost: process.env.AUTHORITY,
  disableInstanceDiscovery: true,
  userPromptCallback: (info) => process.stdout.write(JSON.stringify({ prompt: info }) + "\\n"),
});
const t1 = await cred.getToken("https://graph.microsoft.com/.default");
const t2 = await cred.getToken("https://graph.microsoft.com/.default");
process.stdout.write(JSON.stringify({ token: t1.token, same: t1.token === t2.token, expiresOnTimestamp: t1.expiresOnTimestamp }) + "\\n");
`;

test("@azure/identity DeviceCodeCredential gets a token from the dev authority", { timeout: 60000 }, async () => {
  const child = spawn(process.execPath, ["--input-type=module", "-e", CHILD], {
    cwd: new URL("../..", import.meta.url),
    env: { ...process.env, NODE_EXTRA_CA_CERTS: authority.caPath, AUTHORITY: authority.url, TENANT: "contoso.example" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const lines = [];
  let buf = "";
  const done = new Promise((resolve) => child.on("exit", resolve));
  const result = await new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        const msg = JSON.parse(buf.slice(0, i));
        buf = buf.slice(i + 1);
        lines.push(msg);
        if (msg.prompt) {
          completeDeviceCodeOverHttp(msg.prompt.verificationUri, msg.prompt.userCode, {
            ca: authority.ca,
            username: "ada@contoso.example",
            password: "ada-password",
          }).catch(reject);
        }
        if (msg.token) resolve(msg);
      }
    });
    done.then((code) => reject(new Error(`child exited ${code}: ${stderr}`)));
  });
  await done;
  const at = decodeJwt(result.token).payload;
  assert.equal(at.upn, "ada@contoso.example");
  assert.equal(at.tid, authority.tenants[0].tenantId);
  assert.equal(result.same, true, "second getToken served from the cache");
  assert.ok(result.expiresOnTimestamp > Date.now());
  assert.match(lines[0].prompt.message, /devicelogin/);
});
