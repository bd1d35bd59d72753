// Many processes on one persisted cache (the real Secret Service): 8 processes each doing 50
// sign-ins or refreshes lose no account and leave a readable cache; a lock left by a killed process
// does not stop the next getToken.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { DevAuthority } from "entra-broker-devtools";
import { startSecretService, runChild } from "../helpers/persistence.mjs";

const SCOPE = "https://graph.microsoft.com/.default";
const PROCESSES = 8;
const OPERATIONS = 50;
let authority;
let secrets;
let base;

before(async () => {
  const users = Array.from({ length: PROCESSES * 2 }, (_, i) => ({
    username: `user${i}@contoso.example`,
    password: `password-${i}`,
    displayName: `User ${i}`,
  }));
  // Tokens shorter than msal's 5-minute renewal margin: every silent getToken of a new credential refreshes and writes.
  authority = await DevAuthority.start({ users, accessTokenLifetimeSeconds: 120 });
  secrets = await startSecretService();
  base = { url: authority.url, caPath: authority.caPath, tenant: authority.tenants[0].tenantId, scope: SCOPE };
});
after(async () => {
  await secrets?.stop();
  await authority?.close();
});

test(`${PROCESSES} processes x ${OPERATIONS} sign-ins or refreshes on one cache lose no account and leave a readable cache`, async () => {
  const started = Date.now();
  const results = await Promise.all(
    Array.from({ length: PROCESSES }, (_, i) =>
      runChild({ ...base, action: "bulk", users: authority.users.slice(2 * i, 2 * i + 2), operations: OPERATIONS }, secrets.env, {
        timeoutMs: 110_000,
      }),
    ),
  );
  const elapsed = Date.now() - started;
  for (const [i, r] of results.entries()) {
    assert.equal(r.exitCode, 0, `process ${i}: ${r.stderr}`);
    assert.equal(r.ok, true, `process ${i}: ${JSON.stringify(r.error)}`);
    assert.deepEqual(r.failures, [], `process ${i}: every refresh found its account`);
  }
  assert.ok(authority.counters.tokenByGrant.refresh_token >= PROCESSES * (OPERATIONS - 2), JSON.stringify(authority.counters.tokenByGrant));
  const { value } = await runChild({ action: "getEntry", account: "MSALCache" }, secrets.env);
  const cache = JSON.parse(value);
  const accounts = Object.values(cache.Account)
    .map((a) => a.username)
    .sort();
  assert.deepEqual(accounts, authority.users.map((u) => u.username).sort(), "no account lost");
  assert.equal(Object.keys(cache.RefreshToken).length, PROCESSES * 2);
  // Each account still works from a fresh process, silently.
  const records = results.flatMap((r) => r.records);
  authority.resetCounters();
  for (const record of [records[0], records.at(-1)]) {
    const silent = await runChild({ ...base, action: "silent", record }, secrets.env);
    assert.equal(silent.ok, true, JSON.stringify(silent.error));
  }
  assert.equal(authority.counters.devicecode, 0);
  process.stderr.write(`# ${PROCESSES}x${OPERATIONS}: ${elapsed} ms\n`);
});

test("a cache lock left by a killed process does not stop the next process's refresh", async () => {
  const user = authority.users[0];
  const signIn = await runChild({ ...base, action: "signIn", user }, secrets.env);
  assert.equal(signIn.ok, true);
  const lockFile = `${secrets.home}/.IdentityService/msal.cache.nocae.lockfile`;
  let locked;
  const isLocked = new Promise((resolve) => (locked = resolve));
  const holder = runChild({ action: "holdLock", lockFile }, secrets.env, { onLine: (l) => l.locked && locked() });
  await isLocked;
  holder.child.kill("SIGKILL");
  await holder;
  const started = Date.now();
  const silent = await runChild({ ...base, action: "silent", record: signIn.record }, { ...secrets.env, AZURE_LOG_LEVEL: "warning" });
  assert.equal(silent.ok, true, JSON.stringify(silent.error));
  assert.match(silent.stderr, /no longer running/);
  assert.ok(Date.now() - started < 30_000);
});

test("the cache lock is not held while a refresh waits on the network", async () => {
  const signIn = await runChild({ ...base, action: "signIn", user: authority.users[3] }, secrets.env);
  assert.equal(signIn.ok, true);
  const lockFile = `${secrets.home}/.IdentityService/msal.cache.nocae.lockfile`;
  authority.injectFault({ endpoint: "token", grantType: "refresh_token", delayMs: 4000 });
  let longest = 0;
  let since;
  const poll = setInterval(() => {
    const now = Date.now();
    if (existsSync(lockFile)) since ??= now;
    else since = undefined;
    if (since !== undefined) longest = Math.max(longest, now - since);
  }, 20);
  const started = Date.now();
  const silent = await runChild({ ...base, action: "silent", record: signIn.record }, secrets.env);
  clearInterval(poll);
  assert.equal(silent.ok, true, JSON.stringify(silent.error));
  assert.ok(Date.now() - started >= 4000, "the refresh waited on the network");
  assert.ok(longest < 2000, `the lock was held ${longest} ms at a stretch`);
});
