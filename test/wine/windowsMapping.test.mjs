// src/broker/windows.ts without Windows: what it asks WAM for, and how WAM's raw answers (as the
// addon passes them up) become msal results and errors. The Wine tests drive the same code for real.
import { test } from "node:test";
import assert from "node:assert/strict";
import { windowsBroker } from "../../dist/internal.js";

const request = {
  clientId: "client-1",
  authority: "https://login.microsoftonline.com/organizations",
  scopes: ["User.Read", "openid"],
  redirectUri: "",
  correlationId: "00000000-0000-4000-8000-000000000000",
};
const b64 = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
const idToken = `${b64({ alg: "none" })}.${b64({ tid: "tenant-1", oid: "oid-1", preferred_username: "a@contoso.com", name: "A" })}.`;

test("the redirect URI default is WAM's broker plugin URI", () => {
  assert.equal(windowsBroker.defaultRedirectUri("client-1"), "ms-appx-web://Microsoft.AAD.BrokerPlugin/client-1");
  assert.equal(windowsBroker.supportsPop, true);
});

test("an interactive request with no account forces the account picker; with one, it does not", () => {
  const first = JSON.parse(windowsBroker.tokenRequest({ ...request, loginHint: "a@contoso.com", claims: "{}" }, null, true));
  assert.equal(first.prompt, 1);
  assert.equal(first.scope, "User.Read openid");
  assert.equal(first.authority, "organizations");
  assert.deepEqual(
    { ...first.properties },
    {
      wam_compat: "2.0",
      authority: request.authority,
      validateAuthority: "yes",
      claims: "{}",
      LoginHint: "a@contoso.com",
      prompt: "login",
    },
  );
  const again = JSON.parse(windowsBroker.tokenRequest(request, { id: "acct", authority: "organizations" }, true));
  assert.equal(again.prompt, 0);
  assert.equal(again.accountId, "acct");
  assert.equal(again.properties.prompt, undefined);
  const consumers = JSON.parse(
    windowsBroker.tokenRequest({ ...request, authority: "https://login.microsoftonline.com/consumers" }, null, false),
  );
  assert.equal(consumers.authority, "consumers");
});

test("MSA passthrough becomes Entra's msafed property, not a WAM property of its own", () => {
  const r = JSON.parse(
    windowsBroker.tokenRequest(
      { ...request, extraParameters: { msal_request_type: "consumer_passthrough", "x-client-xtra-sku": "s" } },
      null,
      true,
    ),
  );
  assert.equal(r.properties.msafed, "1");
  assert.equal(r.properties.msal_request_type, undefined);
  assert.equal(r.properties["x-client-xtra-sku"], "s");
});

test("an Entra token reply (wam_compat 2.0) becomes an AuthenticationResult", () => {
  const expires = Math.floor(Date.now() / 1000) + 3600;
  const reply = {
    status: 0,
    responses: [
      {
        token: "access-token",
        properties: {
          TokenExpiresOn: String(expires + 11644473600),
          wamcompat_id_token: idToken,
          wamcompat_client_info: b64({ uid: "oid-1", utid: "tenant-1" }),
          wamcompat_scopes: "User.Read",
          Authority: "https://login.microsoftonline.com/tenant-1/",
        },
        account: { id: "wam-id", userName: "a@contoso.com", state: 1, properties: { TenantId: "tenant-1", OID: "oid-1" } },
      },
    ],
  };
  const r = windowsBroker.parseToken(JSON.stringify(reply), request);
  assert.equal(r.accessToken, "access-token");
  assert.equal(r.expiresOn.getTime(), expires * 1000);
  assert.deepEqual(r.scopes, ["User.Read"]);
  assert.equal(r.account.homeAccountId, "oid-1.tenant-1");
  assert.equal(r.account.nativeAccountId, "wam-id");
  assert.equal(r.account.environment, "login.microsoftonline.com");
  assert.equal(r.tenantId, "tenant-1");
  assert.equal(r.fromPlatformBroker, true);
  assert.equal(r.tokenType, "Bearer");
});

