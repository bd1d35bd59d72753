// The processes of the 1,000-accounts bench (bench/accounts.mjs), each with the private keyring's
// environment: `seed` signs the users in and writes the caches to files, `store` puts one into the
// default persisted cache, `cached` times a cached getToken of one package over that cache.
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
  const record = { authority: a.environment, homeAccountId: a.homeAccountId, tenantId: a.tenantId, username: a.username, clientId: input.clientId, version: "1.0" };
  return { record: JSON.stringify(record), counts };
}

/** Replaces the default persisted cache with the file `input.cache`, as a package's save would. */
async function store() {
  const { LibSecretPersistence } = await import("@azure/msal-node-extensions");
  const persistence = await LibSecretPersistence.create(CACHE_FILE, SERVICE, ACCOUNT);
  const contents = readFileSync(input.cache, "utf8");
  await persistence.save(contents);
  if ((await persistence.load()) !== contents) throw new Error("the keyring did not keep the cache");
  return { bytes: Buffer.byteLength(contents) };
}

/**
 * One package's credential over the default persisted cache, signed in as the record's account:
 * the first getToken loads the cache, then cached getTokens are timed (a sample budget bounds slow ones).
 */
async function cached() {
  let cred;
  const options = {
    authorityHost: input.url,
    tenantId: input.tenant,
    disableAutomaticAuthentication: true,
    tokenCachePersistenceOptions: { enabled: true },
  };
  if (input.pkg === "entra-broker") {
    const ours = await import("entra-broker");
    const authenticationRecord = ours.deserializeAuthenticationRecord(input.record);
    cred = new ours.DeviceCodeCredential({ ...options, authorityCa: readFileSync(input.caPath, "utf8"), authenticationRecord });
  } else {
    const identity = await import("@azure/identity");
    identity.useIdentityPlugin((await import("@azure/identity-cache-persistence")).cachePersistencePlugin);
    const authenticationRecord = identity.deserializeAuthenticationRecord(input.record);
    cred = new identity.DeviceCodeCredential({ ...options, disableInstanceDiscovery: true, authenticationRecord });
  }
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
