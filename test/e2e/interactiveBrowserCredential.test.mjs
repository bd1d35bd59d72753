import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { DevAuthority } from "entra-broker-devtools";
import {
  InteractiveBrowserCredential,
  ChainedTokenCredential,
  AuthenticationError,
  AuthenticationRequiredError,
  CredentialUnavailableError,
} from "entra-broker";
import { httpBrowser, decodeJwt } from "../helpers/signIn.mjs";

const SCOPE = "https://graph.microsoft.com/.default";
let authority;
let ada;
let home;
let other;

before(async () => {
  authority = await DevAuthority.start();
  // a user who belongs to both tenants
  ada = authority.users.find((u) => !u.tenants || u.tenants.length > 1) ?? authority.users[0];
  home = authority.tenants[0].tenantId;
  other = authority.tenants[1].tenantId;
});
after(() => authority.close());
beforeEach(() => {
  authority.clearFaults();
  authority.resetCounters();
  authority.stepUp = false;
});

function credential(options = {}) {
  return new InteractiveBrowserCredential({
    authorityHost: authority.url,
    authorityCa: authority.ca,
    tenantId: home,
    openBrowser: httpBrowser(authority, ada),
    ...options,
  });
}

test("signs in through the authorize page with PKCE and returns a token for the tenant", async () => {
  const open = httpBrowser(authority, ada);
  const cred = credential({ openBrowser: open });
  const token = await cred.getToken(SCOPE);
  const claims = decodeJwt(token.token);
  assert.equal(claims.tid, home);
  assert.equal(token.tokenType, "Bearer");
  assert.ok(token.expiresOnTimestamp > Date.now());
  const url = new URL(open.opened[0]);
  assert.equal(url.searchParams.get("code_challenge_method"), "S256");
  assert.ok(url.searchParams.get("state").length >= 32);
  assert.match(url.searchParams.get("redirect_uri"), /^http:\/\/localhost:\d+\/$/);
  assert.equal(authority.counters.tokenByGrant.authorization_code, 1);
});

test("a cached token is served from memory: no authority request, no msal call", async () => {
  const cred = credential();
  const first = await cred.getToken(SCOPE);
  const before = { ...authority.counters };
  const again = await cred.getToken([SCOPE]);
  assert.equal(again, first, "the same object, straight from memory");
  assert.deepEqual({ ...authority.counters, tokenByGrant: undefined }, { ...before, tokenByGrant: undefined });
});

test("concurrent first calls start one sign-in and one token request", async () => {
  const open = httpBrowser(authority, ada);
  const cred = credential({ openBrowser: open });
  const tokens = await Promise.all(Array.from({ length: 20 }, () => cred.getToken(SCOPE)));
  assert.equal(open.opened.length, 1);
  assert.equal(authority.counters.tokenByGrant.authorization_code, 1);
  assert.ok(tokens.every((t) => t.token === tokens[0].token));
});

test("concurrent first calls for different scopes still sign in once", async () => {
  const open = httpBrowser(authority, ada);
  const cred = credential({ openBrowser: open });
  const [a, b] = await Promise.all([cred.getToken(SCOPE), cred.getToken("https://storage.azure.com/.default")]);
  assert.equal(open.opened.length, 1);
  assert.notEqual(decodeJwt(a.token).aud, decodeJwt(b.token).aud);
});

test("authenticate returns a record; disableAutomaticAuthentication needs it first", async () => {
  const cred = credential({ disableAutomaticAuthentication: true });
  await assert.rejects(cred.getToken(SCOPE), (e) => e instanceof AuthenticationRequiredError && e.scopes[0] === SCOPE);
  assert.equal(authority.counters.authorize, 0);
  const record = await cred.authenticate(SCOPE);
  assert.equal(record.username, ada.username);
  assert.equal(record.tenantId, home);
  assert.equal(record.authority, authority.host);
  const token = await cred.getToken(SCOPE);
  assert.equal(decodeJwt(token.token).preferred_username ?? decodeJwt(token.token).upn, ada.username);
});

