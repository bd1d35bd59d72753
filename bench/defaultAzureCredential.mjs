// DefaultAzureCredential off Azure beside @azure/identity's, each in a fresh process, through the
// same real az (signed in offline to a dev authority): IMDS refused, and IMDS that accepts and never
// answers (both on loopback, through AZURE_POD_IDENTITY_AUTHORITY_HOST); first and second getToken,
// and how many times each ran az.
import { execFile } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { DevAuthority } from "entra-broker-devtools";
import { signedInRealAz } from "../test/developerTools/realAz.mjs";
import { installed } from "./helpers.mjs";
import { offAzureEnv } from "../test/helpers/offAzureEnv.mjs";

const CHILD = fileURLToPath(new URL("./defaultAzureCredentialChild.mjs", import.meta.url));
const LIMIT_MS = 40_000;

function child(which, env) {
  return new Promise((resolve) => {
    execFile(process.execPath, [CHILD, which], { env, timeout: LIMIT_MS }, (error, stdout) => {
      const last = stdout.trim().split("\n").filter(Boolean).pop();
      const done = last ? JSON.parse(last) : {};
      resolve(error ? { ...done, stopped: error.killed ? `stopped after ${LIMIT_MS / 1000} s` : "failed" } : done);
    });
  });
}

const ms = (x) => (x === undefined ? "" : x < 1 ? `${(x * 1000).toFixed(0)} µs` : `${x.toFixed(0)} ms`);

if (installed("/usr/bin/az")) await bench();
else console.log("\n(DefaultAzureCredential: the real az is not installed; run scripts/setup.sh to measure it)");

async function bench() {
  const authority = await DevAuthority.start();
  const az = await signedInRealAz(authority);
  // A port that refuses (bound, then closed), and a listener that accepts and never answers.
  const refused = await new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
  const held = [];
  const blackhole = createServer((socket) => held.push(socket));
  await new Promise((resolve) => blackhole.listen(0, "127.0.0.1", resolve));
  try {
    const base = offAzureEnv(az.env());
    console.log("\n| DefaultAzureCredential off Azure, real az, fresh process | entra-broker | @azure/identity |");
    console.log("|---|---|---|");
    for (const [label, port] of [
      ["IMDS refused", refused],
      ["IMDS black-holed", blackhole.address().port],
    ]) {
      const env = { ...base, AZURE_POD_IDENTITY_AUTHORITY_HOST: `http://127.0.0.1:${port}` };
      const row = {};
      for (const which of ["ours", "theirs"]) {
        const before = az.runs().length;
        row[which] = { ...(await child(which, env)), runs: az.runs().length - before };
      }
      const cell = (r, key) => (r[key] === undefined ? (r.stopped ?? "no token") : ms(r[key]));
      console.log(`| ${label}: first getToken | ${cell(row.ours, "first")} | ${cell(row.theirs, "first")} |`);
      console.log(`| ${label}: second getToken | ${cell(row.ours, "second")} | ${cell(row.theirs, "second")} |`);
      console.log(`| ${label}: az runs for 3 calls | ${row.ours.runs} | ${row.theirs.runs} |`);
    }
  } finally {
    for (const s of held) s.destroy();
    blackhole.close();
    await az.close();
    await authority.close();
  }
}
