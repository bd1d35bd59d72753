// @azure/msal-node itself (not our credentials) signing in against the dev authority.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PublicClientApplication } from "@azure/msal-node";
import { DevAuthority } from "entra-broker-devtools";
// msal-node's HTTP client as our credentials use it: the dev authority's CA for this client only.
import { AuthorityNetworkClient } from "../../dist/internal.js";
import { completeDeviceCodeOverHttp, signInOverHttp } from "../helpers/devAuthorityBrowser.mjs";
import { decodeJwt, pkce } from "./util.mjs";

let authority;
before(async () => {
  authority = await DevAuthority.start();
});
after(() => authority.close());

const ada = { username: "ada@contoso.example", password: "ada-password" };
const SCOPES = ["https://graph.microsoft.com/User.Read"];
const CLIENT = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

function pca(tenant = "organizations", extra = {}) {
  return new PublicClientApplication({
    auth: { clientId: CLIENT, authority: `${authority.url}/${tenant}`, knownAuthorities: [authority.host], ...extra },
    system: { networkClient: new AuthorityNetworkClient({ ca: authority.ca }) },
  });
}

test("msal-node PublicClientApplication: acquireTokenByCode, then silent from cache, then refresh", async () => {
  const app = pca();
  const { verifier, challenge } = pkce();
  const redirectUri = "http://localhost:53111";
  const url = await app.getAuthCodeUrl({
    scopes: SCOPES,
    redirectUri,
    codeChallenge: challenge,
    codeChallengeMethod: "S256",
    state: "msal-state",
  });
  const final = new URL(await signInOverHttp(url, { ca: authority.ca, ...ada }));
  assert.equal(final.searchParams.get("state"), "msal-state");
  authority.resetCounters();
  const result = await app.acquireTokenByCode({
    code: final.searchParams.get("code"),
    scopes: SCOPES,
    redirectUri,
    codeVerifier: verifier,
  });
  assert.equal(result.account.username, ada.username);
  const user = authority.users.find((u) => u.username === ada.username);
  assert.equal(result.account.homeAccountId, `${user.objectId}.${user.homeTenantId}`);
  assert.equal(result.tenantId, user.homeTenantId);
  assert.equal(decodeJwt(result.accessToken).payload.aud, "https://graph.microsoft.com");
  assert.equal(authority.counters.tokenByGrant.authorization_code, 1);

  const cached = await app.acquireTokenSilent({ account: result.account, scopes: SCOPES });
  assert.equal(cached.accessToken, result.accessToken);
  assert.equal(authority.counters.token, 1, "served from msal's cache");
  const refreshed = await app.acquireTokenSilent({ account: result.account, scopes: SCOPES, forceRefresh: true });
  assert.notEqual(refreshed.accessToken, result.accessToken);
  assert.equal(authority.counters.tokenByGrant.refresh_token, 1);

  // Another tenant of the same user through the refresh token.
  const fabrikam = authority.tenants.find((t) => t.domain === "fabrikam.example");
  // (msal's cache lookup ignores the request authority's tenant for the home account, hence forceRefresh.)
  const other = await app.acquireTokenSilent({
    account: result.account,
    scopes: SCOPES,
    authority: `${authority.url}/${fabrikam.tenantId}`,
    forceRefresh: true,
  });
  assert.equal(decodeJwt(other.accessToken).payload.tid, fabrikam.tenantId);

  // Revoked: msal says interaction is required.
  authority.revokeSessions(ada.username);
  await assert.rejects(app.acquireTokenSilent({ account: result.account, scopes: SCOPES, forceRefresh: true }), (e) => {
    assert.equal(e.name, "InteractionRequiredAuthError");
    assert.equal(e.errorCode, "invalid_grant");
    return true;
  });
});

test("msal-node: acquireTokenByDeviceCode completes through the device login page", async () => {
  const app = pca("contoso.example");
  let info;
  const result = await app.acquireTokenByDeviceCode({
    scopes: SCOPES,
    deviceCodeCallback: (r) => {
      info = r;
      completeDeviceCodeOverHttp(r.verificationUri, r.userCode, {
        ca: authority.ca,
        username: "grace@contoso.example",
        password: "grace-password",
      }).catch((e) => console.error(e));
    },
  });
  assert.match(info.message, /devicelogin/);
  assert.equal(result.account.username, "grace@contoso.example");
  assert.equal(result.tenantId, authority.tenants[0].tenantId);
});

test("msal-node: acquireTokenInteractive (form_post to msal's loopback) with the page driven over HTTP", async () => {
  const app = pca();
  const result = await app.acquireTokenInteractive({
    scopes: SCOPES,
    openBrowser: async (url) => {
      assert.equal(new URL(url).searchParams.get("response_mode"), "form_post");
      await signInOverHttp(url, { ca: authority.ca, username: "linus@fabrikam.example", password: "linus-password" });
    },
    successTemplate: "signed in",
  });
  assert.equal(result.account.username, "linus@fabrikam.example");
});

test("msal-node: an OAuth error from the token endpoint surfaces as msal's ServerError", async () => {
  const app = pca();
  const { verifier, challenge } = pkce();
  const redirectUri = "http://localhost:53112";
  const url = await app.getAuthCodeUrl({ scopes: SCOPES, redirectUri, codeChallenge: challenge, codeChallengeMethod: "S256" });
  const code = new URL(await signInOverHttp(url, { ca: authority.ca, ...ada })).searchParams.get("code");
  authority.injectFault({
    endpoint: "token",
    grantType: "authorization_code",
    error: "invalid_client",
    status: 401,
    errorCodes: [7000215],
  });
  await assert.rejects(app.acquireTokenByCode({ code, scopes: SCOPES, redirectUri, codeVerifier: verifier }), (e) => {
    assert.equal(e.errorCode, "invalid_client");
    assert.match(e.errorMessage, /7000215/);
    return true;
  });
  // The fault was used up: the code itself was never redeemed, so it still works.
  const ok = await app.acquireTokenByCode({ code, scopes: SCOPES, redirectUri, codeVerifier: verifier });
  assert.equal(ok.account.username, ada.username);
});
