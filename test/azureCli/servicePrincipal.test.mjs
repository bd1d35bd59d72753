// The real Azure CLI signed in offline with `az login --service-principal` (client_credentials with
// a secret) at the dev authority; app-only tokens for two tenants; a wrong secret is refused and
// never shown.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { AzCommandError, BearerVerifier, DevAuthority, OfflineAzureCli, signInAzureCli } from "entra-broker-devtools";
import { azTestOptions, MANAGEMENT } from "./util.mjs";

const options = azTestOptions();
const APP = { clientId: "6f1b3c2a-8e0d-4d5e-9a7b-3c2d1e0f9a8b", clientSecret: "az-infra-sp-secret-~4Vq.9xZ" };
let authority;
let cli;
let contoso;
let fabrikam;

before(async () => {
  if (options.skip) return;
  authority = await DevAuthority.start({ clients: [APP] });
  [contoso, fabrikam] = authority.tenants;
  cli = await signInAzureCli({ authority, servicePrincipal: { ...APP, tenantId: contoso.tenantId } });
});
after(async () => {
  await cli?.close();
  await authority?.close();
});

test("az login --service-principal: client_credentials with the secret, then app-only tokens for two tenants", options, async (t) => {
  assert.equal(authority.counters.tokenByGrant.client_credentials >= 1, true);
  assert.deepEqual(
    cli.arm.requests.map((r) => `${r.path} ${r.status} ${r.tid}`),
    [`/subscriptions 200 ${contoso.tenantId}`],
  );
  const home = await cli.getAccessToken({ resource: MANAGEMENT });
  assert.equal(home.tenant, contoso.tenantId);
  assert.equal(home.subscription, cli.arm.subscriptions.find((s) => s.tenantId === contoso.tenantId).subscriptionId);
  const verify = (token) => new BearerVerifier(authority.url, authority.ca, [MANAGEMENT]).verify(`Bearer ${token}`);
  const c = (await verify(home.accessToken)).claims;
  assert.equal(c.appid, APP.clientId);
  assert.equal(c.idtyp, "app");
  assert.equal(c.upn, undefined);
  assert.equal(c.tid, contoso.tenantId);

  const second = await cli.getAccessToken({ resource: MANAGEMENT, tenantId: fabrikam.tenantId });
  const c2 = (await verify(second.accessToken)).claims;
  assert.equal(c2.tid, fabrikam.tenantId);
  assert.equal(c2.appid, APP.clientId);
  t.diagnostic(`steps (ms): ${cli.steps.map((s) => `${s.step} ${s.ms}`).join("; ")}`);
});

test("a wrong secret: az fails with the authority's error, and the secret appears nowhere in what we report", options, async () => {
  const other = await OfflineAzureCli.start({ authority });
  try {
    const wrong = "wrong-secret-Zk8.~pQ";
    const e = await other.loginServicePrincipal({ clientId: APP.clientId, clientSecret: wrong, tenantId: contoso.tenantId }).then(
      () => assert.fail("login succeeded"),
      (err) => err,
    );
    assert.ok(e instanceof AzCommandError, String(e));
    assert.match(e.message, /7000215|invalid_client|Invalid client secret/);
    assert.equal(e.timedOut, false);
    assert.ok(!e.message.includes(wrong) && !e.command.includes(wrong) && !e.stderr.includes(wrong));
    assert.match(e.command, /-p \*\*\*/);
  } finally {
    await other.close();
  }
});
