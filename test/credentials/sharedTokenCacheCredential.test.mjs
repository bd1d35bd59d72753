// SharedTokenCacheCredential end to end: users sign in through our DeviceCodeCredential with
// `tokenCachePersistenceOptions: { enabled: true }` (the default, shared name) in one process; the
// credential reads that cache in another. The cache is in a real gnome-keyring on a private D-Bus,
// HOME in a temporary folder; the authority is the dev authority.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { DevAuthority } from "entra-broker-devtools";
import { startSecretService, runChild, tempHome } from "../helpers/persistence.mjs";
import { decodeJwt } from "../helpers/signIn.mjs";

const SCOPE = "https://graph.microsoft.com/.default";
const DIST = fileURLToPath(new URL("../../dist/index.js", import.meta.url));
let authority;
let secrets;
let ada;
let linus;
let contoso;
let fabrikam;

before(async () => {
  authority = await DevAuthority.start();
  secrets = await startSecretService();
  [ada, , linus] = authority.users;
  [contoso, fabrikam] = authority.tenants.map((t) => t.tenantId);
});
after(async () => {
  await secrets?.stop();
  await authority?.close();
});

/** A real device code sign-in into the shared cache (test/helpers/persistenceChild.mjs, default cache name). */
async function signIn(user, tenant) {
  const result = await runChild(
    { action: "signIn", url: authority.url, caPath: authority.caPath, tenant, user, scope: SCOPE },
    secrets.env,
  );
  assert.equal(result.ok, true, JSON.stringify(result.error));
  return result.record;
}

// The reading process: two getToken calls through one SharedTokenCacheCredential, with verbose logs on stderr.
const READER = `
import { readFileSync } from "node:fs";
const ours = (await import(process.argv[1])).default;
const input = JSON.parse(process.argv[2]);
const options = { authorityHost: input.url, authorityCa: readFileSync(input.caPath, "utf8"), ...input.options };
if (input.record) options.authenticationRecord = ours.deserializeAuthenticationRecord(input.record);
try {
  const credential = new ours.SharedTokenCacheCredential(options);
  const first = await credential.getToken(input.scope);
  const second = await credential.getToken(input.scope);
  console.log(JSON.stringify({ ok: true, token: first.token, again: second.token === first.token }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: { name: e.name, code: e.code, statusCode: e.statusCode, message: e.message } }));
}`;

