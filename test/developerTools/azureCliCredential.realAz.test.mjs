// AzureCliCredential through the REAL az (azure-cli 2.45), signed in offline to the dev authority
// for two tenants; @azure/identity's AzureCliCredential through the same az beside it. az's runs are
// counted by a wrapper on PATH.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AzureCliCredential as IdentityAzureCliCredential } from "@azure/identity";
import { BearerVerifier, DevAuthority } from "entra-broker-devtools";
import { AzureCliCredential, CredentialUnavailableError } from "entra-broker";
import { azTestOptions, ADA, AZ_CLIENT_ID } from "../azureCli/util.mjs";
import { signedInRealAz } from "./realAz.mjs";

const options = azTestOptions();
const SCOPE = "https://management.core.windows.net//.default";
const RESOURCE = "https://management.core.windows.net/";
let authority;
let az;
let contoso;
let fabrikam;

before(async () => {
  if (options.skip) return;
  authority = await DevAuthority.start();
  [contoso, fabrikam] = authority.tenants.map((t) => t.tenantId);
  az = await signedInRealAz(authority);
  az.use();
});
after(async () => {
  await az?.close();
  await authority?.close();
});

async function claimsOf(token) {
  return (await new BearerVerifier(authority.url, authority.ca, [RESOURCE]).verify(`Bearer ${token.token}`)).claims;
}

test("real az: a token for the signed-in user in each of two tenants; second calls run no az", options, async (t) => {
  const credential = new AzureCliCredential();
  const before = az.runs().length;
  let started = performance.now();
  const home = await credential.getToken(SCOPE);
  const first = performance.now() - started;
  const homeClaims = await claimsOf(home);
  assert.equal(homeClaims.upn, ADA.username);
  assert.equal(homeClaims.appid, AZ_CLIENT_ID);
  // az 2.45 prints local time without an offset: read as such, it matches the token's exp.
  assert.ok(Math.abs(home.expiresOnTimestamp - homeClaims.exp * 1000) <= 2000);
  const other = await credential.getToken(SCOPE, { tenantId: fabrikam === homeClaims.tid ? contoso : fabrikam });
  const otherClaims = await claimsOf(other);
  assert.notEqual(otherClaims.tid, homeClaims.tid);
  assert.deepEqual([homeClaims.tid, otherClaims.tid].sort(), [contoso, fabrikam].sort());
  assert.equal(az.runs().length, before + 2);
  assert.match(az.runs().at(-1), new RegExp(`^account get-access-token --output json --resource ${RESOURCE} --tenant ${otherClaims.tid}$`));

  started = performance.now();
  assert.equal(await credential.getToken(SCOPE), home);
  const second = performance.now() - started;
  assert.equal(await credential.getToken(SCOPE, { tenantId: otherClaims.tid }), other);
  assert.equal(az.runs().length, before + 2, "no az run for tokens in memory");
  t.diagnostic(`ours: first getToken ${first.toFixed(0)} ms, second ${(second * 1000).toFixed(0)} µs, az runs for 4 calls: 2`);
});

test("real az: a configured tenant, and concurrent callers sharing one az run", options, async () => {
  const credential = new AzureCliCredential({ tenantId: fabrikam });
  const before = az.runs().length;
  const tokens = await Promise.all(Array.from({ length: 4 }, () => credential.getToken(SCOPE)));
  assert.ok(tokens.every((x) => x === tokens[0]));
  assert.equal((await claimsOf(tokens[0])).tid, fabrikam);
  assert.equal(az.runs().length, before + 1);
});

test("real az: @azure/identity's AzureCliCredential through the same az runs it on every call", options, async (t) => {
  const credential = new IdentityAzureCliCredential();
  const before = az.runs().length;
  const started = performance.now();
  const a = await credential.getToken(SCOPE);
  const first = performance.now() - started;
  const again = performance.now();
  const b = await credential.getToken(SCOPE);
  const second = performance.now() - again;
  assert.equal((await claimsOf(a)).upn, ADA.username);
  assert.equal(a.token, b.token);
  assert.equal(az.runs().length, before + 2);
  t.diagnostic(`@azure/identity: first ${first.toFixed(0)} ms, second ${second.toFixed(0)} ms, az runs for 2 calls: 2`);
});

test("real az, nothing signed in (a fresh config dir): CredentialUnavailableError saying to run az login", options, async () => {
  const saved = process.env.AZURE_CONFIG_DIR;
  process.env.AZURE_CONFIG_DIR = mkdtempSync(path.join(tmpdir(), "az-empty-"));
  try {
    await assert.rejects(new AzureCliCredential().getToken(SCOPE), (e) => {
      assert.ok(e instanceof CredentialUnavailableError);
      assert.equal(e.code, "AZURE_CLI_NOT_SIGNED_IN");
      assert.match(e.message, /run az login/);
      return true;
    });
  } finally {
    process.env.AZURE_CONFIG_DIR = saved;
  }
});
