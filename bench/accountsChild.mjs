// The processes of the 1,000-accounts bench (bench/accounts.mjs), each with the private keyring's
// environment: `seed` signs the users in and writes the caches to files, `store` puts one into the
// default persisted cache, `cached` times a cached getToken of one package over that cache, `renew`
// times its getTokens for new scopes (the refresh token redeemed and the whole cache saved).
import { performance } from "node:perf_hooks";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const [mode, json] = process.argv.slice(2);
const input = JSON.parse(json);
const print = (result) => {
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
};

// Where both packages keep the default cache ("msal.cache", non-CAE) on Linux: a change-marker
// file and a libsecret entry (@azure/identity-cache-persistence's defaults; entra-broker's
// src/cache/persistence/locations.ts derives the same).
const CACHE_FILE = path.join(process.env.HOME, ".IdentityService", "msal.cache.nocae");
const SERVICE = "Microsoft.Developer.IdentityService";
const ACCOUNT = "MSALCache";

if (mode === "seed") print(await seed());
if (mode === "store") print(await store());
if (mode === "cached") print(await cached());
if (mode === "renew") print(await renew());
throw new Error(`unknown mode ${mode}`);

/**
 * Signs `input.users` in over ROPC through msal-node (what both packages use underneath) with its
 * in-memory cache, the first user alone first; writes the cache after 1 and after all sign-ins.
 * One save at the end, not one per sign-in: a persisted save rewrites the whole cache.
 */
async function seed() {
  const { PublicClientApplication } = await import("@azure/msal-node");
  const app = new PublicClientApplication({
    auth: { clientId: input.clientId, authority: `${input.url}/${input.tenant}`, knownAuthorities: [new URL(input.url).host] },
  });
  const signIn = (user) => app.acquireTokenByUsernamePassword({ scopes: [input.scope], username: user.username, password: user.password });
  const first = await signIn(input.users[0]);
  writeFileSync(path.join(input.dir, "1.json"), app.getTokenCache().serialize());
  const rest = input.users.slice(1);
  const workers = Array.from({ length: 8 }, async () => {
    while (rest.length) await signIn(rest.shift());
  });
  await Promise.all(workers);
  const all = app.getTokenCache().serialize();
  writeFileSync(path.join(input.dir, `${input.users.length}.json`), all);
  const counts = Object.fromEntries(Object.entries(JSON.parse(all)).map(([section, entries]) => [section, Object.keys(entries).length]));
  const a = first.account;
  const record = {
    authority: a.environment,
    homeAccountId: a.homeAccountId,
    tenantId: a.tenantId,
    username: a.username,
    clientId: input.clientId,
    version: "1.0",
  };
  return { record: JSON.stringify(record), counts };
}

async function persisted() {
  const { LibSecretPersistence } = await import("@azure/msal-node-extensions");
  return LibSecretPersistence.create(CACHE_FILE, SERVICE, ACCOUNT);
}

/** Replaces the default persisted cache with the file `input.cache`, as a package's save would. */
async function store() {
  const persistence = await persisted();
  const contents = readFileSync(input.cache, "utf8");
  await persistence.save(contents);
  if ((await persistence.load()) !== contents) throw new Error("the keyring did not keep the cache");
  return { bytes: Buffer.byteLength(contents) };
}

/** One package's credential over the default persisted cache, signed in as the record's account. */
async function credential() {
  const options = {
    authorityHost: input.url,
    tenantId: input.tenant,
    disableAutomaticAuthentication: true,
    tokenCachePersistenceOptions: { enabled: true },
  };
  if (input.pkg === "entra-broker") {
    const ours = await import("entra-broker");
    const authenticationRecord = ours.deserializeAuthenticationRecord(input.record);
    return new ours.DeviceCodeCredential({ ...options, authorityCa: readFileSync(input.caPath, "utf8"), authenticationRecord });
  }
  const identity = await import("@azure/identity");
  identity.useIdentityPlugin((await import("@azure/identity-cache-persistence")).cachePersistencePlugin);
  const authenticationRecord = identity.deserializeAuthenticationRecord(input.record);
  return new identity.DeviceCodeCredential({ ...options, disableInstanceDiscovery: true, authenticationRecord });
}

/** The first getToken loads the cache; then cached getTokens are timed (a time budget bounds slow ones). */
async function cached() {
  const cred = await credential();
  const first = await cred.getToken(input.scope);
  globalThis.gc();
  const heapMB = process.memoryUsage().heapUsed / 2 ** 20;
  const warmUntil = performance.now() + 1000;
  for (let i = 0; i < 500 && performance.now() < warmUntil; i++) await cred.getToken(input.scope);
  const samples = [];
  const until = performance.now() + input.budgetMs;
  while (samples.length < input.maxSamples && (samples.length < 200 || performance.now() < until)) {
    const t = performance.now();
    const token = await cred.getToken(input.scope);
    samples.push(performance.now() - t);
    if (token.token !== first.token) throw new Error("a cached getToken returned another token");
  }
  samples.sort((x, y) => x - y);
  const at = (q) => samples[Math.min(samples.length - 1, Math.floor(samples.length * q))] * 1000;
  return { median: at(0.5), p99: at(0.99), samples: samples.length, heapMB };
}

/** After the first getToken, one getToken per new resource: each redeems the refresh token and saves the cache. */
async function renew() {
  const cred = await credential();
  await cred.getToken(input.scope);
  const times = [];
  for (let i = 0; i < input.renewals; i++) {
    const t = performance.now();
    await cred.getToken(`https://bench-resource-${i}.example/.default`);
    times.push(performance.now() - t);
  }
  // What a later process finds: the access tokens of the new resources in the persisted cache.
  const saved = Object.values(JSON.parse(await (await persisted()).load()).AccessToken);
  return { times, kept: saved.filter((t) => t.target.includes("bench-resource-")).length };
}
