// The persisted cache's access token read without msal-node: handed out exactly when msal's silent
// lookup would hand it out unchanged; every other case is left to msal (undefined).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const { findAccessToken } = createRequire(import.meta.url)("../../dist/internal.js");

const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const s = (ms) => String(Math.floor(ms / 1000));
const query = {
  homeAccountId: "uid.utid",
  environment: "login.example",
  clientId: "client-1",
  realm: "tenant-a",
  scopes: ["https://graph.microsoft.com/.default"],
};
const entry = (over = {}) => ({
  home_account_id: "uid.utid",
  environment: "login.example",
  credential_type: "AccessToken",
  client_id: "client-1",
  secret: "the-token",
  realm: "tenant-a",
  target: "https://graph.microsoft.com/.default openid profile offline_access",
  cached_at: s(NOW - 60_000),
  expires_on: s(NOW + 3600_000),
  extended_expires_on: s(NOW + 3600_000),
  token_type: "Bearer",
  ...over,
});
const cache = (...entries) => JSON.stringify({ Account: {}, AccessToken: Object.fromEntries(entries.map((e, i) => [`k${i}`, e])) });
const find = (text, q = query) => findAccessToken(text, q, NOW);

test("the matching Bearer token, with its expiry and refresh time", () => {
  const token = find(cache(entry({ refresh_on: s(NOW + 1800_000) })));
  assert.deepEqual(token, {
    token: "the-token",
    expiresOnTimestamp: Math.floor((NOW + 3600_000) / 1000) * 1000,
    refreshAfterTimestamp: Math.floor((NOW + 1800_000) / 1000) * 1000,
    tokenType: "Bearer",
  });
});

test("scopes compare as msal's do: without case, OIDC scopes left out, a subset of the target", () => {
  assert.ok(find(cache(entry()), { ...query, scopes: ["HTTPS://GRAPH.MICROSOFT.COM/.DEFAULT", "openid"] }));
  assert.ok(find(cache(entry({ target: "a b c" })), { ...query, scopes: ["b", "a"] }));
  assert.equal(find(cache(entry({ target: "a b" })), { ...query, scopes: ["a", "c"] }), undefined);
  assert.equal(find(cache(entry({ target: "openid profile" })), { ...query, scopes: ["a"] }), undefined);
});

test("another account, client, tenant or cloud is never handed out", () => {
  for (const over of [
    { home_account_id: "other.utid" },
    { client_id: "client-2" },
    { realm: "tenant-b" },
    { environment: "login.other" },
  ]) {
    assert.equal(find(cache(entry(over))), undefined, JSON.stringify(over));
  }
  assert.ok(find(cache(entry({ realm: "TENANT-A" }))), "realm compares without case, as msal's");
});

test("near expiry (msal's 5 minutes), due for refresh, or expiry unreadable: left to msal", () => {
  assert.equal(find(cache(entry({ expires_on: s(NOW + 299_000) }))), undefined);
  assert.ok(find(cache(entry({ expires_on: s(NOW + 301_000) }))));
  assert.equal(find(cache(entry({ refresh_on: s(NOW - 1000) }))), undefined);
  assert.equal(find(cache(entry({ expires_on: "soon" }))), undefined);
  assert.equal(find(cache(entry({ refresh_on: "later" }))), undefined);
});

test("kinds msal keys apart are not read: PoP/SSH, claims, attribute tokens, refresh tokens", () => {
  for (const over of [
    { credential_type: "AccessToken_With_AuthScheme", token_type: "pop", key_id: "k" },
    { token_type: "pop" },
    { key_id: "k" },
    { requestedClaimsHash: "h" },
    { additionalCacheKeyComponents: { attribute_tokens: "x" } },
    { credential_type: "RefreshToken" },
    { secret: "" },
  ]) {
    assert.equal(find(cache(entry(over))), undefined, JSON.stringify(over));
  }
  assert.ok(find(cache(entry({ token_type: "bearer" }))), "ADFS's lower-case bearer");
  assert.ok(find(cache(entry({ token_type: undefined }))));
});

test("two matches (msal clears both and asks again), no section, not JSON: left to msal", () => {
  assert.equal(find(cache(entry(), entry({ secret: "another" }))), undefined);
  assert.ok(find(cache(entry(), entry({ realm: "tenant-b", secret: "another" }))));
  assert.equal(find(JSON.stringify({ Account: {} })), undefined);
  assert.equal(find(JSON.stringify({ AccessToken: null })), undefined);
  assert.equal(find(JSON.stringify([])), undefined);
  assert.equal(find("{not json"), undefined);
  assert.equal(find(cache(null, 7, "x")), undefined);
});