test("a tenant outside additionallyAllowedTenants is refused; an allowed one gets its own token", async () => {
  const refused = credential();
  await assert.rejects(
    refused.getToken(SCOPE, { tenantId: other }),
    (e) => e instanceof CredentialUnavailableError && e.code === "TENANT_NOT_ALLOWED",
  );
  const cred = credential({ additionallyAllowedTenants: [other] });
  const homeToken = await cred.getToken(SCOPE);
  const otherToken = await cred.getToken(SCOPE, { tenantId: other });
  assert.equal(decodeJwt(homeToken.token).tid, home);
  assert.equal(decodeJwt(otherToken.token).tid, other);
  assert.equal(authority.counters.authorize, 1, "the second tenant came silently");
});

test("claims go to the authority; CAE asks for cp1", async () => {
  const cred = credential();
  const plain = await cred.getToken(SCOPE);
  const cae = await cred.getToken(SCOPE, { enableCae: true });
  assert.notEqual(cae.token, plain.token);
  assert.ok(decodeJwt(cae.token).xms_cc, "CAE token carries xms_cc");
  const before = authority.counters.token;
  const claims = JSON.stringify({ access_token: { nbf: { essential: true, value: String(Math.floor(Date.now() / 1000)) } } });
  const challenged = await cred.getToken(SCOPE, { enableCae: true, claims });
  assert.ok(authority.counters.token > before, "a claims request is never served from memory");
  assert.notEqual(challenged.token, cae.token);
});

test("a token past refreshAfterTimestamp is renewed", async () => {
  authority.setTokenLifetime(3600, 1);
  try {
    const cred = credential();
    const first = await cred.getToken(SCOPE);
    assert.ok(first.refreshAfterTimestamp && first.refreshAfterTimestamp < first.expiresOnTimestamp);
    await new Promise((r) => setTimeout(r, Math.max(0, first.refreshAfterTimestamp - Date.now()) + 200));
    const renewed = await cred.getToken(SCOPE);
    assert.ok(renewed.token !== first.token, `a new token (token requests by grant: ${JSON.stringify(authority.counters.tokenByGrant)})`);
    assert.equal(authority.counters.tokenByGrant.refresh_token, 1);
  } finally {
    authority.setTokenLifetime(3600);
  }
});

test("cancel on the sign-in page is an AuthenticationError with the server's code", async () => {
  const cred = credential({ openBrowser: httpBrowser(authority, ada, { cancel: true }) });
  await assert.rejects(cred.getToken(SCOPE), (e) => e instanceof AuthenticationError && e.errorResponse.error === "access_denied");
});

test("an OAuth error from the token endpoint keeps its code, description and status", async () => {
  authority.injectFault({ endpoint: "token", error: "invalid_grant", errorDescription: "AADSTS70008: expired", errorCodes: [70008] });
  await assert.rejects(credential().getToken(SCOPE), (e) => {
    assert.ok(e instanceof AuthenticationError);
    assert.equal(e.statusCode, 400);
    assert.equal(e.errorResponse.error, "invalid_grant");
    assert.match(e.errorResponse.errorDescription, /AADSTS70008/);
    assert.ok(e.cause, "msal's error is kept as cause");
    return true;
  });
});

test("a 5xx that outlasts the retries is an AuthenticationError with the status", async () => {
  authority.injectFault({ endpoint: "token", status: 503, times: Infinity });
  await assert.rejects(credential().getToken(SCOPE), (e) => e instanceof AuthenticationError && e.statusCode === 503);
  assert.ok(authority.counters.token >= 3, "retried");
});

test("one 5xx is retried transparently", async () => {
  authority.injectFault({ endpoint: "token", status: 500, times: 1 });
  const token = await credential().getToken(SCOPE);
  assert.ok(token.token);
});

test("timeout ends an unanswered browser sign-in", async () => {
  const cred = credential({ openBrowser: async () => {}, timeout: 300 });
  await assert.rejects(cred.getToken(SCOPE), (e) => e instanceof AuthenticationError && e.errorResponse.error === "timed_out");
});

