// The macOS broker mapping (src/broker/macos.ts) on Linux: requests as the SSO extension's
// operations and keys, and replies shaped as native/mac/broker_mac.mm writes them (the credential's
// header fields, or the NSError) read into msal's results and errors. The Objective-C++ side cannot
// run here; these fixtures follow MSAL's own parsing (shared/research/wam-macos.md part B).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { macosBroker, macErrorToFailure, MACOS_REDIRECT_URI } = require("../../dist/internal.js");
const { selectPlatform } = require("../../dist/internal.js");
const { NativeBrokerPlugin } = require("../../dist/internal.js");
const { toCredentialError, needsInteraction } = require("../../dist/internal.js");
const { AuthenticationError, AuthenticationRequiredError } = require("../../dist/internal.js");

const AS_DOMAIN = "com.apple.AuthenticationServices.AuthorizationError";
const b64url = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
const OID = "00000000-0000-0000-0000-0000000000aa";
const TID = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const ID_TOKEN = `${b64url({ alg: "none" })}.${b64url({ oid: OID, tid: TID, preferred_username: "ada@contoso.com", name: "Ada" })}.`;
const CLIENT_INFO = b64url({ uid: OID, utid: TID });

const request = {
  clientId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
  authority: "https://login.microsoftonline.com/organizations/",
  scopes: ["https://graph.microsoft.com/User.Read", "openid", "profile", "offline_access"],
  redirectUri: MACOS_REDIRECT_URI,
  correlationId: "11111111-2222-4333-8444-555555555555",
};

const account = {
  home_account_id: `${OID}.${TID}`,
  username: "ada@contoso.com",
  local_account_id: OID,
  environment: "login.microsoftonline.com",
  realm: TID,
  name: "Ada",
  account_type: "MSSTS",
};

function tokenReply(fields = {}, operation = "refresh") {
  return JSON.stringify({
    operation,
    response: {
      operation,
      success: "1",
      operation_response_type: "operation_token_response",
      access_token: "at-secret",
      expires_on: "1900000000",
      ext_expires_on: "1900003600",
      refresh_on: "1899990000",
      token_type: "Bearer",
      scope: "https://graph.microsoft.com/User.Read openid profile offline_access",
      id_token: ID_TOKEN,
      client_info: CLIENT_INFO,
      authority: `https://login.microsoftonline.com/${TID}`,
      correlation_id: "from-extension",
      ...fields,
    },
  });
}

const errorReply = (error, operation = "refresh") => JSON.stringify({ operation, error });

/** Every option the addon turns into an NSURLQueryItem must be a string. */
function assertStringOptions(json) {
  const parsed = JSON.parse(json);
  for (const [k, v] of Object.entries(parsed.options ?? {})) assert.equal(typeof v, "string", `options.${k}`);
  for (const [k, v] of Object.entries(parsed.accountFrom?.options ?? {})) assert.equal(typeof v, "string", `accountFrom.options.${k}`);
  return parsed;
}

