// The "cost growth with 1,000 accounts" rows of `npm run bench`: what a getToken costs when the
// token cache holds 1 account and when it holds 1,000, entra-broker beside @azure/identity (with
// @azure/identity-cache-persistence), both over the same persisted default cache in gnome-keyring on
// a private D-Bus (bench/helpers.mjs), against one dev authority:
//   - a cached getToken in a process that has loaded the cache (median, p99);
//   - a fresh process's silent token from the persisted cache (median of RUNS);
//   - a getToken for a new resource in that process: the refresh token redeemed, the whole cache saved;
//   - the heap after the first getToken, and the cache's serialized size.
// Persistence is on for both because that is how a cache comes to hold many accounts (one credential
// holds one); msal-node then re-reads its whole cache snapshot on every acquireTokenSilent
// (TokenCache.overwriteCache), so @azure/identity's cached getToken grows with the cache's size.
// Seeding: this authority is taught 1,000 users (DevAuthority.start's `users`) and each signs in over
// ROPC through msal-node, so msal itself writes every Account, IdToken, AccessToken, RefreshToken and
// AppMetadata entry from real token responses (keys, client_info home account ids, realms): nothing
// hand-written that could drift from msal's format, at the cost of ~1,000 token requests (seconds).
// The measured user is the first; the cache of 1 account is taken after its sign-in alone.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DevAuthority } from "entra-broker-devtools";
import { median, runChild, withKeyring } from "./helpers.mjs";

const CHILD = fileURLToPath(new URL("./accountsChild.mjs", import.meta.url));
const FRESH = fileURLToPath(new URL("./persistenceChild.mjs", import.meta.url));
const SCOPE = "https://graph.microsoft.com/.default";
const CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"; // both packages' default (the developer sign-on app)
const ACCOUNTS = 1000;
const RUNS = 5;
const RENEWALS = 5;
const PACKAGES = ["entra-broker", "@azure/identity"];
const log = (m) => process.stderr.write(`bench: accounts: ${m}\n`);

/** Users over both default tenants (home tenants differ, as in a real shared cache); all sign in to the first. */
function users(n) {
  return Array.from({ length: n }, (_, i) => {
    const id = String(i).padStart(4, "0");
    return { username: `user${id}@${i % 2 ? "fabrikam" : "contoso"}.example`, password: `password-${id}`, displayName: `User ${id}` };
  });
}

/** Runs `run()` in a child and counts the token requests the authority served meanwhile. */
async function counted(authority, run) {
  const before = authority.counters.token;
  const result = await run();
  return { result, tokenRequests: authority.counters.token - before };
}

async function measure(authority, env, input, n) {
  const cache = path.join(input.dir, `${n}.json`);
  const { bytes } = await runChild([CHILD, "store", JSON.stringify({ cache })], env);
  const out = { bytes };
  for (const pkg of PACKAGES) {
    log(`${n} account(s): ${pkg}: cached getToken`);
    const args = ["--expose-gc", CHILD, "cached", JSON.stringify({ ...input, pkg, budgetMs: 3000, maxSamples: 20000 })];
    const { result, tokenRequests } = await counted(authority, () => runChild(args, env));
    out[pkg] = { ...result, tokenRequests, fresh: [] };
  }
  log(`${n} account(s): fresh processes`);
  for (let i = 0; i < RUNS; i++) {
    for (const pkg of PACKAGES) {
      const { result, tokenRequests } = await counted(authority, () =>
        runChild([FRESH, JSON.stringify({ ...input, pkg, name: "msal.cache" })], env),
      );
      if (!result.ok) throw new Error(`${pkg}: a fresh process got no token from a cache of ${n} account(s)`);
      out[pkg].fresh.push(result);
      out[pkg].tokenRequests += tokenRequests;
    }
  }
  for (const pkg of PACKAGES) {
    log(`${n} account(s): ${pkg}: new resources`);
    await runChild([CHILD, "store", JSON.stringify({ cache })], env); // each package starts from the seeded cache
    const { result, tokenRequests } = await counted(authority, () =>
      runChild([CHILD, "renew", JSON.stringify({ ...input, pkg, renewals: RENEWALS })], env),
    );
    if (result.kept !== RENEWALS) log(`${pkg}: only ${result.kept} of the ${RENEWALS} new resources' tokens are in the persisted cache`);
    Object.assign(out[pkg], { renew: median(result.times), renewRequests: tokenRequests, kept: result.kept });
  }
  return out;
}

