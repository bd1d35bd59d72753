import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { DevAuthority } from "entra-broker-devtools";
import { AuthorizationCodeCredential, AuthenticationError } from "entra-broker";
import { authorizeUrl } from "../devAuthority/util.mjs";
import { signInOverHttp } from "../helpers/devAuthorityBrowser.mjs";
import { decodeJwt } from "../helpers/signIn.mjs";

const SCOPE = "https://graph.microsoft.com/.default";
const PUBLIC_CLIENT = "11111111-2222-3333-4444-555555555555";
const CONFIDENTIAL_CLIENT = "99999999-8888-7777-6666-555555555555";
const REDIRECT = "http://localhost:8765/callback";
let authority;
let user;
let tenant;

before(async () => {
  const probe = await DevAuthority.start();
  const { users, tenants } = probe;
  await probe.close();
  authority = await DevAuthority.start({ users, tenants, clients: [{ clientId: CONFIDENTIAL_CLIENT, clientSecret: "s3cret" }] });
  user = authority.users[0];
  tenant = authority.tenants[0].tenantId;
});
after(() => authority.close());

/** The app's own redirect handling: the code out of the redirect the sign-in page sends. */
async function obtainCode(clientId) {
  const url = authorizeUrl(authority, {
    tenant,
    clientId,
    redirectUri: REDIRECT,
    scope: `${SCOPE} offline_access openid profile`,
    state: "xyz",
  });
  const final = new URL(await signInOverHttp(url, { ca: authority.ca, username: user.username, password: user.password }));
  assert.equal(final.searchParams.get("state"), "xyz");
  return final.searchParams.get("code");
}

test("public client: redeems the code once, then stays silent", async () => {
  const code = await obtainCode(PUBLIC_CLIENT);
  const cred = new AuthorizationCodeCredential(tenant, PUBLIC_CLIENT, code, REDIRECT, {
    authorityHost: authority.url,
    authorityCa: authority.ca,
  });
  const token = await cred.getToken(SCOPE);
  assert.equal(decodeJwt(token.token).tid, tenant);
  const codeGrants = authority.counters.tokenByGrant.authorization_code;
  const other = await cred.getToken("https://storage.azure.com/.default");
  assert.ok(other.token);
  assert.equal(authority.counters.tokenByGrant.authorization_code, codeGrants, "the second scope used the refresh token");
});

test("confidential client: the secret overload", async () => {
  const code = await obtainCode(CONFIDENTIAL_CLIENT);
  const cred = new AuthorizationCodeCredential(tenant, CONFIDENTIAL_CLIENT, "s3cret", code, REDIRECT, {
    authorityHost: authority.url,
    authorityCa: authority.ca,
  });
  const token = await cred.getToken(SCOPE);
  assert.equal(decodeJwt(token.token).appid ?? decodeJwt(token.token).azp, CONFIDENTIAL_CLIENT);
});

test("a wrong secret is invalid_client; a reused code is invalid_grant", async () => {
  const code = await obtainCode(CONFIDENTIAL_CLIENT);
  const bad = new AuthorizationCodeCredential(tenant, CONFIDENTIAL_CLIENT, "wrong", code, REDIRECT, {
    authorityHost: authority.url,
    authorityCa: authority.ca,
  });
  await assert.rejects(bad.getToken(SCOPE), (e) => e instanceof AuthenticationError && e.errorResponse.error === "invalid_client");
  const code2 = await obtainCode(PUBLIC_CLIENT);
  const first = new AuthorizationCodeCredential(tenant, PUBLIC_CLIENT, code2, REDIRECT, {
    authorityHost: authority.url,
    authorityCa: authority.ca,
  });
  await first.getToken(SCOPE);
  const second = new AuthorizationCodeCredential(tenant, PUBLIC_CLIENT, code2, REDIRECT, {
    authorityHost: authority.url,
    authorityCa: authority.ca,
  });
  await assert.rejects(second.getToken(SCOPE), (e) => e instanceof AuthenticationError && e.errorResponse.error === "invalid_grant");
});