describe("requests", () => {
  test("darwin selects the SSO extension with the unsigned-app redirect URI", () => {
    const choice = selectPlatform("darwin");
    assert.equal(choice.kind, "macos-sso");
    assert.equal(choice.platform, macosBroker);
    assert.equal(macosBroker.backend, "macos-sso");
    assert.equal(macosBroker.defaultRedirectUri("any"), "msauth.com.msauth.unsignedapp://auth");
    assert.equal(macosBroker.supportsPop, false);
  });

  test("availability asks about MSAL's provider URL", () => {
    assert.deepEqual(JSON.parse(macosBroker.availabilityRequest()), { identityProviderUrl: "https://login.microsoftonline.com/common" });
    const version = macosBroker.parseAvailability(
      JSON.stringify({ canPerformAuthorization: true, identityProviderUrl: "x", osVersion: "Version 14.5 (Build 23F79)" }),
    );
    assert.match(version, /Version 14\.5/);
    assert.throws(() => macosBroker.parseAvailability("{"), { kind: "bad_reply", code: "BROKER_BAD_REPLY" });
  });

  test("interactive sign-in without an account is a `login` that lets the user pick", () => {
    const parsed = assertStringOptions(
      macosBroker.tokenRequest(
        { ...request, claims: '{"access_token":{"xms_cc":{"values":["CP1"]}}}', extraParameters: { dc: "ESTS-PUB-WUS", x: "a b" } },
        null,
        true,
      ),
    );
    assert.equal(parsed.identityProviderUrl, "https://login.microsoftonline.com/common");
    assert.equal(parsed.operation, "login");
    assert.equal(parsed.accountFrom, undefined);
    assert.deepEqual(parsed.options, {
      msg_protocol_ver: "4",
      correlation_id: request.correlationId,
      client_id: request.clientId,
      authority: "https://login.microsoftonline.com/organizations",
      redirect_uri: MACOS_REDIRECT_URI,
      provider_type: "provider_aad_v2",
      scope: "https://graph.microsoft.com/User.Read openid profile offline_access",
      claims: '{"access_token":{"xms_cc":{"values":["CP1"]}}}',
      extra_query_param: "dc=ESTS-PUB-WUS&x=a+b",
      prompt: "select_account",
    });
  });

  test("a login hint becomes `username`; a known account its ids; silent is `refresh`", () => {
    const hinted = assertStringOptions(macosBroker.tokenRequest({ ...request, loginHint: "ada@contoso.com" }, null, true));
    assert.equal(hinted.options.username, "ada@contoso.com");
    assert.equal(hinted.options.prompt, undefined);
    const silent = assertStringOptions(macosBroker.tokenRequest(request, account, false));
    assert.equal(silent.operation, "refresh");
    assert.equal(silent.options.home_account_id, account.home_account_id);
    assert.equal(silent.options.username, "ada@contoso.com");
    assert.equal(silent.options.prompt, undefined);
  });

  test("the provider URL follows the authority's cloud; a non-https authority keeps the default", () => {
    const us = JSON.parse(
      macosBroker.tokenRequest({ ...request, authority: "https://login.microsoftonline.us/contoso.onmicrosoft.com" }, null, true),
    );
    assert.equal(us.identityProviderUrl, "https://login.microsoftonline.us/common");
    const local = JSON.parse(macosBroker.tokenRequest({ ...request, authority: "http://127.0.0.1:8443/common" }, null, true));
    assert.equal(local.identityProviderUrl, "https://login.microsoftonline.com/common");
  });

  test("the default account: get_default_account first, its ids copied into a `refresh`", () => {
    const parsed = assertStringOptions(macosBroker.defaultAccountRequest(request));
    assert.equal(parsed.operation, "refresh");
    assert.equal(parsed.options.home_account_id, undefined);
    assert.deepEqual(parsed.accountFrom.copy, ["home_account_id", "username"]);
    assert.equal(parsed.accountFrom.operation, "get_default_account");
    assert.equal(parsed.accountFrom.options.client_id, request.clientId);
  });

  test("accounts and sign-out requests", () => {
    const accounts = assertStringOptions(macosBroker.accountsRequest(request.clientId));
    assert.equal(accounts.operation, "get_accounts_operation");
    assert.deepEqual(accounts.options, { msg_protocol_ver: "4", client_id: request.clientId, signed_in_accounts_only: "0" });
    assert.equal(JSON.parse(macosBroker.accountsRequest("")).options.client_id, undefined);
    const out = assertStringOptions(macosBroker.signOutRequest(request.clientId, account));
    assert.equal(out.operation, "signout_account_operation");
    assert.equal(out.options.home_account_id, account.home_account_id);
    assert.equal(out.options.authority, `https://login.microsoftonline.com/${TID}`);
    assert.equal(out.options.wipe_account, "0");
  });
});

