// Guest users: a user signed in to a tenant other than their home tenant is a guest object there,
// as in Entra: that tenant's `tid` and guest `oid`, an `idp` naming the home tenant, while
// `client_info` (msal's home account id) stays home. msal-node then holds one account with two
// tenant profiles.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PublicClientApplication } from "@azure/msal-node";
import { DevAuthority } from "entra-broker-devtools";
import { AuthorityNetworkClient } from "../../dist/internal.js";
import { decodeJwt } from "./util.mjs";

const CLIENT = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
const SCOPES = ["https://graph.microsoft.com/User.Read"];
let authority, ada, grace, contoso, fabrikam;

before(async () => {
  authority = await DevAuthority.start();
  [ada, grace] = authority.users;
  [contoso, fabrikam] = authority.tenants.map((t) => t.tenantId);
});
after(() => authority.close());

function pca(tenant) {
  return new PublicClientApplication({
    auth: { clientId: CLIENT, authority: `${authority.url}/${tenant}`, knownAuthorities: [authority.host] },
    system: { networkClient: new AuthorityNetworkClient({ ca: authority.ca }) },
  });
}

test("every tenant but the home one has a guest object id, stable and distinct", () => {
  assert.deepEqual(Object.keys(ada.guestObjectIds), [fabrikam.toLowerCase()]);
  const guestOid = ada.guestObjectIds[fabrikam.toLowerCase()];
  assert.match(guestOid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(guestOid, ada.objectId);
  assert.deepEqual(grace.guestObjectIds, {}, "a user of one tenant is a guest nowhere");
});

test("msal-node: one user signed in to the home tenant and as a guest: one account, two tenant profiles, the guest's claims", async () => {
  const app = pca(contoso);
  const home = await app.acquireTokenByUsernamePassword({ scopes: SCOPES, username: ada.username, password: ada.password });
  const guestApp = pca(fabrikam);
  // The same cache: the second sign-in adds a tenant profile to the same account.
  await guestApp.getTokenCache().deserialize(app.getTokenCache().serialize());
  const guest = await guestApp.acquireTokenByUsernamePassword({ scopes: SCOPES, username: ada.username, password: ada.password });

  const homeClaims = decodeJwt(home.accessToken).payload;
  assert.equal(homeClaims.tid, contoso);
  assert.equal(homeClaims.oid, ada.objectId);
  assert.equal(homeClaims.idp, undefined, "no idp claim at home");
  const guestClaims = decodeJwt(guest.accessToken).payload;
  assert.equal(guestClaims.tid, fabrikam);
  assert.equal(guestClaims.oid, ada.guestObjectIds[fabrikam.toLowerCase()]);
  assert.equal(guestClaims.idp, `https://sts.windows.net/${contoso}/`);
  assert.notEqual(guestClaims.sub, homeClaims.sub, "a guest object has its own pairwise subject");

  assert.equal(guest.account.homeAccountId, `${ada.objectId}.${contoso}`, "client_info stays home");
  assert.equal(guest.account.tenantId, fabrikam);
  assert.equal(guest.account.localAccountId, guestClaims.oid);
  const accounts = await guestApp.getTokenCache().getAllAccounts();
  assert.deepEqual(
    accounts.map((a) => [a.homeAccountId, a.tenantId]).sort(),
    [
      [`${ada.objectId}.${contoso}`, contoso],
      [`${ada.objectId}.${contoso}`, fabrikam],
    ].sort(),
  );
  const profiles = accounts[0].tenantProfiles;
  assert.equal(profiles.get(contoso)?.isHomeTenant, true);
  assert.equal(profiles.get(fabrikam)?.isHomeTenant, false);
  assert.equal(profiles.get(fabrikam)?.localAccountId, guestClaims.oid);
});

test("a home-tenant refresh token redeemed in the guest tenant gives the guest's token", async () => {
  const app = pca(contoso);
  const home = await app.acquireTokenByUsernamePassword({ scopes: SCOPES, username: ada.username, password: ada.password });
  const silent = await app.acquireTokenSilent({
    account: home.account,
    scopes: SCOPES,
    authority: `${authority.url}/${fabrikam}`,
    forceRefresh: true,
  });
  const claims = decodeJwt(silent.accessToken).payload;
  assert.equal(claims.tid, fabrikam);
  assert.equal(claims.oid, ada.guestObjectIds[fabrikam.toLowerCase()]);
});