test("bad constructor arguments are typed errors", () => {
  assert.throws(() => new AuthorizationCodeCredential(tenant, "", "code", REDIRECT), { code: "INVALID_CLIENT_ID" });
  assert.throws(() => new AuthorizationCodeCredential("bad/tenant", PUBLIC_CLIENT, "code", REDIRECT), { code: "INVALID_TENANT_ID" });
});

test("abortSignal ends a code redemption the authority is slow to answer", async () => {
  const code = await obtainCode(PUBLIC_CLIENT);
  const cred = new AuthorizationCodeCredential(tenant, PUBLIC_CLIENT, code, REDIRECT, {
    authorityHost: authority.url,
    authorityCa: authority.ca,
  });
  authority.injectFault({ endpoint: "token", grantType: "authorization_code", delayMs: 20_000 });
  const controller = new AbortController();
  const started = Date.now();
  const pending = cred.getToken(SCOPE, { abortSignal: controller.signal });
  setTimeout(() => controller.abort(), 300);
  try {
    await assert.rejects(pending, { name: "AbortError" });
    assert.ok(Date.now() - started < 10_000, `ended after ${Date.now() - started} ms`);
  } finally {
    authority.clearFaults();
  }
});

test("a redemption that fails transiently or is aborted leaves the code for the next call", async () => {
  const code = await obtainCode(PUBLIC_CLIENT);
  const cred = new AuthorizationCodeCredential(tenant, PUBLIC_CLIENT, code, REDIRECT, {
    authorityHost: authority.url,
    authorityCa: authority.ca,
  });
  authority.injectFault({ endpoint: "token", grantType: "authorization_code", status: 503, times: 3 });
  try {
    await assert.rejects(cred.getToken(SCOPE), (e) => e instanceof AuthenticationError && e.statusCode === 503);
  } finally {
    authority.clearFaults();
  }
  // msal throttles the same request for a while after a 5xx: the next calls ask for another scope.
  const other = "https://storage.azure.com/.default";
  authority.injectFault({ endpoint: "token", grantType: "authorization_code", delayMs: 20_000 });
  const controller = new AbortController();
  const pending = cred.getToken(other, { abortSignal: controller.signal });
  setTimeout(() => controller.abort(), 300);
  await assert.rejects(pending, { name: "AbortError" });
  authority.clearFaults();
  const token = await cred.getToken(other);
  assert.equal(decodeJwt(token.token).tid, tenant);
});

test("a code really used up is an AuthenticationError, so a chain stops there", async () => {
  const { ChainedTokenCredential } = await import("entra-broker");
  const code = await obtainCode(PUBLIC_CLIENT);
  const cred = new AuthorizationCodeCredential(tenant, PUBLIC_CLIENT, code, REDIRECT, {
    authorityHost: authority.url,
    authorityCa: authority.ca,
  });
  await cred.getToken(SCOPE);
  // The refresh token no longer works: the only way left would be the code again.
  authority.injectFault({
    endpoint: "token",
    grantType: "refresh_token",
    error: "invalid_grant",
    errorDescription: "AADSTS70008: expired",
    times: Infinity,
  });
  try {
    let nextAsked = false;
    const next = { getToken: async () => ((nextAsked = true), { token: "next", expiresOnTimestamp: Date.now() + 60_000 }) };
    const chain = new ChainedTokenCredential(cred, next);
    await assert.rejects(chain.getToken("https://storage.azure.com/.default"), (e) => {
      assert.ok(e instanceof AuthenticationError, `${e.name}: ${e.message}`);
      assert.equal(e.errorResponse.error, "invalid_grant");
      return true;
    });
    assert.equal(nextAsked, false, "the chain stopped at the used-up code");
  } finally {
    authority.clearFaults();
  }
});
