// Addon load time and size: our broker addon beside Microsoft's (@azure/msal-node-runtime, which
// @azure/identity-broker loads). Each load in a fresh process, median of 7; sizes of the binaries a
// Linux x64 install loads.
import { spawnSync } from "node:child_process";
import { statSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

function medianLoadMs(code) {
  const times = [];
  for (let i = 0; i < 7; i++) {
    const run = spawnSync(
      process.execPath,
      ["-e", `const t=process.hrtime.bigint();${code};console.log(Number(process.hrtime.bigint()-t)/1e6)`],
      { encoding: "utf8" },
    );
    if (run.status !== 0) return { error: run.stderr.trim().split("\n").pop() };
    times.push(Number(run.stdout.trim()));
  }
  return { ms: times.sort((a, b) => a - b)[3] };
}

function sizeOf(files) {
  return files.reduce((sum, f) => sum + statSync(f).size, 0);
}

const ourPath = require.resolve("entra-broker/package.json");
const ourDir = path.join(path.dirname(ourPath), "prebuilds", `${process.platform}-${process.arch}`);
const ourFiles = readdirSync(ourDir)
  .filter((f) => f.endsWith(".node"))
  .map((f) => path.join(ourDir, f));
const runtimeDir = path.join(path.dirname(require.resolve("@azure/msal-node-runtime/package.json")), "dist", "linux", "ubuntu", "x64");
const runtimeFiles = readdirSync(runtimeDir).map((f) => path.join(runtimeDir, f));

const ours = medianLoadMs(`require(${JSON.stringify(ourFiles[0])})`);
const theirs = medianLoadMs(`require("@azure/msal-node-runtime")`);
const fmt = (r) => (r.ms !== undefined ? r.ms.toFixed(1) : `failed: ${r.error}`);
const ratio = ours.ms && theirs.ms ? `${(theirs.ms / ours.ms).toFixed(1)}x` : "";
console.log(`| native broker client load (median of 7, ms) | ${fmt(ours)} | ${fmt(theirs)} (msal-node-runtime) | ${ratio} |`);
const ourKb = sizeOf(ourFiles) / 1024;
const theirKb = sizeOf(runtimeFiles) / 1024;
console.log(
  `| native broker client size, linux-x64 (KiB) | ${ourKb.toFixed(0)} | ${theirKb.toFixed(0)} (msal-node-runtime) | ${(theirKb / ourKb).toFixed(0)}x |`,
);
