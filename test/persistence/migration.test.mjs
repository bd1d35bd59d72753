// A user moving from @azure/identity keeps their sign-in: @azure/identity with
// @azure/identity-cache-persistence writes the cache, entra-broker (default name) reads it from the
// same keyring and files; and back. @azure/identity trusts the dev authority through NODE_EXTRA_CA_CERTS.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { DevAuthority } from "entra-broker-devtools";
import { startSecretService, runChild } from "../helpers/persistence.mjs";

const SCOPE = "https://graph.microsoft.com/.default";
let authority;
let secrets;
let base;
let env;

before(async () => {
  authority = await DevAuthority.start();
  secrets = await startSecretService();
  base = { url: authority.url, caPath: authority.caPath, tenant: authority.tenants[0].tenantId, user: authority.users[0], scope: SCOPE };
  env = { ...secrets.env, NODE_EXTRA_CA_CERTS: authority.caPath };
});
after(async () => {
  await secrets?.stop();
  await authority?.close();
});

test("@azure/identity signs in and persists; entra-broker gets the token from that cache with no request", async () => {
  const theirs = await runChild({ ...base, action: "identitySignIn" }, env);
  assert.equal(theirs.ok, true, JSON.stringify(theirs.error));
  const { entries } = await runChild({ action: "entries" }, env);
  assert.deepEqual(
    entries.map((e) => e.account),
    ["MSALCache"],
    "@azure/identity's one keyring entry",
  );
  authority.resetCounters();
  const ours = await runChild({ ...base, action: "silent", record: theirs.record }, env);
  assert.equal(ours.ok, true, JSON.stringify(ours.error));
  assert.equal(authority.counters.token, 0, "the access token @azure/identity cached");
  assert.equal(authority.counters.devicecode + authority.counters.authorize, 0);
});

test("CAE requests too: our default CAE cache starts from @azure/identity's shared entry", async () => {
  const theirs = await runChild({ ...base, action: "identitySignIn", user: authority.users[1] }, env);
  assert.equal(theirs.ok, true, JSON.stringify(theirs.error));
  authority.resetCounters();
  const cae = await runChild({ ...base, action: "silent", record: theirs.record, enableCae: true }, env);
  assert.equal(cae.ok, true, JSON.stringify(cae.error));
  assert.equal(authority.counters.devicecode + authority.counters.authorize, 0, "no new sign-in");
});

test("entra-broker refreshes into the shared cache and @azure/identity reads it back", async () => {
  const ours = await runChild({ ...base, action: "signIn" }, env);
  assert.equal(ours.ok, true, JSON.stringify(ours.error));
  authority.resetCounters();
  const theirs = await runChild({ ...base, action: "identitySilent", record: ours.record }, env);
  assert.equal(theirs.ok, true, JSON.stringify(theirs.error));
  assert.equal(authority.counters.token, 0, "@azure/identity found our access token");
  // Both users' sign-ins are in the one cache now.
  const { value } = await runChild({ action: "getEntry", account: "MSALCache" }, env);
  const users = Object.values(JSON.parse(value).Account)
    .map((a) => a.username)
    .sort();
  assert.deepEqual(
    users,
    authority.users
      .slice(0, 2)
      .map((u) => u.username)
      .sort(),
  );
});
