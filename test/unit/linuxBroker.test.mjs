// The Linux identity broker's replies (src/broker/linux.ts): every odd reply is a typed
// BROKER_BAD_REPLY (kind bad_reply), never an untyped TypeError or an Invalid Date.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { linuxBroker } = require("../../dist/internal.js");
const { NativeBrokerPlugin } = require("../../dist/internal.js");
const { Failure } = require("../../dist/internal.js");
const { toCredentialError } = require("../../dist/internal.js");
const { AuthenticationError } = require("../../dist/internal.js");
const { missingAccountFields } = require("entra-broker-devtools/stand-in-broker");

const b64url = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
const OID = "00000000-0000-0000-0000-0000000000aa";
const TID = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const ID_TOKEN = `${b64url({ alg: "none" })}.${b64url({ oid: OID, tid: TID, preferred_username: "ada@contoso.com", name: "Ada" })}.`;
const request = {
  clientId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
  authority: "https://login.microsoftonline.com/organizations",
  scopes: ["User.Read"],
  redirectUri: "",
  correlationId: "c",
};
const reply = (fields) =>
  JSON.stringify({
    brokerTokenResponse: {
      accessToken: "at",
      expiresOn: Date.now() + 3_600_000,
      grantedScopes: "User.Read",
      idToken: ID_TOKEN,
      clientInfo: b64url({ uid: OID, utid: TID }),
      ...fields,
    },
  });

describe("a good reply", () => {
  test("without an account (broker 3.x): the account is the id token's and client_info's", () => {
    const r = linuxBroker.parseToken(reply({}), request);
    assert.equal(r.account.homeAccountId, `${OID}.${TID}`);
    assert.equal(r.account.nativeAccountId, `${OID}.${TID}`);
    assert.equal(r.account.username, "ada@contoso.com");
    assert.equal(r.account.environment, "login.microsoftonline.com");
    assert.equal(r.uniqueId, OID);
    assert.deepEqual(r.scopes, ["User.Read"]);
  });
  test("grantedScopes as a list, or absent (the scopes asked for)", () => {
    assert.deepEqual(linuxBroker.parseToken(reply({ grantedScopes: ["a", "b"] }), request).scopes, ["a", "b"]);
    assert.deepEqual(linuxBroker.parseToken(reply({ grantedScopes: undefined }), request).scopes, ["User.Read"]);
  });
});

describe("odd replies are BROKER_BAD_REPLY", () => {
  const cases = {
    "grantedScopes a number": { grantedScopes: 5 },
    "grantedScopes an object": { grantedScopes: { a: 1 } },
    "grantedScopes a list with a number": { grantedScopes: ["a", 1] },
    "an id token whose payload is JSON null": { idToken: `${b64url({})}.${b64url(null)}.` },
    "an id token whose payload is a number": { idToken: `${b64url({})}.${b64url(7)}.` },
    "an id token that is not a JWT": { idToken: "garbage" },
    "an id token that is a number": { idToken: 12 },
    "client_info that is JSON null": { clientInfo: b64url(null) },
    "client_info that is an array": { clientInfo: b64url([1]) },
    "expiresOn 1e400 (Infinity)": "1e400",
    "expiresOn past any Date": { expiresOn: 1e300 },
    "expiresOn a string": { expiresOn: "soon" },
    "expiresOn negative": { expiresOn: -5 },
    "no access token": { accessToken: undefined },
    "an access token that is a number": { accessToken: 5 },
    "an account with a numeric homeAccountId": {
      account: { homeAccountId: 5, localAccountId: "l", environment: "e", realm: "r", username: "u" },
    },
    "an account that is a string": { account: "ada" },
    "an error that is a string": { error: "boom" },
  };
  for (const [name, fields] of Object.entries(cases)) {
    test(name, () => {
      // JSON.stringify cannot write 1e400: the broker's text can.
      const text = fields === "1e400" ? reply({ expiresOn: 0 }).replace(/"expiresOn":0/, '"expiresOn":1e400') : reply(fields);
      assert.throws(
        () => linuxBroker.parseToken(text, request),
        (e) => {
          assert.ok(e instanceof Failure, `${e?.name}: ${e?.message}`);
          assert.equal(e.kind, "bad_reply");
          assert.equal(e.code, "BROKER_BAD_REPLY");
          return true;
        },
      );
    });
  }
  for (const [name, text] of Object.entries({
    "not JSON": "{",
    "JSON null": "null",
    "an array": "[1]",
    "no brokerTokenResponse": "{}",
    "brokerTokenResponse a number": '{"brokerTokenResponse":1}',
  })) {
    test(name, () => assert.throws(() => linuxBroker.parseToken(text, request), { kind: "bad_reply", code: "BROKER_BAD_REPLY" }));
  }
  test("an odd accounts list keeps only accounts", () => {
    const accounts = [
      { homeAccountId: "h", localAccountId: "l", environment: "e", realm: "r", username: "u" },
      null,
      5,
      { homeAccountId: "x" },
    ];
    assert.deepEqual(
      linuxBroker.parseAccounts(JSON.stringify({ accounts })).map((a) => a.info.homeAccountId),
      ["h"],
    );
  });
  test("reaches the caller as AuthenticationError broker_bad_reply with the Failure as cause", () => {
    const failure = (() => {
      try {
        linuxBroker.parseToken(reply({ grantedScopes: 5 }), request);
      } catch (e) {
        return e;
      }
    })();
    const mapped = toCredentialError(failure, ["User.Read"]);
    assert.ok(mapped instanceof AuthenticationError);
    assert.equal(mapped.errorResponse.error, "broker_bad_reply");
    assert.equal(mapped.cause, failure);
  });
});

