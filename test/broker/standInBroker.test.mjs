// The stand-in Linux identity broker, in process, seen by a plain dbus-next client on a private bus:
// every method and reply shape, scripted errors, malformed and slow replies, cancellation, argument
// validation. (Out-of-process behaviour and D-Bus activation: standInBroker.process.test.mjs.)
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { randomUUID, createPublicKey, verify } from "node:crypto";
import { createRequire } from "node:module";
import { startPrivateBus, startTestAuthority, startFakeAuthority } from "../helpers/privateBus.mjs";

const require = createRequire(import.meta.url);
const dbus = require("dbus-next");
const {
  StandInBroker,
  BROKER_BUS_NAME,
  BROKER_OBJECT_PATH,
  BROKER_INTERFACE,
  BROKER_METHODS,
} = require("entra-broker-devtools/stand-in-broker");

const CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
const NATIVE_CLIENT = "https://login.microsoftonline.com/common/oauth2/nativeclient";
const GRAPH = "https://graph.microsoft.com/.default";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACCOUNT_KEYS = [
  "alternativeAccountId",
  "clientInfo",
  "environment",
  "familyName",
  "givenName",
  "homeAccountId",
  "homeEnvironment",
  "localAccountId",
  "middleName",
  "name",
  "passwordChangeUrl",
  "passwordExpiry",
  "realm",
  "username",
];

/** Calls a broker method the way real clients do: raw (sss) -> s, no introspection. */
async function call(bus, member, request, opts = {}) {
  const body = opts.body ?? [
    opts.protocol ?? "0.0",
    opts.correlationId ?? randomUUID(),
    typeof request === "string" ? request : JSON.stringify(request),
  ];
  const reply = await bus.call(
    new dbus.Message({
      destination: opts.destination ?? BROKER_BUS_NAME,
      path: opts.path ?? BROKER_OBJECT_PATH,
      interface: opts.iface === undefined ? BROKER_INTERFACE : (opts.iface ?? undefined),
      member,
      signature: opts.signature ?? "sss",
      body,
    }),
  );
  const text = reply.body[0];
  return opts.raw ? text : JSON.parse(text);
}

const jwtClaims = (token) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));

function authParameters(tenant, extra = {}) {
  return {
    accessTokenToRenew: "",
    account: null,
    additionalQueryParametersForAuthorization: {},
    authority: `https://127.0.0.1/${tenant}`, // as MSALRuntime sends it: no port
    authorizationType: 6,
    clientId: CLIENT_ID,
    decodedClaims: "",
    redirectUri: NATIVE_CLIENT,
    requestedScopes: [GRAPH],
    username: "",
    uxContextHandle: -1,
    ...extra,
  };
}

function assertTokenError(reply, status) {
  assert.deepEqual(Object.keys(reply).sort(), ["brokerTokenResponse", "telemetry"]);
  assert.equal(reply.brokerTokenResponse.subError, "");
  const error = reply.brokerTokenResponse.error;
  assert.deepEqual(Object.keys(error).sort(), ["context", "diagnostics", "errorCode", "status", "subStatus", "tag"]);
  assert.equal(error.status, status, JSON.stringify(error));
  assert.equal(error.diagnostics, null);
  assert.equal(typeof error.context, "string");
  assert.equal(reply.brokerTokenResponse.accessToken, undefined);
  return error;
}

function assertOtherError(reply, status) {
  assert.deepEqual(Object.keys(reply), ["error"]);
  assert.equal(reply.error.status, status, JSON.stringify(reply.error));
  assert.equal(typeof reply.error.context, "string");
  assert.equal(typeof reply.error.subStatus, "number");
  return reply.error;
}