test("an app's browser opener that throws is CredentialUnavailableError BROWSER_UNAVAILABLE, so a chain moves on", async () => {
  const failure = new Error("no browser in this kiosk");
  const cred = credential({
    openBrowser: async () => {
      throw failure;
    },
  });
  await assert.rejects(
    cred.getToken(SCOPE),
    (e) => e instanceof CredentialUnavailableError && e.code === "BROWSER_UNAVAILABLE" && e.cause === failure,
  );
  const fallback = { getToken: async () => ({ token: "from-the-next-source", expiresOnTimestamp: Date.now() + 60_000 }) };
  const chained = new ChainedTokenCredential(
    credential({
      openBrowser: async () => {
        throw failure;
      },
    }),
    fallback,
  );
  assert.equal((await chained.getToken(SCOPE)).token, "from-the-next-source");
});

test("abort ends a browser sign-in; an aborted signal starts nothing", async () => {
  let opened = 0;
  const controller = new AbortController();
  // Aborted while the sign-in waits for the browser's redirect (the page is never completed).
  const cred = credential({ openBrowser: async () => void (opened++, setTimeout(() => controller.abort(), 50)) });
  const pending = cred.getToken(SCOPE, { abortSignal: controller.signal });
  await assert.rejects(pending, { name: "AbortError" });
  const already = AbortSignal.abort();
  const before = authority.counters.authorize;
  await assert.rejects(cred.getToken(SCOPE, { abortSignal: already }), { name: "AbortError" });
  assert.equal(opened, 1);
  assert.equal(authority.counters.authorize, before);
});

test("step-up: a claims challenge for acrs signs in again with MFA", async () => {
  authority.stepUp = true;
  const cred = credential({ openBrowser: httpBrowser(authority, ada, { mfa: true }) });
  await cred.getToken(SCOPE);
  const claims = JSON.stringify({ access_token: { acrs: { essential: true, value: "c1" } } });
  const stepped = await cred.getToken(SCOPE, { claims });
  assert.deepEqual(decodeJwt(stepped.token).acrs, ["c1"]);
  assert.equal(authority.counters.tokenByGrant.authorization_code, 2);
});

test("bad options give typed errors", () => {
  assert.throws(() => new InteractiveBrowserCredential({ tenantId: "../evil" }), { code: "INVALID_TENANT_ID" });
  assert.throws(() => new InteractiveBrowserCredential({ authorityHost: "http://insecure.example" }), { code: "INVALID_AUTHORITY_HOST" });
  assert.throws(() => new InteractiveBrowserCredential({ redirectUri: "https://example.com/cb" }), { code: "INVALID_REDIRECT_URI" });
  assert.throws(() => new InteractiveBrowserCredential({ timeout: -1 }), { code: "INVALID_TIMEOUT" });
});

test("bad scopes reject with a typed error", async () => {
  await assert.rejects(async () => credential().getToken(""), { code: "INVALID_SCOPE" });
});

test("loginHint goes to the authorize request with prompt=login; without it the account picker shows", async () => {
  const hinted = httpBrowser(authority, ada);
  await credential({ openBrowser: hinted, loginHint: ada.username }).getToken(SCOPE);
  const url = new URL(hinted.opened[0]);
  assert.equal(url.searchParams.get("login_hint"), ada.username);
  assert.equal(url.searchParams.get("prompt"), "login");
  const plain = httpBrowser(authority, ada);
  await credential({ openBrowser: plain }).getToken(SCOPE);
  const plainUrl = new URL(plain.opened[0]);
  assert.equal(plainUrl.searchParams.get("login_hint"), null);
  assert.equal(plainUrl.searchParams.get("prompt"), "select_account");
});

