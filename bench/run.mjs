// npm run bench: entra-broker beside @azure/identity against one dev authority, in one run.
// The authority lives here; the measurements run in a child that trusts its CA through
// NODE_EXTRA_CA_CERTS (how @azure/identity can be pointed at it), both packages in that child.
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { DevAuthority } from "entra-broker-devtools";
import { persistedCacheRows } from "./persistence.mjs";

const authority = await DevAuthority.start();
const child = spawn(process.execPath, [fileURLToPath(new URL("./measure.mjs", import.meta.url))], {
  env: { ...process.env, NODE_EXTRA_CA_CERTS: authority.caPath, BENCH_AUTHORITY: authority.url, BENCH_CA: authority.caPath, BENCH_TENANT: authority.tenants[0].tenantId },
  stdio: ["ignore", "inherit", "inherit", "ipc"],
});
// The child asks how many token requests the authority saw.
child.on("message", (msg) => {
  if (msg === "reset") {
    authority.resetCounters();
    child.send("done");
  }
  if (msg === "count") child.send({ token: authority.counters.token, authorize: authority.counters.authorize, devicecode: authority.counters.devicecode });
});
const code = await new Promise((resolve) => child.on("exit", resolve));
let persisted = [];
try {
  persisted = await persistedCacheRows(authority);
} catch (error) {
  console.error(`bench: persisted cache: ${error.message}`);
  process.exitCode = 1;
}
await authority.close();

// Cold import: a fresh process each time, median of 7.
function coldImport(spec) {
  const times = [];
  for (let i = 0; i < 7; i++) {
    const run = spawnSync(process.execPath, ["-e", `const t=process.hrtime.bigint();require(${JSON.stringify(spec)});console.log(Number(process.hrtime.bigint()-t)/1e6)`], { encoding: "utf8" });
    times.push(Number(run.stdout.trim()));
  }
  return times.sort((a, b) => a - b)[3];
}
const ours = coldImport("entra-broker");
const theirs = coldImport("@azure/identity");
console.log(`| cold require() (median of 7, ms) | ${ours.toFixed(1)} | ${theirs.toFixed(1)} | ${(theirs / ours).toFixed(1)}x |`);
for (const row of persisted) console.log(row);
process.exitCode = process.exitCode || (code ?? 1);
await import("./addon.mjs").catch((error) => { console.error(`bench: addon: ${error.message}`); process.exitCode = 1; });
await import("./accounts.mjs").catch((error) => { console.error(`bench: accounts: ${error.message}`); process.exitCode = 1; });
await import("./footprint.mjs").catch((error) => { console.error(`bench: footprint: ${error.message}`); process.exitCode = 1; });