test("an MSA token reply (a k=v list) becomes an AuthenticationResult", () => {
  const token = new URLSearchParams({
    access_token: "msa-at",
    id_token: idToken,
    token_type: "bearer",
    scope: "User.Read",
    expires_in: "600",
    client_info: b64({ uid: "oid-1", utid: "9188040d-6c67-4c5b-b112-36a304b66dad" }),
  }).toString();
  const r = windowsBroker.parseToken(JSON.stringify({ status: 0, responses: [{ token, properties: {} }] }), request);
  assert.equal(r.accessToken, "msa-at");
  assert.ok(Math.abs(r.expiresOn.getTime() - (Date.now() + 600_000)) < 60_000);
  assert.equal(r.account.homeAccountId, "oid-1.9188040d-6c67-4c5b-b112-36a304b66dad");
});

test("WebTokenRequestStatus and provider error codes map as MSAL maps them", () => {
  const fail = (reply) => {
    try {
      windowsBroker.parseToken(JSON.stringify(reply), request);
    } catch (e) {
      return e;
    }
    assert.fail("no error");
  };
  assert.equal(fail({ status: 1 }).code, "user_canceled");
  assert.equal(fail({ status: 1 }).kind, "cancelled");
  const interaction = fail({ status: 3 });
  assert.equal(interaction.code, "interaction_required");
  assert.equal(interaction.kind, "interaction_needed");
  assert.equal(fail({ status: 4 }).code, "platform_broker_error");
  assert.equal(fail({ status: 5, error: { code: 0xcaa20005, message: "down" } }).code, "server_unavailable");
  assert.equal(fail({ status: 5, error: { code: 0xcaa20008, message: "error" } }).kind, "server_refused");
  assert.equal(fail({ status: 5, error: { code: 0xcaa30001, message: "offline" } }).code, "no_network_connectivity");
  const other = fail({ status: 5, error: { code: 0xcaa10001, message: "contract" } });
  assert.equal(other.code, "platform_broker_error");
  assert.match(other.message, /0xCAA10001/);
  assert.equal(other.osCode, 0xcaa10001);
  assert.match(other.fix.join(" "), /ms-appx-web:\/\/Microsoft\.AAD\.BrokerPlugin/);
  assert.equal(fail({ accountNotFound: true }).code, "no_account_found");
  assert.equal(fail({ accountNotFound: true }).kind, "interaction_needed");
  assert.equal(fail({ status: 0, responses: [{ token: "t", properties: {} }] }).code, "BROKER_BAD_REPLY", "no expiry");
  assert.equal(
    fail({ status: 0, responses: [{ token: "t", properties: { TokenExpiresOn: "1e400" } }] }).code,
    "BROKER_BAD_REPLY",
    "an expiry past any date",
  );
  assert.equal(fail({ status: 0, responses: [] }).code, "BROKER_BAD_REPLY");
  assert.equal(fail({ status: 0, responses: [null] }).code, "BROKER_BAD_REPLY");
  assert.equal(fail({ status: 0, responses: "x" }).code, "BROKER_BAD_REPLY");
  assert.throws(() => windowsBroker.parseToken("not json", request), { kind: "bad_reply", code: "BROKER_BAD_REPLY" });
});

test("accounts: WAM's accounts with their ids; the MSA provider's refusal is no account", () => {
  const reply = {
    accounts: [
      {
        id: "wam-id",
        userName: "a@contoso.com",
        state: 1,
        properties: { TenantId: "tenant-1", OID: "oid-1", Authority: "https://login.microsoftonline.com/tenant-1/" },
        provider: { id: "https://login.microsoft.com", authority: "organizations" },
      },
    ],
    providers: [
      { authority: "organizations", status: 0 },
      { authority: "consumers", status: 1 },
    ],
  };
  const [entry] = windowsBroker.parseAccounts(JSON.stringify(reply));
  assert.equal(entry.info.homeAccountId, "oid-1.tenant-1");
  assert.equal(entry.info.nativeAccountId, "wam-id");
  assert.deepEqual(entry.raw, { id: "wam-id", authority: "organizations" });
  assert.deepEqual(JSON.parse(windowsBroker.accountsRequest("client-1", "wam-id")), {
    providerId: "https://login.microsoft.com",
    authorities: ["organizations", "consumers"],
    clientId: "client-1",
    accountId: "wam-id",
  });
  assert.deepEqual(JSON.parse(windowsBroker.signOutRequest("client-1", entry.raw)), {
    providerId: "https://login.microsoft.com",
    authority: "organizations",
    accountId: "wam-id",
    clientId: "client-1",
  });
});