describe("stand-in broker (in process)", () => {
  let bus;
  let authority;
  let broker;
  let client;
  let ada;
  let grace;
  let tenant;

  before(async () => {
    bus = await startPrivateBus();
    authority = await startTestAuthority();
    ada = authority.users.find((u) => u.username === "ada@contoso.example");
    grace = authority.users.find((u) => u.username === "grace@contoso.example");
    assert.ok(ada && grace, "the authority has Ada and Grace");
    tenant = ada.homeTenantId ?? "organizations";
    broker = await StandInBroker.start({
      busAddress: bus.address,
      authority: { url: authority.url, ca: authority.ca },
      user: { username: ada.username, password: ada.password },
      users: [{ username: grace.username, password: grace.password }],
    });
    client = dbus.sessionBus({ busAddress: bus.address });
  });

  after(async () => {
    client?.disconnect();
    await broker?.stop();
    await authority?.stop();
    await bus?.stop();
  });

  test("owns the name and answers getLinuxBrokerVersion", async () => {
    const reply = await call(client, "getLinuxBrokerVersion", { msalCppVersion: "1.28.0" });
    assert.deepEqual(reply, { linuxBrokerVersion: "2.0.4" });
  });

  test("getAccounts is empty before anyone signed in", async () => {
    assert.deepEqual(await call(client, "getAccounts", { clientId: CLIENT_ID, redirectUri: CLIENT_ID }), { accounts: [] });
  });

  test("default-account silent sign-in with no account held answers status 2", async () => {
    const reply = await call(client, "acquireTokenSilently", {
      authParameters: authParameters(tenant, { authorizationType: 1, isSignIn: true }),
    });
    const error = assertTokenError(reply, 2);
    assert.equal(reply.telemetry.api_status_code, "StatusInternal::InteractionRequired");
    assert.equal(reply.telemetry.client_id, CLIENT_ID);
    assert.equal(typeof error.errorCode, "number");
  });

  let adaAccount;
  test("acquireTokenInteractively signs the scripted user in against the authority", async () => {
    const before = authority.counters.tokenByGrant?.password ?? 0;
    const t0 = Date.now();
    const reply = await call(client, "acquireTokenInteractively", {
      authParameters: authParameters(tenant, { isSignIn: true }),
      parentWindowHandle: 1,
    });
    const r = reply.brokerTokenResponse;
    assert.ok(r && !r.error, JSON.stringify(reply));
    assert.equal((authority.counters.tokenByGrant?.password ?? 0) - before, 1, "one ROPC request");
    assert.equal(r.accessTokenType, 0);
    const access = jwtClaims(r.accessToken);
    const id = jwtClaims(r.idToken);
    assert.equal(id.preferred_username, ada.username);
    assert.equal(access.oid, id.oid);
    // expiresOn is in milliseconds since the epoch
    assert.ok(r.expiresOn > t0 + 60_000 && r.expiresOn < t0 + 48 * 3600_000, `expiresOn ${r.expiresOn}`);
    assert.ok(r.extendedExpiresOn >= r.expiresOn);
    assert.equal(typeof r.grantedScopes, "string");
    assert.ok(
      r.grantedScopes.split(" ").some((s) => s.startsWith("https://graph.microsoft.com")),
      r.grantedScopes,
    );
    const clientInfo = JSON.parse(Buffer.from(r.clientInfo, "base64url").toString("utf8"));
    assert.equal(`${clientInfo.uid}.${clientInfo.utid}`, r.account.homeAccountId);
    assert.deepEqual(Object.keys(r.account).sort(), ACCOUNT_KEYS);
    assert.equal(r.account.username, ada.username);
    assert.equal(r.account.localAccountId, id.oid);
    assert.equal(r.account.realm, id.tid);
    assert.equal(r.account.homeAccountId, `${id.oid}.${id.tid}`);
    assert.equal(r.account.environment, "127.0.0.1");
    assert.equal(r.account.passwordExpiry, 0);
    assert.equal(r.account.givenName, "Ada");
    assert.equal(r.account.familyName, "Lovelace");
    assert.equal(r.account.name, "Ada Lovelace");
    if (ada.homeTenantId) assert.equal(id.tid, ada.homeTenantId);
    adaAccount = r.account;
  });

  test("getAccounts lists the account in the broker's shape", async () => {
    const { accounts } = await call(client, "getAccounts", { clientId: CLIENT_ID, redirectUri: CLIENT_ID });
    assert.equal(accounts.length, 1);
    const [a] = accounts;
    for (const key of [
      "environment",
      "givenName",
      "homeAccountId",
      "localAccountId",
      "name",
      "realm",
      "username",
      "familyName",
      "clientInfo",
    ]) {
      assert.equal(typeof a[key], "string", key);
      assert.ok(a[key].length > 0, key);
    }
    assert.equal(typeof a.passwordExpiry, "number");
    assert.match(a.realm, UUID);
    assert.deepEqual(a, adaAccount);
    assert.deepEqual(broker.accounts, accounts);
  });

  test("acquireTokenSilently for a held account redeems the broker's refresh token", async () => {
    const before = authority.counters.tokenByGrant?.refresh_token ?? 0;
    const reply = await call(client, "acquireTokenSilently", {
      authParameters: authParameters(tenant, {
        authorizationType: 1,
        account: { ...adaAccount, homeEnvironment: "" },
        username: adaAccount.username,
        requestedScopes: ["https://graph.microsoft.com/Mail.Read"],
      }),
    });
    const r = reply.brokerTokenResponse;
    assert.ok(r && !r.error, JSON.stringify(reply));
    assert.equal((authority.counters.tokenByGrant?.refresh_token ?? 0) - before, 1);
    assert.match(String(jwtClaims(r.accessToken).scp), /Mail\.Read/);
    assert.equal(r.account.homeAccountId, adaAccount.homeAccountId);
  });

  test("default-account silent sign-in signs in the first held account", async () => {
    const reply = await call(client, "acquireTokenSilently", {
      authParameters: authParameters(tenant, { authorizationType: 1, isSignIn: true }),
    });
    assert.equal(reply.brokerTokenResponse.account?.homeAccountId, adaAccount.homeAccountId, JSON.stringify(reply));
  });

  test("the account may also sit at the root of the request (older clients)", async () => {
    const reply = await call(client, "acquireTokenSilently", {
      account: adaAccount,
      authParameters: authParameters(tenant, { authorizationType: 1, account: undefined }),
    });
    assert.equal(reply.brokerTokenResponse.account?.username, ada.username, JSON.stringify(reply));
  });

  test("silent for an account the broker does not hold answers status 2", async () => {
    const stranger = {
      ...adaAccount,
      homeAccountId: `${randomUUID()}.${randomUUID()}`,
      localAccountId: randomUUID(),
      username: "nobody@contoso.example",
    };
    const reply = await call(client, "acquireTokenSilently", {
      authParameters: authParameters(tenant, { authorizationType: 1, account: stranger, username: stranger.username }),
    });
    assertTokenError(reply, 2);
  });

  test("the login hint picks who signs in interactively", async () => {
    const reply = await call(client, "acquireTokenInteractively", {
      authParameters: authParameters(tenant, { username: grace.username }),
    });
    const r = reply.brokerTokenResponse;
    assert.ok(r && !r.error, JSON.stringify(reply));
    assert.equal(jwtClaims(r.idToken).preferred_username, grace.username);
    assert.equal(r.account.username, grace.username);
    const { accounts } = await call(client, "getAccounts", { clientId: CLIENT_ID });
    assert.deepEqual(accounts.map((a) => a.username).sort(), [ada.username, grace.username].sort());
  });

  test("removeAccount forgets the account", async () => {
    const graceAccount = broker.accounts.find((a) => a.username === grace.username);
    assert.deepEqual(await call(client, "removeAccount", { clientId: CLIENT_ID, account: graceAccount }), {});
    const { accounts } = await call(client, "getAccounts", { clientId: CLIENT_ID });
    assert.deepEqual(
      accounts.map((a) => a.username),
      [ada.username],
    );
    const reply = await call(client, "acquireTokenSilently", {
      authParameters: authParameters(tenant, { authorizationType: 1, account: graceAccount, username: grace.username }),
    });
    assertTokenError(reply, 2);
  });

  test("acquirePrtSsoCookie answers cookieItems for a held account, an error for others", async () => {
    const reply = await call(client, "acquirePrtSsoCookie", {
      account: adaAccount,
      authParameters: { ...authParameters(tenant), authorizationType: 8, ssoUrl: "https://login.microsoftonline.com/" },
      mamEnrollment: false,
      ssoUrl: "https://login.microsoftonline.com/",
    });
    assert.equal(reply.cookieItems?.[0]?.cookieName, "x-ms-RefreshTokenCredential", JSON.stringify(reply));
    assert.equal(reply.cookieItems[0].cookieContent.split(".").length, 3);
    assertOtherError(await call(client, "acquirePrtSsoCookie", { account: { homeAccountId: "x.y" }, ssoUrl: "https://a/" }), 2);
  });

  test("generateSignedHttpRequest answers a signed HTTP request verifiable with its cnf key", async () => {
    const reply = await call(client, "generateSignedHttpRequest", {
      clientId: CLIENT_ID,
      popParams: {
        authenticationScheme: "pop",
        uriHost: "graph.microsoft.com",
        httpMethod: "POST",
        nonce: "n0nce",
        homeAccountId: adaAccount.homeAccountId,
      },
    });
    const [h, p, sig] = reply.signedHttpRequest.split(".");
    const payload = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
    assert.equal(payload.m, "POST");
    assert.equal(payload.u, "graph.microsoft.com");
    assert.equal(payload.nonce, "n0nce");
    const key = createPublicKey({ key: payload.cnf.jwk, format: "jwk" });
    assert.ok(verify("sha256", Buffer.from(`${h}.${p}`), key, Buffer.from(sig, "base64url")));
    assertOtherError(await call(client, "generateSignedHttpRequest", { clientId: CLIENT_ID }), 6);
  });

  test("cancelInteractiveFlow answers {}", async () => {
    assert.deepEqual(await call(client, "cancelInteractiveFlow", {}), {});
  });

  describe("scripted replies", () => {
    for (const status of [2, 3, 4, 5, 6, 7, 9, 16]) {
      test(`status ${status} on acquireTokenInteractively, in the token-method shape`, async () => {
        broker.script("acquireTokenInteractively", {
          kind: "status",
          status,
          subStatus: 1,
          errorCode: 42,
          tag: 7,
          context: `ctx ${status}`,
        });
        const error = assertTokenError(await call(client, "acquireTokenInteractively", { authParameters: authParameters(tenant) }), status);
        assert.deepEqual(error, { context: `ctx ${status}`, diagnostics: null, errorCode: 42, status, subStatus: 1, tag: 7 });
      });
    }

    test("status on the other methods uses {error: {...}}", async () => {
      for (const method of [
        "getAccounts",
        "removeAccount",
        "getLinuxBrokerVersion",
        "acquirePrtSsoCookie",
        "generateSignedHttpRequest",
        "cancelInteractiveFlow",
      ]) {
        broker.script(method, { kind: "status", status: 9 });
        assertOtherError(await call(client, method, { clientId: CLIENT_ID }), 9);
      }
    });

    test("a script applies to the next `times` calls, then normal answers resume", async () => {
      broker.script("getLinuxBrokerVersion", { kind: "status", status: 5 }, 2);
      assertOtherError(await call(client, "getLinuxBrokerVersion", {}), 5);
      assertOtherError(await call(client, "getLinuxBrokerVersion", {}), 5);
      assert.deepEqual(await call(client, "getLinuxBrokerVersion", {}), { linuxBrokerVersion: "2.0.4" });
    });

    test("scripts queue per method, in order", async () => {
      broker.script("getAccounts", { kind: "status", status: 3 });
      broker.script("getAccounts", { kind: "malformed", body: "[1,2" });
      assertOtherError(await call(client, "getAccounts", {}), 3);
      assert.equal(await call(client, "getAccounts", {}, { raw: true }), "[1,2");
      assert.equal((await call(client, "getAccounts", {})).accounts.length, 1);
    });

    test("malformed: a non-JSON reply by default, or the given body", async () => {
      broker.script("acquireTokenSilently", { kind: "malformed" });
      const text = await call(client, "acquireTokenSilently", { authParameters: authParameters(tenant) }, { raw: true });
      assert.throws(() => JSON.parse(text));
      broker.script("acquireTokenSilently", { kind: "malformed", body: '{"brokerTokenResponse": 12}' });
      assert.deepEqual(await call(client, "acquireTokenSilently", { authParameters: authParameters(tenant) }), { brokerTokenResponse: 12 });
    });

    test("slow: the answer comes after the delay, and is the normal one", async () => {
      broker.script("getLinuxBrokerVersion", { kind: "slow", delayMs: 400 });
      const t0 = Date.now();
      assert.deepEqual(await call(client, "getLinuxBrokerVersion", {}), { linuxBrokerVersion: "2.0.4" });
      assert.ok(Date.now() - t0 >= 380, `answered after ${Date.now() - t0} ms`);
    });

    test("slow interactive + cancelInteractiveFlow ends the interactive call with status 7", async () => {
      broker.script("acquireTokenInteractively", { kind: "slow", delayMs: 20_000 });
      const t0 = Date.now();
      const pending = call(client, "acquireTokenInteractively", { authParameters: authParameters(tenant) });
      await new Promise((r) => setTimeout(r, 200));
      const other = dbus.sessionBus({ busAddress: bus.address }); // a second client cancels
      try {
        assert.deepEqual(await call(other, "cancelInteractiveFlow", {}), {});
      } finally {
        other.disconnect();
      }
      assertTokenError(await pending, 7);
      assert.ok(Date.now() - t0 < 5000, "cancelled promptly");
    });

    test("the broker still answers normally after all of that", async () => {
      const reply = await call(client, "acquireTokenSilently", {
        authParameters: authParameters(tenant, { authorizationType: 1, account: adaAccount, username: ada.username }),
      });
      assert.ok(reply.brokerTokenResponse.accessToken, JSON.stringify(reply));
    });
  });

  describe("argument validation (in-band, status 6)", () => {
    test("protocol version other than 0.0", async () => {
      assertOtherError(await call(client, "getAccounts", { clientId: CLIENT_ID }, { protocol: "1.0" }), 6);
      assertTokenError(await call(client, "acquireTokenSilently", { authParameters: authParameters(tenant) }, { protocol: "" }), 6);
    });

    test("correlation id that is not a UUID", async () => {
      assertOtherError(await call(client, "getAccounts", {}, { correlationId: "not-a-uuid" }), 6);
      assertOtherError(await call(client, "getLinuxBrokerVersion", {}, { correlationId: "" }), 6);
    });

    test("request that is not JSON, or not an object", async () => {
      assertOtherError(await call(client, "getAccounts", "{not json"), 6);
      assertOtherError(await call(client, "getAccounts", "[1,2]"), 6);
      assertTokenError(await call(client, "acquireTokenInteractively", "null"), 6);
    });

    test("token requests without authParameters, clientId or requestedScopes[]", async () => {
      assertTokenError(await call(client, "acquireTokenInteractively", {}), 6);
      assertTokenError(await call(client, "acquireTokenInteractively", { authParameters: authParameters(tenant, { clientId: "" }) }), 6);
      assertTokenError(
        await call(client, "acquireTokenSilently", { authParameters: authParameters(tenant, { requestedScopes: "User.Read" }) }),
        6,
      );
      assertTokenError(await call(client, "acquireTokenSilently", { authParameters: authParameters(tenant, { requestedScopes: [1] }) }), 6);
    });

    test("every call is recorded, bad ones included", async () => {
      const correlationId = randomUUID();
      await call(client, "getAccounts", "{oops", { correlationId });
      const last = broker.calls.at(-1);
      assert.deepEqual(
        { method: last.method, protocol: last.protocol, correlationId: last.correlationId, request: last.request },
        { method: "getAccounts", protocol: "0.0", correlationId, request: "{oops" },
      );
      assert.equal(typeof last.at, "number");
      await call(client, "getAccounts", { clientId: "x" });
      assert.deepEqual(broker.calls.at(-1).request, { clientId: "x" });
    });
  });

  describe("D-Bus level", () => {
    const dbusError = async (promise) => {
      try {
        await promise;
      } catch (e) {
        return e.type;
      }
      assert.fail("expected a D-Bus error");
    };

    test("an unknown method is UnknownMethod", async () => {
      assert.equal(await dbusError(call(client, "acquireTokenByMagic", {})), "org.freedesktop.DBus.Error.UnknownMethod");
    });

    test("a broker method on another interface is UnknownMethod", async () => {
      assert.equal(
        await dbusError(call(client, "getAccounts", {}, { iface: "com.microsoft.identity.broker1" })),
        "org.freedesktop.DBus.Error.UnknownMethod",
      );
    });

    test("a call without an interface field is dispatched by member name", async () => {
      assert.deepEqual(await call(client, "getLinuxBrokerVersion", {}, { iface: null }), { linuxBrokerVersion: "2.0.4" });
    });

    test("a wrong signature is InvalidArgs", async () => {
      assert.equal(
        await dbusError(call(client, "getAccounts", null, { signature: "ss", body: ["0.0", randomUUID()] })),
        "org.freedesktop.DBus.Error.InvalidArgs",
      );
      assert.equal(
        await dbusError(call(client, "getAccounts", null, { signature: "i", body: [1] })),
        "org.freedesktop.DBus.Error.InvalidArgs",
      );
    });

    test("introspection (optional) lists the 8 methods, and Peer.Ping answers", async () => {
      const reply = await client.call(
        new dbus.Message({
          destination: BROKER_BUS_NAME,
          path: BROKER_OBJECT_PATH,
          interface: "org.freedesktop.DBus.Introspectable",
          member: "Introspect",
        }),
      );
      for (const m of BROKER_METHODS) assert.match(reply.body[0], new RegExp(`<method name="${m}">`));
      assert.equal(BROKER_METHODS.length, 8);
      await client.call(
        new dbus.Message({
          destination: BROKER_BUS_NAME,
          path: BROKER_OBJECT_PATH,
          interface: "org.freedesktop.DBus.Peer",
          member: "Ping",
        }),
      );
    });
  });
});

