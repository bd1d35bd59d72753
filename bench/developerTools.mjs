// AzureCliCredential beside @azure/identity's, through the same real az (signed in offline to a dev
// authority with a device code): first getToken, second getToken, and how many times each ran az.
import { performance } from "node:perf_hooks";
import { AzureCliCredential as TheirAzureCliCredential } from "@azure/identity";
import { DevAuthority } from "entra-broker-devtools";
import { AzureCliCredential } from "entra-broker";
import { signedInRealAz } from "../test/developerTools/realAz.mjs";
import { installed } from "./helpers.mjs";

const SCOPE = "https://management.core.windows.net//.default";
const CALLS = 5;

async function measure(credential, runs) {
  const before = runs();
  let started = performance.now();
  await credential.getToken(SCOPE);
  const first = performance.now() - started;
  const later = [];
  for (let i = 1; i < CALLS; i++) {
    started = performance.now();
    await credential.getToken(SCOPE);
    later.push(performance.now() - started);
  }
  later.sort((a, b) => a - b);
  return { first, second: later[later.length >> 1], runs: runs() - before };
}

const ms = (x) => (x < 1 ? `${(x * 1000).toFixed(0)} µs` : `${x.toFixed(0)} ms`);

if (installed("/usr/bin/az")) await bench();
else console.log("\n(developer tools: the real az is not installed; run scripts/setup.sh to measure AzureCliCredential)");

async function bench() {
  const authority = await DevAuthority.start();
  const az = await signedInRealAz(authority);
  try {
    az.use();
    const runs = () => az.runs().length;
    const ours = await measure(new AzureCliCredential(), runs);
    const theirs = await measure(new TheirAzureCliCredential(), runs);
    console.log(`\n| AzureCliCredential, real az ${CALLS} getToken calls, one scope | entra-broker | @azure/identity |`);
    console.log("|---|---|---|");
    console.log(`| first getToken | ${ms(ours.first)} | ${ms(theirs.first)} |`);
    console.log(`| later getToken (median) | ${ms(ours.second)} | ${ms(theirs.second)} |`);
    console.log(`| az runs for ${CALLS} calls | ${ours.runs} | ${theirs.runs} |`);
  } finally {
    await az.close();
    await authority.close();
  }
}
