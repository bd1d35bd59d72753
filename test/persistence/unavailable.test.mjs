// When the secret store cannot be used: a locked keyring, no Secret Service, no D-Bus at all, keytar
// not built. Each is "encrypted storage unavailable" (CredentialUnavailableError with the reason),
// or the plaintext file (0600 in a 0700 folder) when unsafeAllowUnencryptedStorage is set.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DevAuthority } from "entra-broker-devtools";
import { lockKeyring, startPrivateBus, startSilentSecretService } from "../helpers/privateBus.mjs";
import { startSecretService, runChild, tempHome } from "../helpers/persistence.mjs";

const SCOPE = "https://graph.microsoft.com/.default";
const NO_KEYTAR = fileURLToPath(new URL("../helpers/persistenceNoKeytar.mjs", import.meta.url));
let authority;
let base;
const cleanups = [];

before(async () => {
  authority = await DevAuthority.start();
  base = { url: authority.url, caPath: authority.caPath, tenant: authority.tenants[0].tenantId, user: authority.users[0], scope: SCOPE };
});
after(async () => {
  for (const c of cleanups.reverse()) await c();
  await authority?.close();
});

async function home() {
  const h = tempHome();
  cleanups.push(h.remove);
  return h.home;
}

/** getToken through a credential with persistence: a CredentialUnavailableError naming the reason, before any sign-in. */
async function assertUnavailable(env, reason) {
  authority.resetCounters();
  const result = await runChild({ ...base, action: "signIn" }, env);
  assert.equal(result.exitCode, 0, "no crash, no unhandled rejection");
  assert.equal(result.ok, false);
  assert.equal(result.error.name, "CredentialUnavailableError");
  assert.equal(result.error.code, "PERSISTENCE_UNAVAILABLE");
  assert.match(result.error.message, reason);
  assert.ok(result.error.cause, "the cause is kept");
  assert.equal(authority.counters.devicecode, 0, "no sign-in starts when its tokens could not be kept");
  const status = await runChild({ action: "status" }, env);
  assert.equal(status.available, false);
  assert.equal(status.encrypted, false);
  assert.match(status.reason, reason);
  assert.ok(status.fix, "persistenceStatus says what to do");
  return status;
}

test("a locked keyring is unavailable (the probe writes), not a failure after sign-in", async () => {
  const secrets = await startSecretService();
  cleanups.push(() => secrets.stop());
  await lockKeyring(secrets.address);
  const status = await assertUnavailable(secrets.env, /locked collection/);
  assert.equal(status.backend, "libsecret");
  assert.match(status.fix, /unlock/);
});

test("a keyring locked after a sign-in: a fresh process's silent getToken is refused, not served or fooled by the read", async () => {
  const secrets = await startSecretService();
  cleanups.push(() => secrets.stop());
  const signIn = await runChild({ ...base, action: "signIn" }, secrets.env);
  assert.equal(signIn.ok, true, JSON.stringify(signIn.error));
  await lockKeyring(secrets.address);
  const silent = await runChild({ ...base, action: "silent", record: signIn.record }, secrets.env);
  assert.equal(silent.exitCode, 0, "no crash, no unhandled rejection");
  assert.equal(silent.ok, false);
  assert.equal(silent.error.name, "CredentialUnavailableError");
  assert.equal(silent.error.code, "PERSISTENCE_UNAVAILABLE");
  assert.match(silent.error.message, /locked collection/);
});

test("a D-Bus session without a Secret Service is unavailable", async () => {
  const bus = await startPrivateBus();
  cleanups.push(() => bus.stop());
  const status = await assertUnavailable({ DBUS_SESSION_BUS_ADDRESS: bus.address, HOME: await home() }, /org\.freedesktop\.secrets/);
  assert.match(status.fix, /gnome-keyring/);
});

test("a Secret Service that never answers: the status gives up after its bound, getToken after D-Bus's timeout", async () => {
  const bus = await startPrivateBus();
  cleanups.push(() => bus.stop());
  const silent = await startSilentSecretService(bus.address);
  cleanups.push(() => silent.stop());
  const env = { DBUS_SESSION_BUS_ADDRESS: bus.address, HOME: await home() };
  const [status, signIn] = await Promise.all([runChild({ action: "status" }, env), runChild({ ...base, action: "signIn" }, env)]);
  assert.equal(status.available, false);
  assert.match(status.reason, /did not answer within 15 s/);
  assert.ok(status.elapsedMs < 20_000, `answered after ${status.elapsedMs} ms`);
  assert.equal(signIn.exitCode, 0);
  assert.equal(signIn.error?.code, "PERSISTENCE_UNAVAILABLE", JSON.stringify(signIn.error));
});

test("no D-Bus session at all is unavailable", async () => {
  const status = await assertUnavailable({ HOME: await home() }, /D-Bus|address/);
  assert.match(status.fix, /D-Bus session/);
});

test("keytar not built: importing entra-broker works, persistence reports itself unavailable with the fix", async () => {
  const env = { HOME: await home(), NODE_OPTIONS: `--import ${NO_KEYTAR}` };
  const status = await assertUnavailable(env, /keytar/);
  assert.match(status.fix, /libsecret-1-dev/);
  // Without persistence the same process signs in as usual.
  const plain = await runChild({ ...base, action: "signIn", persistence: { enabled: false } }, env);
  assert.equal(plain.ok, true, JSON.stringify(plain.error));
});

