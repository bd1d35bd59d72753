// ClientSecretCredential against the dev authority's client_credentials grant: the app-only
// token, memory and one request for concurrent callers, claims and CAE, the tenant rule, the
// authority's refusals with its error and status, abort.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { DevAuthority } from "entra-broker-devtools";
import { AbortError, AuthenticationError, ClientSecretCredential, CredentialUnavailableError } from "entra-broker";
import { APP, APP_SECRET, CLAIMS, SCOPE, appRegistration, claimsOf, makeCertificates, refusedByAuthority } from "./helpers.mjs";

let authority, tenant, opts;
before(async () => {
  authority = await DevAuthority.start({ clients: [appRegistration(makeCertificates())] });
  tenant = authority.tenants[0].tenantId;
  opts = { authorityHost: authority.url, authorityCa: authority.ca };
});
after(() => authority.close());

const credential = (secret = APP_SECRET, extra = {}) => new ClientSecretCredential(tenant, APP, secret, { ...opts, ...extra });

test("an app-only token for the app, then from memory", async () => {
  authority.resetCounters();
  const cred = credential();
  const token = await cred.getToken(SCOPE);
  const claims = claimsOf(token.token);
  assert.equal(claims.appid, APP);
  assert.equal(claims.idtyp, "app");
  assert.equal(claims.tid, tenant);
  assert.equal(token.tokenType, "Bearer");
  assert.ok(token.expiresOnTimestamp > Date.now() + 30 * 60_000);
  assert.equal(authority.counters.tokenByClientAuth.secret, 1);
  assert.equal((await cred.getToken([SCOPE])).token, token.token);
  assert.equal(authority.counters.token, 1, "the second call was served from memory");
});

test("concurrent callers share one token request", async () => {
  authority.resetCounters();
  const cred = credential();
  const tokens = await Promise.all(Array.from({ length: 8 }, () => cred.getToken(SCOPE)));
  assert.equal(new Set(tokens.map((t) => t.token)).size, 1);
  assert.equal(authority.counters.token, 1);
});

test("a claims challenge goes to the authority; enableCae sends the cp1 capability", async () => {
  const cred = credential();
  await cred.getToken(SCOPE);
  authority.resetCounters();
  await cred.getToken(SCOPE, { claims: CLAIMS });
  assert.equal(authority.counters.token, 1, "claims bypass memory and msal's cache");
  const cae = await cred.getToken(SCOPE, { enableCae: true });
  assert.deepEqual(claimsOf(cae.token).xms_cc, ["cp1"]);
  assert.equal(claimsOf((await cred.getToken(SCOPE)).token).xms_cc, undefined, "the non-CAE token is kept apart");
});

test("another tenant: refused without additionallyAllowedTenants, that tenant's token with it", async () => {
  const other = authority.tenants[1].tenantId;
  authority.resetCounters();
  await assert.rejects(
    credential().getToken(SCOPE, { tenantId: other }),
    (e) => e instanceof CredentialUnavailableError && e.code === "TENANT_NOT_ALLOWED",
  );
  assert.equal(authority.counters.token, 0);
  const token = await credential(APP_SECRET, { additionallyAllowedTenants: [other] }).getToken(SCOPE, { tenantId: other });
  assert.equal(claimsOf(token.token).tid, other);
});

test("a wrong secret: AuthenticationError invalid_client with status 401 and the AADSTS description", async () => {
  await assert.rejects(credential("wrong-secret").getToken(SCOPE), refusedByAuthority("invalid_client", 401, /AADSTS7000215/));
});

test("the authority's 503 after retries: AuthenticationError with its error and status", async () => {
  authority.injectFault({ endpoint: "token", status: 503, error: "temporarily_unavailable", times: Infinity });
  try {
    await assert.rejects(
      credential().getToken(SCOPE),
      (e) => e instanceof AuthenticationError && e.code === "temporarily_unavailable" && e.statusCode === 503,
    );
  } finally {
    authority.clearFaults();
  }
});

test("abort: before the call nothing is sent; during a request that never answers, AbortError at once", async () => {
  authority.resetCounters();
  const aborted = new AbortController();
  aborted.abort();
  await assert.rejects(credential().getToken(SCOPE, { abortSignal: aborted.signal }), AbortError);
  assert.equal(authority.counters.token, 0);
  authority.injectFault({ endpoint: "token", delayMs: 60_000, times: 1 });
  try {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    await assert.rejects(credential().getToken(SCOPE, { abortSignal: controller.signal }), AbortError);
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  } finally {
    authority.clearFaults();
  }
});
