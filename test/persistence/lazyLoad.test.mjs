// What a persisted-cache sign-in loads: msal-node-extensions' persistence classes, never its broker
// module and @azure/msal-node-runtime (about 70 ms of native library we never use).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { DevAuthority } from "entra-broker-devtools";
import { startSecretService, runChild } from "../helpers/persistence.mjs";

const SCOPE = "https://graph.microsoft.com/.default";
let authority;
let secrets;
let base;

before(async () => {
  authority = await DevAuthority.start();
  secrets = await startSecretService();
  base = { url: authority.url, caPath: authority.caPath, tenant: authority.tenants[0].tenantId, user: authority.users[0], scope: SCOPE };
});
after(async () => {
  await secrets?.stop();
  await authority?.close();
});

test("a fresh process's silent getToken from the persisted cache never loads @azure/msal-node-runtime", async () => {
  const signIn = await runChild({ ...base, action: "signIn" }, secrets.env);
  assert.equal(signIn.ok, true, JSON.stringify(signIn.error));
  assert.equal(signIn.runtimeLoaded, false, "signing in with persistence loaded msal-node-runtime");
  authority.resetCounters();
  const silent = await runChild({ ...base, action: "silent", record: signIn.record }, secrets.env);
  assert.equal(silent.ok, true, JSON.stringify(silent.error));
  assert.equal(authority.counters.token, 0, "the token came from the persisted cache");
  assert.equal(silent.loaded, true, "the persistence classes were loaded");
  assert.equal(silent.runtimeLoaded, false, "msal-node-runtime was loaded");
});
