// UsernamePasswordCredential against the dev authority's password grant: the token, then silence
// (memory, msal's refresh token for a claims challenge), the server's refusal as AuthenticationError
// with its error and status, the tenant rule, CAE, abort.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { DevAuthority } from "entra-broker-devtools";
import { AbortError, AuthenticationError, CredentialUnavailableError, UsernamePasswordCredential } from "entra-broker";
import { refusedByAuthority } from "./helpers.mjs";

const SCOPE = "https://graph.microsoft.com/.default";
const CLIENT = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
let authority, opts, ada;

before(async () => {
  authority = await DevAuthority.start();
  opts = { authorityHost: authority.url, authorityCa: authority.ca };
  ada = authority.users[0];
});
after(() => authority.close());

const credential = (password = ada.password, extra = {}) =>
  new UsernamePasswordCredential(authority.tenants[0].tenantId, CLIENT, ada.username, password, { ...opts, ...extra });

test("a token from the password grant, then from memory; a claims challenge renews silently with the refresh token", async () => {
  authority.resetCounters();
  const cred = credential();
  const token = await cred.getToken(SCOPE);
  assert.equal(typeof token.token, "string");
  assert.ok(token.expiresOnTimestamp > Date.now());
  assert.equal(authority.counters.tokenByGrant.password, 1);
  const again = await cred.getToken(SCOPE);
  assert.equal(again.token, token.token, "served from memory");
  assert.equal(authority.counters.token, 1);
  await cred.getToken(SCOPE, { claims: JSON.stringify({ access_token: { nbf: { essential: true, value: "1" } } }) });
  assert.equal(authority.counters.tokenByGrant.password, 1, "the password is not sent again");
  assert.equal(authority.counters.tokenByGrant.refresh_token, 1);
});

test("concurrent callers share one password grant", async () => {
  authority.resetCounters();
  const cred = credential();
  const tokens = await Promise.all(Array.from({ length: 5 }, () => cred.getToken(SCOPE)));
  assert.equal(new Set(tokens.map((t) => t.token)).size, 1);
  assert.equal(authority.counters.tokenByGrant.password, 1);
});

test("a wrong password: AuthenticationError with the authority's invalid_grant and status 400", async () => {
  await assert.rejects(credential("wrong").getToken(SCOPE), refusedByAuthority("invalid_grant", 400, /AADSTS50126/));
});

test("another tenant only under additionallyAllowedTenants; with it, the token is that tenant's", async () => {
  const other = authority.tenants[1].tenantId;
  await assert.rejects(
    credential().getToken(SCOPE, { tenantId: other }),
    (e) => e instanceof CredentialUnavailableError && e.code === "TENANT_NOT_ALLOWED",
  );
  const token = await credential(ada.password, { additionallyAllowedTenants: [other] }).getToken(SCOPE, { tenantId: other });
  const payload = JSON.parse(Buffer.from(token.token.split(".")[1], "base64url").toString());
  assert.equal(payload.tid, other);
});

test("enableCae sends the cp1 client capability; an aborted signal rejects with AbortError, nothing sent", async () => {
  const token = await credential().getToken(SCOPE, { enableCae: true });
  const payload = JSON.parse(Buffer.from(token.token.split(".")[1], "base64url").toString());
  assert.deepEqual(payload.xms_cc, ["cp1"]);
  authority.resetCounters();
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(credential().getToken(SCOPE, { abortSignal: controller.signal }), AbortError);
  assert.equal(authority.counters.token, 0);
});