describe("replies", () => {
  test("a token reply becomes msal's result, account from client_info and the id token", () => {
    const result = macosBroker.parseToken(tokenReply(), request);
    assert.equal(result.accessToken, "at-secret");
    assert.equal(result.expiresOn.getTime(), 1900000000 * 1000);
    assert.equal(result.extExpiresOn.getTime(), 1900003600 * 1000);
    assert.equal(result.refreshOn.getTime(), 1899990000 * 1000);
    assert.equal(result.tokenType, "Bearer");
    assert.equal(result.fromPlatformBroker, true);
    assert.equal(result.correlationId, "from-extension");
    assert.deepEqual(result.scopes, ["https://graph.microsoft.com/User.Read", "openid", "profile", "offline_access"]);
    assert.equal(result.tenantId, TID);
    assert.equal(result.uniqueId, OID);
    assert.equal(result.account.homeAccountId, `${OID}.${TID}`);
    assert.equal(result.account.nativeAccountId, `${OID}.${TID}`);
    assert.equal(result.account.username, "ada@contoso.com");
    assert.equal(result.account.environment, "login.microsoftonline.com");
    assert.equal(result.idTokenClaims.name, "Ada");
  });

  test("header names are matched without regard to case; expires_in stands in for expires_on", () => {
    const before = Date.now();
    const result = macosBroker.parseToken(
      tokenReply({ Access_Token: "at-2", access_token: undefined, expires_on: undefined, expires_in: "3600", token_type: "pop" }),
      request,
    );
    assert.equal(result.accessToken, "at-2");
    assert.ok(result.expiresOn.getTime() >= before + 3599_000 && result.expiresOn.getTime() <= Date.now() + 3601_000);
    assert.equal(result.tokenType, "pop");
  });

  test("a success without a token or expiry is a broker error, not a result", () => {
    assert.throws(() => macosBroker.parseToken(tokenReply({ access_token: "" }), request), {
      kind: "bad_reply",
      code: "BROKER_BAD_REPLY",
      message: /without an access token/,
    });
    assert.throws(() => macosBroker.parseToken(tokenReply({ expires_on: "soon" }), request), {
      code: "BROKER_BAD_REPLY",
      message: /no valid expiry/,
    });
    assert.throws(() => macosBroker.parseToken(tokenReply({ expires_on: 1e300 }), request), {
      code: "BROKER_BAD_REPLY",
      message: /no valid expiry/,
    });
    assert.throws(() => macosBroker.parseToken(tokenReply({ expires_on: "1e400" }), request), {
      code: "BROKER_BAD_REPLY",
      message: /no valid expiry/,
    });
    assert.throws(() => macosBroker.parseToken(JSON.stringify({ operation: "refresh" }), request), {
      message: /neither a response nor an error/,
    });
    assert.throws(() => macosBroker.parseToken("not json", request), { message: /not JSON/ });
  });

  test("an OAuth error in the header fields is the server's error, description decoded", () => {
    const fields = {
      success: "0",
      access_token: undefined,
      error: "invalid_client",
      error_description: "AADSTS7000218%3A+The+request+body+must+contain+client_assertion",
      error_codes: "[7000218]",
    };
    assert.throws(
      () => macosBroker.parseToken(tokenReply(fields), request),
      (e) => {
        assert.equal(e.kind, "server_refused");
        assert.equal(e.code, "invalid_client");
        assert.equal(e.serverError.description, "AADSTS7000218: The request body must contain client_assertion");
        assert.deepEqual(e.serverError.errorCodes, [7000218]);
        const ours = toCredentialError(e, request.scopes);
        assert.ok(ours instanceof AuthenticationError);
        assert.equal(ours.errorResponse.error, "invalid_client");
        assert.equal(ours.statusCode, 400);
        return true;
      },
    );
  });

  test("interaction_required, or invalid_grant with an interaction suberror, asks for interaction", () => {
    for (const fields of [
      { error: "interaction_required" },
      { error: "invalid_grant", suberror: "basic_action" },
      { success: false, error: "login_required" },
    ]) {
      assert.throws(
        () => macosBroker.parseToken(tokenReply({ success: "0", ...fields }), request),
        (e) => {
          assert.equal(e.kind, "interaction_needed");
          assert.ok(needsInteraction(e));
          assert.ok(toCredentialError(e, request.scopes) instanceof AuthenticationRequiredError);
          return true;
        },
      );
    }
  });

  test("no default account answers no_account_found, so the credential signs in interactively", () => {
    const empty = JSON.stringify({ operation: "get_default_account", response: { operation: "get_default_account", success: "1" } });
    assert.throws(() => macosBroker.parseToken(empty, request), { kind: "interaction_needed", code: "no_account_found" });
    const failed = errorReply({ domain: "MSIDErrorDomain", code: -51100, description: "no account" }, "get_default_account");
    assert.throws(() => macosBroker.parseToken(failed, request), { code: "no_account_found" });
    // After the addon copied the ids, the reply is the refresh's own.
    assert.equal(macosBroker.parseToken(tokenReply(), request).accessToken, "at-secret");
  });
});