describe("stand-in broker options and authority errors", () => {
  let bus;
  let fake;
  let client;
  let broker;
  let adaAccount;
  const ada = { username: "ada@contoso.example", password: "ada-password" };

  before(async () => {
    bus = await startPrivateBus();
    fake = await startFakeAuthority(); // records what reached it; scripts its failures
    broker = await StandInBroker.start({
      busAddress: bus.address,
      authority: { url: fake.url, ca: fake.ca },
      user: ada,
      version: "3.0.2",
      accountShape: "withoutAccount",
      grantedScopesAs: "array",
      unknownAccountStatus: 16,
    });
    client = dbus.sessionBus({ busAddress: bus.address });
  });

  after(async () => {
    client?.disconnect();
    await broker?.stop();
    await fake?.stop();
    await bus?.stop();
  });

  test("version, account shape and grantedScopes as configured", async () => {
    assert.deepEqual(await call(client, "getLinuxBrokerVersion", {}), { linuxBrokerVersion: "3.0.2" });
    const reply = await call(client, "acquireTokenInteractively", {
      authParameters: authParameters("organizations", { requestedScopes: ["https://graph.microsoft.com/User.Read"] }),
    });
    const r = reply.brokerTokenResponse;
    assert.ok(r.accessToken, JSON.stringify(reply));
    assert.equal("account" in r, false);
    assert.ok(Array.isArray(r.grantedScopes));
    assert.ok(r.grantedScopes.includes("https://graph.microsoft.com/User.Read"));
    adaAccount = broker.accounts[0];
    assert.equal(adaAccount.username, ada.username);
  });

  test("the request's authority (no port) is mapped onto the configured one, tenant kept", async () => {
    const n = fake.requests.length;
    await call(client, "acquireTokenInteractively", { authParameters: authParameters("fabrikam.example") });
    const req = fake.requests.at(-1);
    assert.equal(fake.requests.length, n + 1);
    assert.equal(req.tenant, "fabrikam.example");
    assert.equal(req.form.grant_type, "password");
    assert.equal(req.form.username, ada.username);
    assert.equal(req.form.client_id, CLIENT_ID);
    assert.deepEqual(req.form.scope.split(" ").sort(), [GRAPH, "offline_access", "openid", "profile"].sort());
  });

  test("decodedClaims is passed to the authority as the claims parameter", async () => {
    const claims = JSON.stringify({ access_token: { acrs: { essential: true, value: "c1" } } });
    await call(client, "acquireTokenInteractively", { authParameters: authParameters("organizations", { decodedClaims: claims }) });
    assert.equal(fake.requests.at(-1).form.claims, claims);
    await call(client, "acquireTokenSilently", {
      authParameters: authParameters("organizations", { authorizationType: 1, account: adaAccount, decodedClaims: claims }),
    });
    assert.equal(fake.requests.at(-1).form.grant_type, "refresh_token");
    assert.equal(fake.requests.at(-1).form.claims, claims);
  });

  test("script() refuses what is not a scripted reply", () => {
    assert.throws(() => broker.script("getAccounts", { kind: "explode" }), TypeError);
    assert.throws(() => broker.script("getAccounts", { kind: "status" }), TypeError);
    assert.throws(() => broker.script("getAccounts", { kind: "exit" }, 0), RangeError);
  });

  test("acquirePrtSsoCookie answers the > 2.0.1 shape (cookieItems) for 3.0.2, the old one for 2.0.1", async () => {
    const request = { account: adaAccount, ssoUrl: "https://login.microsoftonline.com/" };
    const modern = await call(client, "acquirePrtSsoCookie", request);
    assert.equal(modern.cookieItems?.[0]?.cookieName, "x-ms-RefreshTokenCredential", JSON.stringify(modern));
    const b2 = await startPrivateBus();
    const old = await StandInBroker.start({
      busAddress: b2.address,
      authority: { url: fake.url, ca: fake.ca },
      user: ada,
      version: "2.0.1",
    });
    const c2 = dbus.sessionBus({ busAddress: b2.address });
    try {
      const signedIn = await call(c2, "acquireTokenInteractively", { authParameters: authParameters("organizations") });
      const legacy = await call(c2, "acquirePrtSsoCookie", { account: signedIn.brokerTokenResponse.account, ssoUrl: "https://a/" });
      assert.equal(legacy.cookieName, "x-ms-RefreshTokenCredential", JSON.stringify(legacy));
      assert.equal(legacy.account.username, ada.username);
      assert.equal(legacy.cookieItems, undefined);
    } finally {
      c2.disconnect();
      await old.stop();
      await b2.stop();
    }
  });

  test("an unknown account answers the configured status (16)", async () => {
    const unknown = { homeAccountId: "a.b", username: "x@y", environment: "login.microsoftonline.com", realm: "b", localAccountId: "a" };
    const reply = await call(client, "acquireTokenSilently", {
      authParameters: authParameters("organizations", {
        authorizationType: 1,
        account: { ...unknown, givenName: "", name: "", passwordExpiry: 0 },
      }),
    });
    assertTokenError(reply, 16);
  });

  test("an account without the fields Microsoft's broker requires is refused (ApiContractViolation, 6)", async () => {
    const reply = await call(client, "acquireTokenSilently", {
      authParameters: authParameters("organizations", { authorizationType: 1, account: { homeAccountId: "a.b", username: "x@y" } }),
    });
    assertTokenError(reply, 6);
  });

  for (const [label, failure, status] of [
    [
      "invalid_grant",
      {
        status: 400,
        body: { error: "invalid_grant", error_description: "AADSTS700082: expired", error_codes: [700082], suberror: "token_expired" },
      },
      2,
    ],
    ["interaction_required", { status: 400, body: { error: "interaction_required", error_codes: [50076] } }, 2],
    ["invalid_client", { status: 401, body: { error: "invalid_client", error_codes: [7000215] } }, 9],
    ["503", { status: 503, body: { error: "temporarily_unavailable" } }, 5],
    ["a non-JSON 502", { status: 502, body: "<html>" }, 5],
  ]) {
    test(`an authority ${label} answer becomes broker status ${status}`, async () => {
      fake.failNext(failure);
      const reply = await call(client, "acquireTokenSilently", {
        authParameters: authParameters("organizations", { authorizationType: 1, account: adaAccount }),
      });
      const error = assertTokenError(reply, status);
      if (failure.body.error_codes) assert.equal(error.errorCode, failure.body.error_codes[0]);
      if (failure.body.error) assert.match(error.context, new RegExp(failure.body.error));
    });
  }

  test("an unreachable authority is status 3 (no network)", async () => {
    const port = new URL(fake.url).port;
    const b2 = await startPrivateBus();
    const lonely = await StandInBroker.start({ busAddress: b2.address, authority: { url: `https://127.0.0.1:1`, ca: fake.ca }, user: ada });
    const c2 = dbus.sessionBus({ busAddress: b2.address });
    try {
      assert.notEqual(port, "1");
      assertTokenError(await call(c2, "acquireTokenInteractively", { authParameters: authParameters("organizations") }), 3);
    } finally {
      c2.disconnect();
      await lonely.stop();
      await b2.stop();
    }
  });

  test("an authority whose certificate the given CA does not vouch for is refused (no global TLS switch)", async () => {
    const other = await startFakeAuthority();
    const b2 = await startPrivateBus();
    const wrongCa = await StandInBroker.start({ busAddress: b2.address, authority: { url: other.url, ca: fake.ca }, user: ada });
    const c2 = dbus.sessionBus({ busAddress: b2.address });
    try {
      const n = other.requests.length;
      const error = assertTokenError(await call(c2, "acquireTokenInteractively", { authParameters: authParameters("organizations") }), 3);
      assert.match(error.context, /certificate|self.signed|CERT/i);
      assert.equal(other.requests.length, n, "nothing was sent");
    } finally {
      c2.disconnect();
      await wrongCa.stop();
      await b2.stop();
      await other.stop();
    }
  });

  test("an interactive call with nobody to sign in is cancelled (status 7)", async () => {
    const b2 = await startPrivateBus();
    const nobody = await StandInBroker.start({ busAddress: b2.address, authority: { url: fake.url, ca: fake.ca } });
    const c2 = dbus.sessionBus({ busAddress: b2.address });
    try {
      assertTokenError(await call(c2, "acquireTokenInteractively", { authParameters: authParameters("organizations") }), 7);
    } finally {
      c2.disconnect();
      await nobody.stop();
      await b2.stop();
    }
  });

  test("a second stand-in cannot take a name that is owned", async () => {
    await assert.rejects(StandInBroker.start({ busAddress: bus.address, authority: { url: fake.url, ca: fake.ca } }), /already owned/);
  });

  test("an in-process scripted exit leaves the bus without replying: NoReply", async () => {
    const b2 = await startPrivateBus();
    const leaving = await StandInBroker.start({ busAddress: b2.address, authority: { url: fake.url, ca: fake.ca }, user: ada });
    const c2 = dbus.sessionBus({ busAddress: b2.address });
    try {
      leaving.script("getAccounts", { kind: "exit" });
      await assert.rejects(call(c2, "getAccounts", {}), (e) => e.type === "org.freedesktop.DBus.Error.NoReply");
      await leaving.whenStopped();
      assert.equal(leaving.isStopped, true);
      await assert.rejects(call(c2, "getAccounts", {}), (e) => e.type === "org.freedesktop.DBus.Error.ServiceUnknown");
    } finally {
      c2.disconnect();
      await leaving.stop();
      await b2.stop();
    }
  });
});
