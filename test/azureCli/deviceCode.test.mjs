// The real Azure CLI (Debian's azure-cli 2.45) signed in offline with `az login --use-device-code`
// against the dev authority; tokens for two tenants; @azure/identity's AzureCliCredential through
// the same az as the check of the set-up. Each step's time goes to the test's diagnostics.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { AzCommandError, BearerVerifier, DevAuthority, decodeJwtPayload, OfflineAzureCli } from "entra-broker-devtools";
import { completeDeviceCodeOverHttp } from "../helpers/devAuthorityBrowser.mjs";
import { ADA, approveAs, AZ_CLIENT_ID, azTestOptions, MANAGEMENT } from "./util.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const options = azTestOptions();
let authority;
let cli;
let contoso;
let fabrikam;
let accounts;

before(async () => {
  if (options.skip) return;
  authority = await DevAuthority.start();
  [contoso, fabrikam] = authority.tenants;
  cli = await OfflineAzureCli.start({ authority });
  accounts = await cli.loginDeviceCode({ approve: approveAs(authority) });
});
after(async () => {
  await cli?.close();
  await authority?.close();
});

/** Checks the token as a resource would (signature, issuer, audience, expiry) and returns its claims. */
async function verified(token, audience) {
  return (await new BearerVerifier(authority.url, authority.ca, [audience]).verify(`Bearer ${token}`)).claims;
}

test("az login --use-device-code: signed in to both of the user's tenants, nothing sent off the machine", options, async (t) => {
  assert.deepEqual(accounts.map((a) => a.tenantId).sort(), [contoso.tenantId, fabrikam.tenantId].sort());
  for (const a of accounts) {
    assert.deepEqual(a.user, { name: ADA.username, type: "user" });
    assert.equal(a.id, cli.arm.subscriptions.find((s) => s.tenantId === a.tenantId).subscriptionId);
    assert.equal(a.cloudName, "EntraBrokerDev");
  }
  assert.equal(accounts.filter((a) => a.isDefault).length, 1);
  // az asked login.microsoftonline.com for instance discovery; the proxy answered it and refused the rest.
  assert.ok(cli.proxy.discoveryRequests >= 1);
  assert.ok(
    cli.proxy.refused.every((r) => !/login\.microsoftonline\.com/.test(r)),
    cli.proxy.refused.join(", "),
  );
  // The resource-manager calls az login makes, each with a valid bearer token.
  assert.deepEqual(
    cli.arm.requests.map((r) => `${r.method} ${r.path} ${r.apiVersion} ${r.status}`),
    ["GET /tenants 2019-11-01 200", "GET /subscriptions 2019-11-01 200", "GET /subscriptions 2019-11-01 200"],
  );
  assert.equal(authority.counters.tokenByGrant["urn:ietf:params:oauth:grant-type:device_code"] >= 1, true);
  assert.ok(existsSync(path.join(cli.configDir, "azureProfile.json")));
  t.diagnostic(`steps (ms): ${cli.steps.map((s) => `${s.step} ${s.ms}`).join("; ")}`);
});

test("az account get-access-token: tokens the dev authority issued, for the default and a second tenant", options, async (t) => {
  const before = cli.steps.length;
  const home = await cli.getAccessToken({ resource: MANAGEMENT });
  const defaultAccount = accounts.find((a) => a.isDefault);
  assert.equal(home.tenant, defaultAccount.tenantId);
  assert.equal(home.subscription, defaultAccount.id);
  assert.equal(home.tokenType, "Bearer");
  assert.match(home.expiresOn, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/); // az 2.45: local time, no offset
  assert.equal(home.expires_on, undefined);
  const c = await verified(home.accessToken, MANAGEMENT);
  assert.equal(c.tid, defaultAccount.tenantId);
  assert.equal(c.iss, `${authority.url}/${c.tid}/v2.0`);
  assert.equal(c.upn, ADA.username);
  assert.equal(c.appid, AZ_CLIENT_ID);
  // az computes expiresOn from expires_in on its own clock: within a second or two of exp.
  assert.ok(Math.abs(new Date(home.expiresOn).getTime() - c.exp * 1000) <= 2000, `${home.expiresOn} vs exp ${c.exp}`);

  const other = defaultAccount.tenantId === contoso.tenantId ? fabrikam : contoso;
  const second = await cli.getAccessToken({ resource: "https://graph.microsoft.com", tenantId: other.tenantId });
  assert.equal(second.tenant, other.tenantId);
  assert.equal(second.subscription, undefined); // --tenant: a tenant-level token
  const c2 = await verified(second.accessToken, "https://graph.microsoft.com");
  assert.equal(c2.tid, other.tenantId);
  assert.equal(c2.upn, ADA.username);
  assert.equal(decodeJwtPayload(second.accessToken).aud, "https://graph.microsoft.com");
  t.diagnostic(
    `get-access-token (ms): ${cli.steps
      .slice(before)
      .map((s) => s.ms)
      .join(", ")}`,
  );
});

test("@azure/identity's AzureCliCredential gets its token through the same az, also for the second tenant", options, async (t) => {
  const run = async (scope, tenantId) => {
    const args = [path.join(here, "identityChild.mjs"), scope, ...(tenantId ? [tenantId] : [])];
    const started = performance.now();
    const { stdout } = await promisify(execFile)(process.execPath, args, { env: cli.env, cwd: here, timeout: 30000 });
    return { ...JSON.parse(stdout), processMs: Math.round(performance.now() - started) };
  };
  const home = await run("https://management.core.windows.net//.default");
  const c = await verified(home.token, MANAGEMENT);
  assert.equal(c.upn, ADA.username);
  assert.ok(Math.abs(home.expiresOnTimestamp - c.exp * 1000) <= 2000, `${home.expiresOnTimestamp} vs exp ${c.exp}`);
  const second = await run("https://management.core.windows.net//.default", fabrikam.tenantId);
  assert.equal((await verified(second.token, MANAGEMENT)).tid, fabrikam.tenantId);
  t.diagnostic(`AzureCliCredential.getToken (ms): ${home.ms}, ${second.ms}; node + getToken: ${home.processMs}, ${second.processMs}`);
});

test("device code declined on the page, or the approval failing: az login fails at once, not at its time limit", options, async () => {
  const other = await OfflineAzureCli.start({ authority });
  try {
    let started = performance.now();
    const declined = await other
      .loginDeviceCode({ approve: (uri, code) => completeDeviceCodeOverHttp(uri, code, { ca: authority.ca, cancel: true }) })
      .then(
        () => assert.fail("login succeeded"),
        (e) => e,
      );
    assert.ok(declined instanceof AzCommandError, String(declined));
    assert.match(declined.stderr, /declined/i);
    assert.ok(performance.now() - started < 20000);

    started = performance.now();
    const failed = await other.loginDeviceCode({ approve: () => Promise.reject(new Error("the person walked away")) }).then(
      () => assert.fail("login succeeded"),
      (e) => e,
    );
    assert.equal(failed.cause?.message, "the person walked away");
    assert.ok(performance.now() - started < 20000);
    assert.deepEqual(
      other.steps.slice(-2).map((s) => `${s.step} ${s.ok}`),
      ["az login --use-device-code false", "az login --use-device-code false"],
    );
  } finally {
    await other.close();
  }
});
