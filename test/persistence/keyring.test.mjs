// The persistent token cache against a real Secret Service (gnome-keyring on a private D-Bus, HOME
// in a temp folder), used from separate processes as restarts would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { persistenceWorld } from "../helpers/persistence.mjs";

const SCOPE = "https://graph.microsoft.com/.default";
const world = persistenceWorld(SCOPE);

const run = world.run;
const entries = async () => (await run({ action: "entries" })).entries;

test("persistenceStatus: libsecret, encrypted, in ~/.IdentityService; the probe leaves nothing behind", async () => {
  const status = await run({ action: "status" });
  assert.equal(status.ok, true);
  assert.equal(status.backend, "libsecret");
  assert.equal(status.available, true);
  assert.equal(status.encrypted, true);
  assert.equal(status.location, path.join(world.secrets.home, ".IdentityService", "msal.cache.nocae"));
  assert.deepEqual(
    readdirSync(path.join(world.secrets.home, ".IdentityService")),
    [],
    "no probe left, and no cache created by a status check",
  );
  assert.equal((await entries()).filter((e) => e.account.startsWith("probe-")).length, 0);
});

test("signed in in one process, a second process gets a token silently: no authorize, device code or token request", async () => {
  const signIn = await run({ action: "signIn" });
  assert.equal(signIn.ok, true, JSON.stringify(signIn.error));
  assert.equal(signIn.exitCode, 0);
  world.authority.resetCounters();
  const silent = await run({ action: "silent", record: signIn.record });
  assert.equal(silent.ok, true, JSON.stringify(silent.error));
  assert.equal(world.authority.counters.authorize, 0);
  assert.equal(world.authority.counters.devicecode, 0);
  assert.equal(world.authority.counters.token, 0, "the access token came from the persisted cache");
  // The tokens rest in the keyring; the file beside it is only the change marker.
  const cache = (await entries()).find((e) => e.account === "MSALCache");
  assert.ok(cache && cache.json && cache.length > 1000, "the cache is in @azure/identity's keyring entry");
});

test("tokens acquired after the first save stay in the process and in the persisted cache", async () => {
  const other = ["https://storage.azure.com/.default", "https://vault.azure.net/.default", "https://management.azure.com/.default"];
  const first = await run({ action: "signInThenOtherScopes", otherScopes: other, persistence: { name: "after.save" } });
  assert.equal(first.ok, true, JSON.stringify(first.error));
  // A second process finds every one of them in the persisted cache: no token request.
  world.authority.resetCounters();
  const signIn = await run({ action: "signIn", persistence: { name: "after.save" } });
  for (const scope of other) {
    const silent = await run({ action: "silent", record: signIn.record, scope, persistence: { name: "after.save" } });
    assert.equal(silent.ok, true, `${scope}: ${JSON.stringify(silent.error)}`);
  }
  assert.equal(world.authority.counters.tokenByGrant?.refresh_token ?? 0, 0, JSON.stringify(world.authority.counters.tokenByGrant));
});

test("names isolate: another name neither reads nor writes the default name's file or entry", async () => {
  const signIn = await run({ action: "signIn" });
  const other = await run({ action: "silent", record: signIn.record, persistence: { name: "other.app" } });
  assert.equal(other.ok, false);
  assert.equal(other.error.name, "AuthenticationRequiredError", "nothing of the default cache is visible under another name");
  const signedInOther = await run({ action: "signIn", user: world.authority.users[1], persistence: { name: "other.app" } });
  assert.equal(signedInOther.ok, true);
  const back = await run({ action: "silent", record: signedInOther.record });
  assert.equal(back.error?.name, "AuthenticationRequiredError", "and the other name's sign-in is not visible under the default");
  const accounts = (await entries()).map((e) => e.account);
  assert.ok(accounts.includes("MSALCache") && accounts.includes("other.app.nocae"), accounts.join());
  assert.ok(existsSync(path.join(world.secrets.home, ".IdentityService", "other.app.nocae")));
});