describe("NSError mapping", () => {
  const cases = [
    [{ domain: AS_DOMAIN, code: 1001, description: "canceled" }, "user_canceled", "cancelled"],
    [{ domain: AS_DOMAIN, code: 1005, description: "not interactive" }, "interaction_required", "interaction_needed"],
    [{ domain: AS_DOMAIN, code: 1003, description: "not handled" }, "platform_broker_error", "server_refused", /did not handle/],
    [
      { domain: AS_DOMAIN, code: 1004, description: "failed" },
      "platform_broker_error",
      "server_refused",
      /AuthenticationServices failed: failed/,
    ],
    [
      {
        domain: AS_DOMAIN,
        code: -6000,
        description: "wrapped",
        underlying: {
          domain: "MSIDErrorDomain",
          code: -51115,
          description: "x",
          userInfo: { MSIDErrorDescriptionKey: "AADSTS50076: MFA required", MSIDOAuthErrorKey: "interaction_required" },
        },
      },
      "interaction_required",
      "interaction_needed",
      /AADSTS50076/,
    ],
    [
      {
        domain: AS_DOMAIN,
        code: -6000,
        description: "wrapped",
        underlying: { domain: "MSIDErrorDomain", code: -51700, description: "cancel" },
      },
      "user_canceled",
      "cancelled",
    ],
    [
      {
        domain: AS_DOMAIN,
        code: -6000,
        underlying: {
          domain: "MSIDOAuthErrorDomain",
          code: -51411,
          description: "bad client",
          userInfo: { MSIDOAuthErrorKey: "invalid_client", MSIDErrorDescriptionKey: "AADSTS700016: app not found" },
        },
      },
      "invalid_client",
      "server_refused",
      /AADSTS700016/,
    ],
    [{ domain: AS_DOMAIN, code: -6000, description: "no underlying" }, "platform_broker_error", "server_refused"],
    [{ domain: "MSIDErrorDomain", code: -51814, description: "broker gone" }, "platform_broker_error", "server_refused", /not available/],
    [
      { domain: "NSURLErrorDomain", code: -1009, description: "The Internet connection appears to be offline." },
      "no_network_connectivity",
      "unreachable",
    ],
    [{ domain: "NSURLErrorDomain", code: -1012, description: "user cancelled authentication" }, "platform_broker_error", "server_refused"],
  ];
  for (const [error, code, kind, message] of cases) {
    test(`${error.domain} ${error.code}${error.underlying ? ` > ${error.underlying.domain} ${error.underlying.code}` : ""} is ${code}`, () => {
      const mapped = macErrorToFailure(error);
      assert.equal(mapped.code, code);
      assert.equal(mapped.kind, kind);
      if (message) assert.match(mapped.message, message);
      const reported = error.underlying && error.code === -6000 ? error.underlying : error;
      assert.ok(mapped.osError.startsWith(`${reported.domain} ${reported.code}`), mapped.osError);
      // The same error arriving as a token reply.
      assert.throws(() => macosBroker.parseToken(errorReply(error), request), { code });
    });
  }

  test("user cancel reaches the caller as an AuthenticationError, not an abort", () => {
    const ours = toCredentialError(macErrorToFailure({ domain: AS_DOMAIN, code: 1001 }), request.scopes);
    assert.ok(ours instanceof AuthenticationError);
    assert.equal(ours.errorResponse.error, "user_canceled");
  });
});