describe("in-band statuses", () => {
  for (const [status, kind, code] of [
    [2, "interaction_needed", "interaction_required"],
    [16, "interaction_needed", "no_account_found"],
    [7, "cancelled", "user_canceled"],
    [3, "unreachable", "no_network_connectivity"],
    [5, "server_refused", "server_unavailable"],
    [6, "server_refused", "platform_broker_error"],
  ]) {
    test(`status ${status} is ${kind} ${code}`, () => {
      assert.throws(() => linuxBroker.parseToken(JSON.stringify({ brokerTokenResponse: { error: { status, context: "ctx" } } }), request), {
        kind,
        code,
        reason: "ctx",
      });
    });
  }
});

describe("through the plugin", () => {
  function addon(replies) {
    const calls = [];
    return {
      calls,
      backend: "linux-dbus",
      call: (operation, json) => (
        calls.push({ operation, request: JSON.parse(json) }),
        { correlationId: "c", cancel() {}, promise: Promise.resolve(replies[operation]) }
      ),
    };
  }
  test("a silent call is one native call, with the account built from what msal keeps", async () => {
    const fake = addon({ silentToken: reply({}) });
    const plugin = new NativeBrokerPlugin(fake, linuxBroker);
    const account = {
      homeAccountId: `${OID}.${TID}`,
      environment: "login.microsoftonline.com",
      tenantId: TID,
      username: "ada@contoso.com",
      localAccountId: OID,
    };
    const result = await plugin.acquireTokenSilent({ ...request, accountId: account.homeAccountId, account });
    assert.equal(result.accessToken, "at");
    assert.deepEqual(
      fake.calls.map((c) => c.operation),
      ["silentToken"],
    );
    const sent = fake.calls[0].request.authParameters.account;
    assert.deepEqual(missingAccountFields(sent), []);
    assert.equal(sent.homeAccountId, account.homeAccountId);
    assert.equal(sent.localAccountId, OID);
    assert.equal(sent.environment, "login.microsoftonline.com");
    assert.equal(sent.realm, TID);
    assert.equal(sent.username, "ada@contoso.com");
  });
  test("an account the broker no longer holds: interaction needed", async () => {
    const plugin = new NativeBrokerPlugin(
      addon({ silentToken: JSON.stringify({ brokerTokenResponse: { error: { status: 16 } } }) }),
      linuxBroker,
    );
    await assert.rejects(plugin.acquireTokenSilent({ ...request, accountId: "gone.tenant" }), {
      kind: "interaction_needed",
      code: "no_account_found",
    });
  });
  test("the addon's own errors become Failures by code, the addon's error as cause", async () => {
    const rejecting = (code) => ({
      backend: "linux-dbus",
      call: () => ({
        correlationId: "c",
        cancel() {},
        promise: Promise.reject(Object.assign(new Error(`boom ${code}`), { code, operation: "silentToken", correlationId: "c" })),
      }),
    });
    for (const [code, kind] of [
      ["BROKER_UNAVAILABLE", "unavailable"],
      ["BROKER_TIMEOUT", "timed_out"],
      ["BROKER_CANCELLED", "cancelled"],
      ["BROKER_NO_REPLY", "unreachable"],
      ["BROKER_BAD_REPLY", "bad_reply"],
    ]) {
      const plugin = new NativeBrokerPlugin(rejecting(code), linuxBroker);
      await assert.rejects(
        plugin.acquireTokenSilent({ ...request, accountId: "a.b" }),
        (e) => e instanceof Failure && e.kind === kind && e.code === code && e.cause.code === code,
      );
    }
  });
});

describe("the account a silent call sends", () => {
  test("has every field Microsoft's broker requires, from msal's account or from the id alone", () => {
    const home = `${OID}.${TID}`;
    const full = linuxBroker.accountFor(home, {
      homeAccountId: home,
      environment: "login.microsoftonline.com",
      tenantId: TID,
      username: "ada@contoso.com",
      localAccountId: OID,
      name: "Ada Lovelace",
      idTokenClaims: { given_name: "Ada", family_name: "Lovelace" },
    });
    assert.deepEqual(missingAccountFields(full), []);
    assert.equal(full.realm, TID);
    assert.equal(full.localAccountId, OID);
    assert.equal(full.givenName, "Ada");
    assert.equal(full.familyName, "Lovelace");
    assert.equal(full.passwordExpiry, 0);
    assert.deepEqual(JSON.parse(Buffer.from(full.clientInfo, "base64url").toString()), { uid: OID, utid: TID });
    const bare = linuxBroker.accountFor(home, undefined);
    assert.deepEqual(missingAccountFields(bare), []);
    assert.equal(bare.realm, TID);
    assert.equal(bare.localAccountId, OID);
  });

  test("the stand-in refuses an account without them, as the real broker does", () => {
    assert.deepEqual(missingAccountFields({ homeAccountId: "a.b", environment: "e", realm: "r", username: "u", localAccountId: "a" }), [
      "givenName",
      "name",
      "passwordExpiry",
    ]);
  });
});
