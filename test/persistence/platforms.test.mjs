// Windows (DPAPI) and macOS (Keychain) wiring, run on Linux with msal-node-extensions replaced by
// file-backed stand-ins (test/helpers/persistenceFakePlatform.mjs): which store, path, entry and
// DPAPI scope we ask for, and that a second process reads what the first wrote through them.
// The real DPAPI and Keychain cannot run on this Linux CI.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DevAuthority } from "entra-broker-devtools";
import { runChild, tempHome } from "../helpers/persistence.mjs";

const SCOPE = "https://graph.microsoft.com/.default";
const FAKE = fileURLToPath(new URL("../helpers/persistenceFakePlatform.mjs", import.meta.url));
let authority;
let base;
const homes = [];

before(async () => {
  authority = await DevAuthority.start();
  base = { url: authority.url, caPath: authority.caPath, tenant: authority.tenants[0].tenantId, user: authority.users[0], scope: SCOPE };
});
after(async () => {
  for (const h of homes) h.remove();
  await authority?.close();
});

function platformEnv(platform, extra = {}) {
  const h = tempHome();
  homes.push(h);
  return { home: h.home, env: { HOME: h.home, FAKE_PLATFORM: platform, NODE_OPTIONS: `--import ${FAKE}`, ...extra } };
}

async function signInThenSilent(env, persistence) {
  const signIn = await runChild({ ...base, action: "signIn", persistence }, env);
  assert.equal(signIn.ok, true, JSON.stringify(signIn.error));
  authority.resetCounters();
  const silent = await runChild({ ...base, action: "silent", record: signIn.record, persistence }, env);
  assert.equal(silent.ok, true, JSON.stringify(silent.error));
  assert.equal(authority.counters.token, 0, "the second process read the first one's cache");
  return signIn.calls;
}

test("Windows: a DPAPI file in %LOCALAPPDATA%\\.IdentityService, with the requested scope", async () => {
  const { home, env } = platformEnv("win32");
  env.APPDATA = path.join(home, "AppData", "Roaming");
  const dir = path.join(`${path.join(home, "AppData")}\\Local`, ".IdentityService");
  const calls = await signInThenSilent(env, { dataProtectionScope: "LocalMachine" });
  const dpapi = calls.filter((c) => c[0] === "FilePersistenceWithDataProtection");
  assert.ok(
    dpapi.some((c) => c[1].startsWith(`${dir}/.probe-`)),
    "the probe ran in its own file",
  );
  assert.deepEqual(dpapi.at(-1), ["FilePersistenceWithDataProtection", path.join(dir, "msal.cache.nocae"), "LocalMachine"]);
  const status = await runChild({ action: "status" }, env);
  assert.deepEqual([status.backend, status.available, status.encrypted], ["dpapi", true, true]);
  const defaultScope = await runChild({ ...base, action: "signIn" }, env);
  assert.equal(defaultScope.calls.at(-1)[2], "CurrentUser");
});

test("macOS: the Keychain, @azure/identity's service and account for the default name, the file's name otherwise", async () => {
  const { home, env } = platformEnv("darwin");
  const dir = path.join(home, ".IdentityService");
  const calls = await signInThenSilent(env, undefined);
  assert.deepEqual(calls.at(-1), [
    "KeychainPersistence",
    path.join(dir, "msal.cache.nocae"),
    "Microsoft.Developer.IdentityService",
    "MSALCache",
  ]);
  const named = await signInThenSilent(env, { name: "my.app" });
  assert.deepEqual(named.at(-1), [
    "KeychainPersistence",
    path.join(dir, "my.app.nocae"),
    "Microsoft.Developer.IdentityService",
    "my.app.nocae",
  ]);
});

test("an OS with no encrypted store: unavailable, or the plaintext file when allowed", async () => {
  const { env } = platformEnv("freebsd");
  const status = await runChild({ action: "status" }, env);
  assert.deepEqual([status.backend, status.available], [null, false]);
  assert.match(status.reason, /no encrypted store is supported on freebsd/);
  const calls = await signInThenSilent(env, { unsafeAllowUnencryptedStorage: true });
  assert.deepEqual(calls.at(-1), ["FilePersistence", "msal.cache.nocae"]);
});