// Proof of possession (test/wine/standInWam/README.md): token_type=shr, the resource request in the
// app properties, and WAM's signed HTTP request (SHR) back as the token.
const popRequest = { ...request, proofOfPossession: { method: "post", uri: "https://api.contoso.com:8443/v1/items?x=1#f", nonce: "n-1" } };
const shr = (claims) => `${b64({ alg: "RS256", typ: "pop", kid: "k" })}.${b64({ at: "inner.at.", ts: 1, ...claims })}.c2ln`;
const popReply = (token) => ({
  status: 0,
  responses: [
    {
      token,
      properties: {
        TokenExpiresOn: String(Math.floor(Date.now() / 1000) + 3600 + 11644473600),
        wamcompat_id_token: idToken,
        wamcompat_client_info: b64({ uid: "oid-1", utid: "tenant-1" }),
      },
    },
  ],
});
const popFailure = (reply, req = popRequest) => {
  try {
    windowsBroker.parseToken(JSON.stringify(reply), req);
  } catch (e) {
    return e;
  }
  assert.fail("no error");
};

test("a PoP request asks WAM for a signed HTTP request: token_type=shr, method, host, path and nonce as app properties", () => {
  for (const r of [
    JSON.parse(windowsBroker.tokenRequest(popRequest, null, true)),
    JSON.parse(windowsBroker.tokenRequest(popRequest, { id: "acct", authority: "organizations" }, false)),
    JSON.parse(windowsBroker.defaultAccountRequest(popRequest)),
  ]) {
    assert.equal(r.properties.token_type, "shr");
    assert.equal(r.properties.wam_compat, "2.0");
    assert.deepEqual(r.appProperties, {
      shr_method: "POST",
      shr_u: "api.contoso.com:8443",
      shr_p: "/v1/items",
      shr_nonce: "n-1",
      shr_add_timestamp: "1",
    });
  }
  const noNonce = JSON.parse(
    windowsBroker.tokenRequest({ ...request, proofOfPossession: { method: "GET", uri: "https://api.contoso.com" } }, null, false),
  );
  assert.deepEqual(noNonce.appProperties, { shr_method: "GET", shr_u: "api.contoso.com", shr_p: "/", shr_add_timestamp: "1" });
  const bearer = JSON.parse(windowsBroker.tokenRequest(request, null, false));
  assert.equal(bearer.properties.token_type, undefined);
  assert.equal(bearer.appProperties, undefined);
  for (const uri of ["", "not a url", "ftp://api.contoso.com/x"]) {
    assert.throws(
      () => windowsBroker.tokenRequest({ ...request, proofOfPossession: { method: "GET", uri } }, null, false),
      { kind: "invalid_request", code: "BROKER_INVALID_REQUEST" },
      uri,
    );
  }
});

test("WAM's SHR for the resource request becomes a pop token; anything else is refused", () => {
  const token = shr({ m: "POST", u: "api.contoso.com:8443", p: "/v1/items", nonce: "n-1" });
  const r = windowsBroker.parseToken(JSON.stringify(popReply(token)), popRequest);
  assert.equal(r.tokenType, "pop");
  assert.equal(r.accessToken, token);
  assert.equal(r.account.homeAccountId, "oid-1.tenant-1");
  assert.ok(r.expiresOn.getTime() > Date.now());
  // A WAM whose AAD plugin does not sign HTTP requests answers with a bearer token.
  for (const bearer of ["opaque-bearer", `${b64({ alg: "RS256", typ: "JWT" })}.${b64({ aud: "x" })}.c2ln`]) {
    const e = popFailure(popReply(bearer));
    assert.equal(e.code, "POP_UNSUPPORTED");
    assert.equal(e.kind, "unsupported");
    assert.match(e.message, /bearer token/);
  }
  assert.equal(popFailure(popReply(shr({ m: "GET", u: "api.contoso.com:8443", p: "/v1/items", nonce: "n-1" }))).code, "BROKER_BAD_REPLY");
  assert.match(popFailure(popReply(shr({ m: "POST", u: "evil.example", p: "/v1/items", nonce: "n-1" }))).message, /"u" differs/);
  assert.match(
    popFailure(popReply(shr({ m: "POST", u: "api.contoso.com:8443", p: "/v1/items", nonce: "other" }))).message,
    /"nonce" differs/,
  );
  const msa = new URLSearchParams({ access_token: "msa-at", token_type: "bearer", expires_in: "600" }).toString();
  assert.equal(popFailure({ status: 0, responses: [{ token: msa, properties: {} }] }).code, "POP_UNSUPPORTED");
});