test("CAE and non-CAE caches are separate entries and files", async () => {
  const persistence = { name: "cae.test" };
  const signIn = await run({ action: "signIn", enableCae: true, persistence });
  assert.equal(signIn.ok, true, JSON.stringify(signIn.error));
  const accounts = (await entries()).map((e) => e.account);
  assert.ok(accounts.includes("cae.test.cae") && !accounts.includes("cae.test.nocae"), accounts.join());
  world.authority.resetCounters();
  const cae = await run({ action: "silent", record: signIn.record, enableCae: true, persistence });
  assert.equal(cae.ok, true, JSON.stringify(cae.error));
  assert.equal(world.authority.counters.token, 0);
  const nocae = await run({ action: "silent", record: signIn.record, persistence });
  assert.equal(nocae.error?.name, "AuthenticationRequiredError", "the non-CAE cache has no sign-in of its own");
  assert.ok(existsSync(path.join(world.secrets.home, ".IdentityService", "cae.test.cae")));
});

test("an invalid name is refused at construction with a stable code", async () => {
  const { DeviceCodeCredential } = await import("entra-broker");
  for (const name of ["../x", "a/b", "", "..", ".hidden", "x".repeat(101)]) {
    assert.throws(
      () => new DeviceCodeCredential({ tokenCachePersistenceOptions: { enabled: true, name } }),
      { code: "INVALID_CACHE_NAME" },
      name,
    );
  }
});

test("the persisted cache is read when another process changed it, not on every getToken", async () => {
  const signIn = await run({ action: "signIn" });
  const result = await run({
    action: "loads",
    record: signIn.record,
    otherScope: "https://storage.azure.com/.default",
    thirdScope: "https://vault.azure.net/.default",
    otherUser: world.authority.users[1],
  });
  assert.equal(result.ok, true, JSON.stringify(result.error));
  const c = result.counts;
  assert.equal(c.first, 1, "the first getToken loads the cache once");
  assert.deepEqual(c.firstCalls, ["getPassword MSALCache"], "one keyring round trip: a cache read back proves the store, no probe writes");
  assert.equal(c.again, 1, "a cached token costs no load");
  assert.equal(c.otherScope, 1, "a refresh in this process does not reload what it wrote");
  assert.equal(c.newCredential, 2, "a new credential loads once");
  assert.equal(c.afterOtherProcess, 3, "another process's write is read once");
});

test("a truncated cache is moved aside with a warning; the user signs in again and it persists again", async () => {
  const signIn = await run({ action: "signIn" });
  const { value } = await run({ action: "getEntry", account: "MSALCache" });
  await run({ action: "setEntry", account: "MSALCache", value: value.slice(0, Math.floor(value.length / 2)) });
  const broken = await run({ action: "silent", record: signIn.record }, { AZURE_LOG_LEVEL: "warning" });
  assert.equal(broken.ok, false);
  assert.equal(broken.error.name, "AuthenticationRequiredError", "no crash: the user must sign in again");
  assert.equal(broken.exitCode, 0);
  assert.match(broken.stderr, /could not be read .*moved aside/, "with a warning");
  const aside = await run({ action: "getEntry", account: "MSALCache.corrupt" });
  assert.equal(aside.value, value.slice(0, Math.floor(value.length / 2)), "the corrupt cache was kept aside");
  const again = await run({ action: "signIn" });
  assert.equal(again.ok, true);
  world.authority.resetCounters();
  const silent = await run({ action: "silent", record: again.record });
  assert.equal(silent.ok, true, "not an empty cache that stays empty");
  assert.equal(world.authority.counters.token, 0);
});

// What a persisted-cache sign-in loads: msal-node-extensions' persistence classes, never its broker
// module and @azure/msal-node-runtime (about 70 ms of native library we never use).
test("a fresh process's silent getToken from the persisted cache never loads @azure/msal-node-runtime", async () => {
  const signIn = await run({ action: "signIn" });
  assert.equal(signIn.ok, true, JSON.stringify(signIn.error));
  assert.equal(signIn.runtimeLoaded, false, "signing in with persistence loaded msal-node-runtime");
  world.authority.resetCounters();
  const silent = await run({ action: "silent", record: signIn.record });
  assert.equal(silent.ok, true, JSON.stringify(silent.error));
  assert.equal(world.authority.counters.token, 0, "the token came from the persisted cache");
  assert.equal(silent.loaded, true, "the persistence classes were loaded");
  assert.equal(silent.runtimeLoaded, false, "msal-node-runtime was loaded");
});