/** The table rows. */
export async function accountRows() {
  const authority = await DevAuthority.start({ users: users(ACCOUNTS) });
  const dir = mkdtempSync(path.join(tmpdir(), "entra-bench-accounts-"));
  try {
    return await withKeyring(authority, async (env) => {
      const input = {
        url: authority.url,
        caPath: authority.caPath,
        tenant: authority.tenants[0].tenantId,
        scope: SCOPE,
        clientId: CLIENT_ID,
        dir,
      };
      log(`signing ${ACCOUNTS} users in`);
      const seeded = await runChild(
        [CHILD, "seed", JSON.stringify({ ...input, users: authority.users.map(({ username, password }) => ({ username, password })) })],
        env,
      );
      for (const section of ["Account", "IdToken", "AccessToken", "RefreshToken"]) {
        if (seeded.counts[section] !== ACCOUNTS)
          throw new Error(`the seeded cache has ${seeded.counts[section]} ${section} entries, not ${ACCOUNTS}`);
      }
      const one = await measure(authority, env, { ...input, record: seeded.record }, 1);
      const many = await measure(authority, env, { ...input, record: seeded.record }, ACCOUNTS);
      return rows(one, many);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await authority.close();
  }
}

function rows(one, many) {
  const [A, B] = PACKAGES;
  const f = (x, d = 1) => x.toFixed(d);
  const ratio = (a, b) => `${f(b / a)}x`;
  const row = (what, get, d) => [
    ...[one, many].map(
      (m, i) =>
        `| cache of ${i ? "1,000 accounts" : "1 account"}: ${what} | ${f(get(m[A]), d)} | ${f(get(m[B]), d)} | ${ratio(get(m[A]), get(m[B]))} |`,
    ),
    `| growth 1 → 1,000 accounts: ${unitless(what)} | ${ratio(get(one[A]), get(many[A]))} | ${ratio(get(one[B]), get(many[B]))} | |`,
  ];
  const unitless = (what) => what.replace(/,? ?(µs|ms|MB)\)$/, ")").replace(" ()", "");
  const fresh = (key) => (p) => median(p.fresh.map((r) => r[key]));
  return [
    ...row("cached getToken median (µs)", (p) => p.median, 2),
    ...row("cached getToken p99 (µs)", (p) => p.p99, 2),
    ...row(`fresh process, silent token from the persisted cache: start to token (median of ${RUNS}, ms)`, fresh("total")),
    // entra-broker loads its persistence module on first use, inside getToken; @azure/identity's plugin is imported before.
    ...row(`same, getToken only (median of ${RUNS}, ms)`, fresh("getToken")),
    ...row(`getToken for a new resource: refresh token redeemed, cache saved (median of ${RENEWALS}, ms)`, (p) => p.renew),
    ...row("heap after the first getToken (MB)", (p) => p.heapMB),
    `| persisted cache (msal JSON, one libsecret entry both read): size with 1 / 1,000 accounts (kB) | ${f(one.bytes / 1e3)} / ${f(many.bytes / 1e3)} | (the same cache) | |`,
    `| token requests while measuring cached and fresh-process getTokens, 1 / 1,000 accounts (all from the cache) | ${one[A].tokenRequests} / ${many[A].tokenRequests} | ${one[B].tokenRequests} / ${many[B].tokenRequests} | |`,
    `| token requests for the ${RENEWALS} new resources, 1 / 1,000 accounts | ${one[A].renewRequests} / ${many[A].renewRequests} | ${one[B].renewRequests} / ${many[B].renewRequests} | |`,
    `| of those ${RENEWALS} new resources' tokens, in the persisted cache afterwards, 1 / 1,000 accounts | ${one[A].kept} / ${many[A].kept} | ${one[B].kept} / ${many[B].kept} | |`,
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log("| measure | entra-broker | @azure/identity | ratio |\n|---|---|---|---|");
}
for (const line of await accountRows()) console.log(line);