describe("accounts", () => {
  test("`accounts` as a JSON array in text", () => {
    const reply = JSON.stringify({
      operation: "get_accounts_operation",
      response: { success: "1", accounts: JSON.stringify([account, { username: "no id" }]) },
    });
    const entries = macosBroker.parseAccounts(reply);
    assert.equal(entries.length, 1);
    assert.deepEqual(entries[0].raw, account);
    assert.deepEqual(
      { ...entries[0].info, idTokenClaims: undefined },
      {
        homeAccountId: account.home_account_id,
        environment: "login.microsoftonline.com",
        tenantId: TID,
        username: "ada@contoso.com",
        localAccountId: OID,
        name: "Ada",
        nativeAccountId: account.home_account_id,
        idTokenClaims: undefined,
      },
    );
  });

  test("`response_data.accounts`, decoded or as text; a missing list or an error fails", () => {
    for (const responseData of [{ accounts: [account] }, JSON.stringify({ accounts: [account] })]) {
      const reply = JSON.stringify({ operation: "get_accounts_operation", response: { success: true, response_data: responseData } });
      assert.equal(macosBroker.parseAccounts(reply)[0].info.homeAccountId, account.home_account_id);
    }
    assert.throws(() => macosBroker.parseAccounts(JSON.stringify({ response: { success: "1" } })), { message: /no account list/ });
    assert.throws(() => macosBroker.parseAccounts(errorReply({ domain: AS_DOMAIN, code: 1003 })), { code: "platform_broker_error" });
  });
});

describe("through the msal plugin (the addon's replies from fixtures)", () => {
  function fakeAddon(replies) {
    const calls = [];
    return {
      calls,
      addon: {
        backend: "macos-sso",
        call(operation, json, options) {
          calls.push({ operation, request: JSON.parse(json), options });
          return { correlationId: options?.correlationId ?? "c", cancel() {}, promise: Promise.resolve(replies[operation]) };
        },
      },
    };
  }
  const accountsReply = JSON.stringify({
    operation: "get_accounts_operation",
    response: { success: "1", accounts: JSON.stringify([account]) },
  });

  test("silent: one call, a `refresh` with the ids msal keeps (no account lookup first)", async () => {
    const { addon, calls } = fakeAddon({ accounts: accountsReply, silentToken: tokenReply() });
    const plugin = new NativeBrokerPlugin(addon, macosBroker);
    const msalAccount = {
      homeAccountId: account.home_account_id,
      environment: "login.microsoftonline.com",
      tenantId: TID,
      username: "ada@contoso.com",
      localAccountId: OID,
    };
    const result = await plugin.acquireTokenSilent({ ...request, accountId: account.home_account_id, account: msalAccount });
    assert.equal(result.accessToken, "at-secret");
    assert.deepEqual(
      calls.map((c) => c.operation),
      ["silentToken"],
    );
    assert.equal(calls[0].request.operation, "refresh");
    assert.equal(calls[0].request.options.home_account_id, account.home_account_id);
    assert.equal(calls[0].request.options.username, "ada@contoso.com");
  });

  test("interactive passes the window handle; the default account goes through get_default_account", async () => {
    const { addon, calls } = fakeAddon({ interactiveToken: tokenReply({}, "login"), silentToken: tokenReply() });
    const plugin = new NativeBrokerPlugin(addon, macosBroker);
    const handle = Buffer.alloc(8, 7);
    await plugin.acquireTokenInteractive(request, handle);
    assert.equal(calls[0].request.operation, "login");
    assert.equal(calls[0].options.parentWindowHandle, handle);
    await plugin.acquireTokenInteractive({ ...request, prompt: "none" });
    assert.equal(calls[1].operation, "silentToken");
    assert.equal(calls[1].request.accountFrom.operation, "get_default_account");
  });
});