function read({ options = {}, record, scope = SCOPE, env = secrets.env } = {}) {
  const base = { ...process.env };
  for (const k of ["DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "XDG_RUNTIME_DIR", "GNOME_KEYRING_CONTROL", "APPDATA"]) delete base[k];
  const input = { url: authority.url, caPath: authority.caPath, scope, options, record };
  const child = spawn(process.execPath, ["--input-type=module", "-e", READER, DIST, JSON.stringify(input)], {
    env: { ...base, ...env, AZURE_LOG_LEVEL: "verbose" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      try {
        resolve({ ...JSON.parse(out.trim().split("\n").pop()), exitCode: code, logs: err });
      } catch {
        reject(new Error(`reader exited ${code} without an answer: ${out} ${err}`));
      }
    });
  });
}

function assertUnavailable(result, code) {
  assert.equal(result.ok, false, "no token");
  assert.equal(result.exitCode, 0);
  assert.equal(result.error.name, "CredentialUnavailableError", result.error.message);
  assert.equal(result.error.code, code, result.error.message);
  return result.error.message;
}

const oidOf = (result) => decodeJwt(result.token).oid;

test("an empty shared cache: CredentialUnavailableError SHARED_CACHE_NO_ACCOUNT saying how to sign in", async () => {
  const message = assertUnavailable(await read(), "SHARED_CACHE_NO_ACCOUNT");
  assert.match(message, /No accounts were found in the cache/);
  assert.match(message, /tokenCachePersistenceOptions/);
});

test("no Secret Service (no D-Bus session): PERSISTENCE_UNAVAILABLE, a CredentialUnavailableError a chain moves past", async () => {
  const home = tempHome();
  try {
    const message = assertUnavailable(await read({ env: { HOME: home.home } }), "PERSISTENCE_UNAVAILABLE");
    assert.match(message, /To fix this/);
  } finally {
    home.remove();
  }
});

test("a username that is not a string is a typed error at construction, nothing read", async () => {
  const { SharedTokenCacheCredential } = await import("entra-broker");
  assert.throws(
    () => new SharedTokenCacheCredential({ username: "" }),
    (e) => e.code === "INVALID_ARGUMENT",
  );
  assert.throws(
    () => new SharedTokenCacheCredential({ username: 42 }),
    (e) => e.code === "INVALID_ARGUMENT",
  );
});

test("one account signed in by another process: its token, silently (no sign-in, no token request), then from memory", async () => {
  await signIn(ada, contoso);
  authority.resetCounters();
  const result = await read();
  assert.equal(result.ok, true, JSON.stringify(result.error));
  assert.equal(oidOf(result), ada.objectId);
  assert.equal(result.again, true, "the second getToken is the same token (memory)");
  assert.equal(authority.counters.authorize, 0);
  assert.equal(authority.counters.devicecode, 0);
  assert.equal(authority.counters.token, 0, "the access token came from the persisted cache");
  assert.ok(!result.logs.includes(result.token), "verbose logs do not carry the token");
  assert.ok(!result.logs.includes(ada.username), "verbose logs do not carry the username");
  assert.ok(result.logs.includes("SharedTokenCacheCredential"), "something was logged");
});

test("a username no cached account has: SHARED_CACHE_NO_ACCOUNT listing the accounts there are", async () => {
  const message = assertUnavailable(await read({ options: { username: "nobody@contoso.example" } }), "SHARED_CACHE_NO_ACCOUNT");
  assert.match(message, /No account matching the specified username nobody@contoso\.example/);
  assert.ok(message.includes(`${ada.username} (tenant ${contoso})`), message);
});

test("two accounts: ambiguous (SHARED_CACHE_AMBIGUOUS, both listed, how to choose); username or tenantId chooses", async () => {
  await signIn(linus, fabrikam);
  const ambiguous = await read();
  const message = assertUnavailable(ambiguous, "SHARED_CACHE_AMBIGUOUS");
  assert.ok(message.includes(ada.username) && message.includes(linus.username), message);
  assert.match(message, /username option/);
  assert.ok(!ambiguous.logs.includes(ada.username) && !ambiguous.logs.includes(linus.username), "the logs name no account");

  const byUsername = await read({ options: { username: linus.username.toUpperCase() } });
  assert.equal(byUsername.ok, true, JSON.stringify(byUsername.error));
  assert.equal(oidOf(byUsername), linus.objectId);

  const byTenant = await read({ options: { tenantId: fabrikam } });
  assert.equal(byTenant.ok, true, JSON.stringify(byTenant.error));
  assert.equal(oidOf(byTenant), linus.objectId);
  assert.equal(decodeJwt(byTenant.token).tid, fabrikam);

  const adaByTenant = await read({ options: { tenantId: contoso } });
  assert.equal(oidOf(adaByTenant), ada.objectId);

  const both = assertUnavailable(await read({ options: { username: ada.username, tenantId: fabrikam } }), "SHARED_CACHE_NO_ACCOUNT");
  assert.match(both, /username ada@contoso\.example and tenantId/);
});

test("a guest: one user signed in to the home tenant and as a guest in another, chosen by tenantId; the ambiguous case lists accounts with their tenants", async () => {
  // A second real sign-in of the same user, into fabrikam, where the dev authority makes ada a guest.
  await signIn(ada, fabrikam);
  const guestOid = ada.guestObjectIds[fabrikam.toLowerCase()];
  authority.resetCounters();

  const asGuest = await read({ options: { username: ada.username, tenantId: fabrikam } });
  assert.equal(asGuest.ok, true, JSON.stringify(asGuest.error));
  assert.equal(decodeJwt(asGuest.token).tid, fabrikam);
  assert.equal(oidOf(asGuest), guestOid, "the guest object's token");
  const atHome = await read({ options: { username: ada.username, tenantId: contoso } });
  assert.equal(decodeJwt(atHome.token).tid, contoso);
  assert.equal(oidOf(atHome), ada.objectId);
  assert.equal(authority.counters.token, 0, "both from the tokens each sign-in cached: the right tenant profile was chosen");

  const byName = await read({ options: { username: ada.username } });
  assert.equal(byName.ok, true, "one person in two tenants is one account");
  assert.equal(decodeJwt(byName.token).tid, contoso, "by default the home tenant");

  const ambiguous = assertUnavailable(await read({ options: { tenantId: fabrikam } }), "SHARED_CACHE_AMBIGUOUS");
  assert.ok(ambiguous.includes(`${ada.username} (tenants ${contoso}, ${fabrikam})`), ambiguous);
  assert.ok(ambiguous.includes(`${linus.username} (tenant ${fabrikam})`), ambiguous);
  assert.match(ambiguous, /matching the specified tenantId/);
});

test("an authenticationRecord names the account, whatever else is cached", async () => {
  const record = await signIn(ada, contoso);
  const result = await read({ record });
  assert.equal(result.ok, true, JSON.stringify(result.error));
  assert.equal(oidOf(result), ada.objectId);
});

test("a refresh the authority answers with interaction_required: SHARED_CACHE_SIGN_IN_REQUIRED, never a prompt; another OAuth error: the server's AuthenticationError", async () => {
  // A scope not yet cached needs the refresh token.
  authority.injectFault({ endpoint: "token", grantType: "refresh_token", error: "interaction_required" });
  authority.resetCounters();
  const message = assertUnavailable(
    await read({ options: { username: linus.username }, scope: "https://storage.azure.com/.default" }),
    "SHARED_CACHE_SIGN_IN_REQUIRED",
  );
  assert.match(message, /sign in again/);
  assert.equal(authority.counters.authorize, 0);
  assert.equal(authority.counters.devicecode, 0);
  authority.injectFault({ endpoint: "token", grantType: "refresh_token", error: "invalid_client", status: 401 });
  const refused = await read({ options: { username: linus.username }, scope: "https://vault.azure.net/.default" });
  assert.equal(refused.ok, false);
  assert.equal(refused.error.name, "AuthenticationError");
  assert.equal(refused.error.code, "invalid_client");
  assert.equal(refused.error.statusCode, 401, "the authority's own status");
  authority.clearFaults?.();
});

test("a different cache name sees none of the shared cache's accounts", async () => {
  assertUnavailable(await read({ options: { tokenCachePersistenceOptions: { name: "my.app" } } }), "SHARED_CACHE_NO_ACCOUNT");
});

test("@azure/identity's own sign-in into the shared cache (identity-cache-persistence) is found too", async () => {
  const grace = authority.users[1];
  const theirs = await runChild(
    { action: "identitySignIn", url: authority.url, caPath: authority.caPath, tenant: contoso, user: grace, scope: SCOPE },
    { ...secrets.env, NODE_EXTRA_CA_CERTS: authority.caPath },
  );
  assert.equal(theirs.ok, true, JSON.stringify(theirs.error));
  authority.resetCounters();
  const result = await read({ options: { username: grace.username } });
  assert.equal(result.ok, true, JSON.stringify(result.error));
  assert.equal(oidOf(result), grace.objectId);
  assert.equal(authority.counters.token, 0, "the token @azure/identity cached");
});