test("without persistence, a sign-in loads neither msal-node-extensions nor keytar; with it, they load", async () => {
  const env = { HOME: await home() };
  const plain = await runChild({ ...base, action: "signIn", persistence: { enabled: false } }, env);
  assert.equal(plain.ok, true, JSON.stringify(plain.error));
  assert.equal(plain.loaded, false);
  const persisted = await runChild({ ...base, action: "signIn", persistence: { unsafeAllowUnencryptedStorage: true } }, env);
  assert.equal(persisted.ok, true, JSON.stringify(persisted.error));
  assert.equal(persisted.loaded, true, "the check sees them when they are loaded");
});

test("plaintext fallback when allowed: 0600 in a 0700 folder (tightened if it was open), readable by the next process", async () => {
  const h = await home();
  mkdirSync(path.join(h, ".IdentityService"), { mode: 0o755 });
  chmodSync(path.join(h, ".IdentityService"), 0o755); // as @azure/identity's older persistence leaves it
  const env = { HOME: h, AZURE_LOG_LEVEL: "warning" };
  const persistence = { unsafeAllowUnencryptedStorage: true };
  const signIn = await runChild({ ...base, action: "signIn", persistence }, env);
  assert.equal(signIn.ok, true, JSON.stringify(signIn.error));
  assert.match(signIn.stderr, /UNENCRYPTED/, "a warning says so");
  const file = path.join(h, ".IdentityService", "msal.cache.nocae");
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(path.dirname(file)).mode & 0o777, 0o700);
  assert.ok(JSON.parse(readFileSync(file, "utf8")).RefreshToken, "the cache is the file itself");
  authority.resetCounters();
  const silent = await runChild({ ...base, action: "silent", record: signIn.record, persistence }, env);
  assert.equal(silent.ok, true, JSON.stringify(silent.error));
  assert.equal(authority.counters.token, 0);
  const status = await runChild({ action: "status", persistence }, env);
  assert.deepEqual(
    { backend: status.backend, available: status.available, encrypted: status.encrypted, location: status.location },
    { backend: "file", available: true, encrypted: false, location: file },
  );
  assert.match(status.reason, /D-Bus|address/, "and why the encrypted store was not used");
});

test("a truncated plaintext cache is moved aside; the next sign-in persists again", async () => {
  const h = await home();
  const persistence = { unsafeAllowUnencryptedStorage: true };
  const signIn = await runChild({ ...base, action: "signIn", persistence }, { HOME: h });
  const file = path.join(h, ".IdentityService", "msal.cache.nocae");
  const text = readFileSync(file, "utf8");
  writeFileSync(file, text.slice(0, 100));
  const broken = await runChild({ ...base, action: "silent", record: signIn.record, persistence }, { HOME: h, AZURE_LOG_LEVEL: "warning" });
  assert.equal(broken.exitCode, 0);
  assert.equal(broken.error?.name, "AuthenticationRequiredError");
  assert.match(broken.stderr, /moved aside/);
  assert.equal(readFileSync(`${file}.corrupt`, "utf8"), text.slice(0, 100));
  const again = await runChild({ ...base, action: "signIn", persistence }, { HOME: h });
  assert.equal(again.ok, true);
  assert.ok(existsSync(file));
  const silent = await runChild({ ...base, action: "silent", record: again.record, persistence }, { HOME: h });
  assert.equal(silent.ok, true, JSON.stringify(silent.error));
});

test("a corrupt cache's warning quotes none of its text (a secret may be there)", async () => {
  const h = await home();
  const persistence = { unsafeAllowUnencryptedStorage: true };
  const signIn = await runChild({ ...base, action: "signIn", persistence }, { HOME: h });
  const file = path.join(h, ".IdentityService", "msal.cache.nocae");
  // An unquoted value where a refresh token's secret goes: V8's JSON.parse message would quote it.
  writeFileSync(file, '{"RefreshToken":{"k":{"secret":SECRETVALUE1234567890abcdef}}}');
  const broken = await runChild({ ...base, action: "silent", record: signIn.record, persistence }, { HOME: h, AZURE_LOG_LEVEL: "verbose" });
  assert.equal(broken.error?.name, "AuthenticationRequiredError", JSON.stringify(broken.error));
  assert.match(broken.stderr, /could not be read \(not valid JSON.*\).*moved aside/);
  assert.doesNotMatch(broken.stderr, /SECRETVAL|"secret"/);
});

test("the Secret Service dying mid-run: the cached token still serves, a save fails as PERSISTENCE_FAILED, no unhandled rejection", async () => {
  const secrets = await startSecretService();
  cleanups.push(() => secrets.stop());
  const result = await runChild(
    { ...base, action: "storeDies", killPid: secrets.keyring.process.pid, otherScope: "https://storage.azure.com/.default" },
    secrets.env,
  );
  assert.equal(result.exitCode, 0, "no crash, no unhandled rejection");
  assert.equal(result.ok, true, JSON.stringify(result.error));
  assert.equal(result.cached.ok, true, "a token already in memory needs no store");
  assert.equal(result.refreshed.ok, false);
  assert.equal(result.refreshed.error.name, "CredentialUnavailableError");
  assert.equal(result.refreshed.error.code, "PERSISTENCE_FAILED");
  assert.match(result.refreshed.error.message, /could not be saved/);
});