test("AZURE_AUTHORITY_HOST is the default authority host", async () => {
  const saved = process.env.AZURE_AUTHORITY_HOST;
  process.env.AZURE_AUTHORITY_HOST = authority.url;
  try {
    const open = httpBrowser(authority, ada);
    const cred = new InteractiveBrowserCredential({ authorityCa: authority.ca, tenantId: home, openBrowser: open });
    assert.ok((await cred.getToken(SCOPE)).token);
    assert.ok(open.opened[0].startsWith(`${authority.url}/${home}/`), open.opened[0]);
  } finally {
    if (saved === undefined) delete process.env.AZURE_AUTHORITY_HOST;
    else process.env.AZURE_AUTHORITY_HOST = saved;
  }
});

test("defaults: the Azure CLI client id at organizations; a custom client id at common", async () => {
  const base = { authorityHost: authority.url, authorityCa: authority.ca };
  const byDefault = httpBrowser(authority, ada);
  await new InteractiveBrowserCredential({ ...base, openBrowser: byDefault }).getToken(SCOPE);
  const url = new URL(byDefault.opened[0]);
  assert.match(url.pathname, /^\/organizations\//);
  assert.equal(url.searchParams.get("client_id"), "04b07795-8ddb-461a-bbee-02f9e1bf7b46");
  const custom = httpBrowser(authority, ada);
  const clientId = "11111111-2222-3333-4444-555555555555";
  await new InteractiveBrowserCredential({ ...base, clientId, openBrowser: custom }).getToken(SCOPE);
  const customUrl = new URL(custom.opened[0]);
  assert.match(customUrl.pathname, /^\/common\//);
  assert.equal(customUrl.searchParams.get("client_id"), clientId);
});

test("redirectUri http://127.0.0.1:PORT goes to the authority with the host the app registered", async () => {
  const probe = await import("node:net").then(
    (net) =>
      new Promise((resolve) => {
        const s = net.createServer().listen(0, "127.0.0.1", () => {
          const { port } = s.address();
          s.close(() => resolve(port));
        });
      }),
  );
  const open = httpBrowser(authority, ada);
  const cred = credential({ openBrowser: open, redirectUri: `http://127.0.0.1:${probe}` });
  await cred.getToken(SCOPE);
  assert.equal(new URL(open.opened[0]).searchParams.get("redirect_uri"), `http://127.0.0.1:${probe}/`);
  const localhost = httpBrowser(authority, ada);
  await credential({ openBrowser: localhost, redirectUri: `http://localhost:${probe}` }).getToken(SCOPE);
  assert.equal(new URL(localhost.opened[0]).searchParams.get("redirect_uri"), `http://localhost:${probe}/`);
});

test("a redirect port in use is CredentialUnavailableError LOOPBACK_PORT_IN_USE, saying so; nothing is opened or sent", async () => {
  const net = await import("node:net");
  const holder = net.createServer();
  await new Promise((resolve) => holder.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = holder.address();
    let opened = 0;
    const cred = credential({ openBrowser: async () => void opened++, redirectUri: `http://localhost:${port}` });
    await assert.rejects(cred.getToken(SCOPE), (e) => {
      assert.ok(e instanceof CredentialUnavailableError, `${e.name}: ${e.message}`);
      assert.equal(e.code, "LOOPBACK_PORT_IN_USE");
      assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${port} is already in use`));
      return true;
    });
    assert.equal(opened, 0);
    assert.equal(authority.counters.authorize + authority.counters.token, 0);
  } finally {
    holder.close();
  }
});

test("AuthenticationRequiredError carries the request's claims beside its scopes and options", async () => {
  const claims = JSON.stringify({ access_token: { acrs: { essential: true, value: "c1" } } });
  const cred = credential({ disableAutomaticAuthentication: true });
  await assert.rejects(cred.getToken(SCOPE, { claims }), (e) => {
    assert.ok(e instanceof AuthenticationRequiredError);
    assert.equal(e.claims, claims);
    assert.deepEqual(e.scopes, [SCOPE]);
    assert.equal(e.getTokenOptions.claims, claims);
    return true;
  });
  await assert.rejects(cred.getToken(SCOPE), (e) => e instanceof AuthenticationRequiredError && e.claims === undefined);
});
