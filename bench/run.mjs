// npm run bench: entra-broker beside @azure/identity against one dev authority, in one run.
// The authority lives here; the measurements run in a child that trusts its CA through
// NODE_EXTRA_CA_CERTS (how @azure/identity can be pointed at it), both packages in that child.
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { DevAuthority } from "entra-broker-devtools";
import { persistedCacheRows } from "./persistence.mjs";

const authority = await DevAuthority.start();
const child = spawn(process.execPath, [fileURLToPath(new URL("./measure.mjs", import.meta.url))], {
  env: {
    ...process.env,
    NODE_EXTRA_CA_CERTS: authority.caPath,
    BENCH_AUTHORITY: authority.url,
    BENCH_CA: authority.caPath,
    BENCH_TENANT: authority.tenants[0].tenantId,
  },
  stdio: ["ignore", "inherit", "inherit", "ipc"],
});
// The child asks how many token requests the authority saw.
child.on("message", (msg) => {
  if (msg === "reset") {
    authority.resetCounters();
    child.send("done");
  }
  if (msg === "count")
    child.send({ token: authority.counters.token, authorize: authority.counters.authorize, devicecode: authority.counters.devicecode });
});
const code = await new Promise((resolve) => child.on("exit", resolve));
let persisted = { rows: [] };
try {
  persisted = await persistedCacheRows(authority);
} catch (error) {
  console.error(`bench: persisted cache: ${error.message}`);
  process.exitCode = 1;
}
await authority.close();

const median7 = (sample) => Array.from({ length: 7 }, sample).sort((a, b) => a - b)[3];

// Cold import: a fresh process each time, median of 7, the two packages in turn.
function coldImportOnce(spec) {
  const run = spawnSync(
    process.execPath,
    ["-e", `const t=process.hrtime.bigint();require(${JSON.stringify(spec)});console.log(Number(process.hrtime.bigint()-t)/1e6)`],
    { encoding: "utf8" },
  );
  return Number(run.stdout.trim());
}
const ours = median7(() => coldImportOnce("entra-broker"));
const theirs = median7(() => coldImportOnce("@azure/identity"));
console.log(`| cold require() (median of 7, ms) | ${ours.toFixed(1)} | ${theirs.toFixed(1)} | ${(theirs / ours).toFixed(1)}x |`);
// From ESM every named export is bound at import, so each credential's modules load: the figure apart.
function coldEsmImportOnce(spec) {
  const script = `const t=process.hrtime.bigint();await import(${JSON.stringify(spec)});console.log(Number(process.hrtime.bigint()-t)/1e6)`;
  return Number(spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }).stdout.trim());
}
const oursEsm = median7(() => coldEsmImportOnce("entra-broker"));
const theirsEsm = median7(() => coldEsmImportOnce("@azure/identity"));
console.log(
  `| cold import() from ESM (median of 7, ms) | ${oursEsm.toFixed(1)} | ${theirsEsm.toFixed(1)} | ${(theirsEsm / oursEsm).toFixed(1)}x |`,
);
for (const row of persisted.rows) console.log(row);

// `entra-broker --help`: the whole process, and node's own start (node -e 0) beside it.
function wallMs(args) {
  const started = process.hrtime.bigint();
  spawnSync(process.execPath, args, { stdio: "ignore" });
  return Number(process.hrtime.bigint() - started) / 1e6;
}
const help = median7(() => wallMs([fileURLToPath(new URL("../dist/cli/main.js", import.meta.url)), "--help"]));
const bareNode = median7(() => wallMs(["-e", "0"]));

// Issue 12's targets, ours over the anchor's in this one run.
const targets = [
  ["cold import (require)", ours, theirs, 0.25],
  ["cold import (ESM import)", oursEsm, theirsEsm, 0.25],
];
if (persisted.ours) {
  targets.push(["fresh process, silent getToken from the persisted cache", persisted.ours.getToken, persisted.theirs.getToken, 1]);
  targets.push(["fresh process, start to first token", persisted.ours.total, persisted.theirs.total, 0.4]);
}
console.log("\n| target (issue 12) | entra-broker (ms) | @azure/identity (ms) | ours / theirs | target | met |");
console.log("|---|---|---|---|---|---|");
for (const [name, a, b, limit] of targets) {
  console.log(`| ${name} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(a / b).toFixed(2)}x | <= ${limit}x | ${a / b <= limit ? "yes" : "NO"} |`);
}
console.log(
  `| entra-broker --help, whole process (node -e 0 alone: ${bareNode.toFixed(1)} ms) | ${help.toFixed(1)} | | | < 100 ms | ${help < 100 ? "yes" : "NO"} (ours beyond node's start: ${(help - bareNode).toFixed(1)} ms) |`,
);
process.exitCode = process.exitCode || (code ?? 1);
await import("./addon.mjs").catch((error) => {
  console.error(`bench: addon: ${error.message}`);
  process.exitCode = 1;
});
await import("./accounts.mjs").catch((error) => {
  console.error(`bench: accounts: ${error.message}`);
  process.exitCode = 1;
});
await import("./serviceCredentials.mjs").catch((error) => {
  console.error(`bench: service credentials: ${error.message}`);
  process.exitCode = 1;
});
await import("./footprint.mjs").catch((error) => {
  console.error(`bench: footprint: ${error.message}`);
  process.exitCode = 1;
});
await import("./managedIdentity.mjs").catch((error) => {
  console.error(`bench: managed identity: ${error.message}`);
  process.exitCode = 1;
});
await import("./developerTools.mjs").catch((error) => ((process.exitCode = 1), console.error(`bench: developer tools: ${error.message}`)));
await import("./defaultAzureCredential.mjs").catch(
  (error) => ((process.exitCode = 1), console.error(`bench: DefaultAzureCredential: ${error.message}`)),
);
