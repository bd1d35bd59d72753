import * as ours from "entra-broker";
import * as identity from "@azure/identity";
import { readFileSync } from "node:fs";
import { completeDeviceCodeOverHttp } from "../test/helpers/devAuthorityBrowser.mjs";
import { cachedGetTokenTimes } from "./timing.mjs";

const url = process.env.BENCH_AUTHORITY;
const ca = readFileSync(process.env.BENCH_CA, "utf8");
const tenantId = process.env.BENCH_TENANT;
const SCOPE = "https://graph.microsoft.com/.default";
const OTHER = "https://storage.azure.com/.default";
const user = { username: "ada@contoso.example", password: "ada-password" };

const ask = (msg) =>
  new Promise((resolve) => {
    process.once("message", resolve);
    process.send(msg);
  });
const prompt = (info) => void completeDeviceCodeOverHttp(info.verificationUri, info.userCode, { ca, ...user }).catch(() => {});

function make(pkg) {
  const options = { authorityHost: url, tenantId, userPromptCallback: prompt };
  return pkg === ours
    ? new ours.DeviceCodeCredential({ ...options, authorityCa: ca })
    : new identity.DeviceCodeCredential({ ...options, disableInstanceDiscovery: true });
}

async function concurrent(cred) {
  await ask("reset");
  await Promise.all(Array.from({ length: 200 }, () => cred.getToken(OTHER)));
  return (await ask("count")).token;
}

const rows = [];
const log = (m) => process.stderr.write(`bench: ${m}\n`);
for (const [name, pkg] of [
  ["entra-broker", ours],
  ["@azure/identity", identity],
]) {
  const cred = make(pkg);
  log(`${name}: sign in`);
  await cred.authenticate(SCOPE);
  log(`${name}: cached`);
  const c = await cachedGetTokenTimes(cred, SCOPE);
  log(`${name}: concurrent`);
  const tokenRequests = await concurrent(cred);
  log(`${name}: first calls`);
  const first = make(pkg);
  await ask("reset");
  await Promise.all(Array.from({ length: 20 }, () => first.getToken(SCOPE)));
  const signIns = (await ask("count")).devicecode;
  rows.push({ name, ...c, tokenRequests, signIns });
}
const [a, b] = rows;
console.log("| measure | entra-broker | @azure/identity | ratio |");
console.log("|---|---|---|---|");
console.log(`| cached getToken median (µs) | ${a.p50.toFixed(2)} | ${b.p50.toFixed(2)} | ${(b.p50 / a.p50).toFixed(0)}x |`);
console.log(`| cached getToken p99 (µs) | ${a.p99.toFixed(2)} | ${b.p99.toFixed(2)} | ${(b.p99 / a.p99).toFixed(0)}x |`);
console.log(`| 200 concurrent getToken (new scope): token requests | ${a.tokenRequests} | ${b.tokenRequests} | |`);
console.log(`| 20 concurrent first getToken, nobody signed in: device codes requested | ${a.signIns} | ${b.signIns} | |`);
process.exit(0);
