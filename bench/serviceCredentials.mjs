// The service credentials' rows of `npm run bench`, entra-broker beside @azure/identity against
// one dev authority with a registered app: ClientSecretCredential's first token in a fresh process,
// counted from construction (msal-node's load, metadata, the token request) and from the import
// (@azure/identity loads msal-node when imported, entra-broker at the first getToken), and its
// cached getToken p50/p99. Each package runs in its own fresh processes (this file with "child"),
// trusting the dev authority's CA through NODE_EXTRA_CA_CERTS as @azure/identity needs.
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { runChild } from "./helpers.mjs";
import { cachedGetTokenTimes } from "./timing.mjs";

const SCOPE = "https://graph.microsoft.com/.default";
const APP = "bbbbbbbb-2222-4333-8444-555555555555";
const SECRET = "bench-secret~value";
const RUNS = 5;
const PACKAGES = ["entra-broker", "@azure/identity"];

if (process.argv[2] === "child") {
  const input = JSON.parse(process.argv[3]);
  const imported = performance.now();
  const pkg = await import(input.pkg);
  const ours = input.pkg === "entra-broker";
  const options = ours ? { authorityHost: input.url, authorityCa: input.ca } : { authorityHost: input.url, disableInstanceDiscovery: true };
  const started = performance.now();
  const cred = new pkg.ClientSecretCredential(input.tenant, APP, SECRET, options);
  await cred.getToken(SCOPE);
  const first = performance.now() - started;
  const whole = performance.now() - imported;
  console.log(JSON.stringify({ first, whole, ...(await cachedGetTokenTimes(cred, SCOPE)) }));
} else {
  const { DevAuthority } = await import("entra-broker-devtools");
  const authority = await DevAuthority.start({ clients: [{ clientId: APP, clientSecret: SECRET }] });
  try {
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: authority.caPath };
    const input = { url: authority.url, ca: authority.ca, tenant: authority.tenants[0].tenantId };
    const results = {};
    for (const pkg of PACKAGES) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) {
        process.stderr.write(`bench: service credentials: ${pkg} run ${i + 1}\n`);
        runs.push(await runChild([fileURLToPath(import.meta.url), "child", JSON.stringify({ ...input, pkg })], env));
      }
      const mid = (key) => runs.map((r) => r[key]).sort((a, b) => a - b)[RUNS >> 1];
      results[pkg] = { first: mid("first"), whole: mid("whole"), p50: mid("p50"), p99: mid("p99") };
    }
    const [a, b] = PACKAGES.map((p) => results[p]);
    console.log(`\n| ClientSecretCredential (median of ${RUNS} fresh processes) | entra-broker | @azure/identity | ours / theirs |`);
    console.log("|---|---|---|---|");
    console.log(
      `| first token, from construction (ms) | ${a.first.toFixed(1)} | ${b.first.toFixed(1)} | ${(a.first / b.first).toFixed(2)}x |`,
    );
    console.log(`| first token, from import (ms) | ${a.whole.toFixed(1)} | ${b.whole.toFixed(1)} | ${(a.whole / b.whole).toFixed(2)}x |`);
    console.log(`| cached getToken p50 (µs) | ${a.p50.toFixed(2)} | ${b.p50.toFixed(2)} | ${(a.p50 / b.p50).toFixed(2)}x |`);
    console.log(`| cached getToken p99 (µs) | ${a.p99.toFixed(2)} | ${b.p99.toFixed(2)} | ${(a.p99 / b.p99).toFixed(2)}x |`);
  } finally {
    await authority.close();
  }
}
