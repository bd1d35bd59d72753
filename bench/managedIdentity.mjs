// ManagedIdentityCredential beside @azure/identity's, each in a fresh process pointed at the dev
// authority's IMDS (AZURE_POD_IDENTITY_AUTHORITY_HOST, never 169.254.169.254): first token, and
// time to "unavailable" with IMDS refused and black-holed. The anchor's wait is cut at ANCHOR_LIMIT_MS.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const ANCHOR_LIMIT_MS = 15_000;
const SELF = fileURLToPath(import.meta.url);

if (process.env.MI_BENCH_CHILD) {
  // Child: import, construct, one getToken; prints the times.
  const spec = JSON.parse(process.env.MI_BENCH_CHILD);
  const t0 = performance.now();
  const { ManagedIdentityCredential } = spec.impl === "anchor" ? await import("@azure/identity") : await import("entra-broker");
  const credential = new ManagedIdentityCredential(spec.options ?? {});
  const t1 = performance.now();
  let outcome;
  try {
    await credential.getToken("https://management.azure.com/.default");
    outcome = "token";
  } catch (e) {
    outcome = e.name;
  }
  const t2 = performance.now();
  try {
    await credential.getToken("https://management.azure.com/.default");
  } catch {
    /* the second call's outcome is the first's */
  }
  const t3 = performance.now();
  console.log(JSON.stringify({ outcome, total: t2 - t0, getToken: t2 - t1, second: t3 - t2 }));
  process.exit(0);
}

const { DevAuthority } = await import("entra-broker-devtools");
const authority = await DevAuthority.start();
const mi = await authority.startManagedIdentity();

function once(impl, options, limitMs = 60_000) {
  return new Promise((resolve) => {
    const env = { ...mi.env("imds", process.env), MI_BENCH_CHILD: JSON.stringify({ impl, options }) };
    const child = spawn(process.execPath, [SELF], { env, stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), limitMs);
    child.on("exit", () => {
      clearTimeout(timer);
      const line = out.split("\n").find((l) => l.startsWith("{"));
      resolve(line ? JSON.parse(line) : { outcome: "stopped", getToken: limitMs, total: limitMs, second: NaN });
    });
  });
}

async function median(runs, impl, options, limitMs) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await once(impl, options, limitMs));
  results.sort((a, b) => a.getToken - b.getToken);
  return results[Math.floor(runs / 2)];
}

const fmt = (r) => (r.outcome === "stopped" ? `> ${ANCHOR_LIMIT_MS} (never answered; stopped)` : r.getToken.toFixed(1));
const rows = [];
try {
  const oursToken = await median(5, "ours");
  const theirsToken = await median(5, "anchor");
  rows.push(["first token, IMDS (getToken, median of 5)", fmt(oursToken), fmt(theirsToken)]);
  rows.push(["first token, IMDS: import + construct + getToken", oursToken.total.toFixed(1), theirsToken.total.toFixed(1)]);

  mi.injectFault("imds", { kind: "refuse" });
  const oursRefused = await median(5, "ours");
  const theirsRefused = await once("anchor", {}, ANCHOR_LIMIT_MS);
  rows.push([`IMDS refused: time to ${oursRefused.outcome}`, fmt(oursRefused), `${fmt(theirsRefused)} (${theirsRefused.outcome})`]);
  rows.push([
    "IMDS refused: the next call",
    oursRefused.second.toFixed(2),
    Number.isFinite(theirsRefused.second) ? theirsRefused.second.toFixed(1) : "-",
  ]);
  await mi.clearFaults();

  mi.injectFault("imds", { kind: "blackhole", times: Infinity });
  const oursAlone = await once("ours");
  const oursChain = await once("ours", { probeTimeoutMs: 1000 });
  const theirsHole = await once("anchor", {}, ANCHOR_LIMIT_MS);
  rows.push([`IMDS black-holed, alone (3 s probe): time to ${oursAlone.outcome}`, fmt(oursAlone), `${fmt(theirsHole)}`]);
  rows.push([`IMDS black-holed, in a chain (probeTimeoutMs 1000): time to ${oursChain.outcome}`, fmt(oursChain), "-"]);
  rows.push(["IMDS black-holed: the next call", oursAlone.second.toFixed(2), "-"]);
} finally {
  await mi.close();
  await authority.close();
}
console.log("\n| ManagedIdentityCredential (ms) | entra-broker | @azure/identity |");
console.log("|---|---|---|");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
