// Our own client end to end: InteractiveBrowserBrokerCredential -> msal-node -> our plugin -> our
// addon -> a private D-Bus session bus -> the stand-in identity broker -> the dev authority.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { brokerCredential } from "../helpers/brokerCredential.mjs";
import { startBrokerWorld, startPrivateBus } from "../helpers/privateBus.mjs";
import {
  InteractiveBrowserCredential,
  AuthenticationError,
  AuthenticationRequiredError,
  brokerStatus,
  serializeAuthenticationRecord,
  deserializeAuthenticationRecord,
} from "entra-broker";
import { StandInBroker } from "entra-broker-devtools/stand-in-broker";
import { decodeJwt, httpBrowser } from "../helpers/signIn.mjs";
import { AzureLogger, setLogLevel } from "@azure/logger";
import { chromiumAvailable, launchChromium, signInWithChromium } from "../helpers/chromium.mjs";

const SCOPE = "https://graph.microsoft.com/.default";
let world;
let bus;
let authority;
let broker;
let user;
let tenant;

before(async () => {
  world = await startBrokerWorld();
  ({ bus, authority, broker } = world);
  user = authority.users[0];
  tenant = authority.tenants[0].tenantId;
});
after(() => world?.stop());
beforeEach(() => broker?.calls.splice(0));

const credential = (options = {}) => brokerCredential(authority, { parentWindowHandle: Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]), ...options });

test("signs in through the broker, then gets other scopes silently from it", async () => {
  const cred = credential();
  const record = await cred.authenticate(SCOPE);
  assert.equal(record.username, user.username);
  assert.ok(record.nativeAccountId, "the record keeps the broker's account id");
  const interactive = broker.calls.find((c) => c.method === "acquireTokenInteractively");
  assert.ok(interactive, "an interactive D-Bus call was made");
  assert.equal(interactive.protocol, "0.0");
  assert.match(interactive.correlationId, /^[0-9a-f-]{36}$/);
  assert.equal(interactive.request.authParameters.redirectUri, "https://login.microsoftonline.com/common/oauth2/nativeclient");
  const token = await cred.getToken("https://storage.azure.com/.default");
  assert.equal(decodeJwt(token.token).aud, "https://storage.azure.com");
  assert.ok(broker.calls.some((c) => c.method === "acquireTokenSilently"));
  assert.deepEqual(brokerStatus().broker, "linux-dbus");
  assert.equal(brokerStatus().available, true);
});

test("a restored record reaches the same broker account silently", async () => {
  const record = await credential().authenticate(SCOPE);
  const restored = deserializeAuthenticationRecord(serializeAuthenticationRecord(record));
  broker.calls.splice(0);
  const cred = credential({ authenticationRecord: restored, disableAutomaticAuthentication: true });
  const token = await cred.getToken("https://storage.azure.com/.default");
  assert.equal(decodeJwt(token.token).oid, restored.homeAccountId.split(".")[0]);
  assert.ok(!broker.calls.some((c) => c.method === "acquireTokenInteractively"));
  // One native round trip: the token call finds the account itself, from what the record keeps.
  const brokerCalls = broker.calls.filter((c) => c.method !== "getLinuxBrokerVersion").map((c) => c.method);
  assert.deepEqual(brokerCalls, ["acquireTokenSilently"], "no getAccounts before the token");
  assert.equal(
    broker.calls.find((c) => c.method === "acquireTokenSilently").request.authParameters.account.homeAccountId,
    restored.nativeAccountId,
  );
});

test("useDefaultBrokerAccount signs the broker's account in without a prompt", async () => {
  await credential().authenticate(SCOPE);
  broker.calls.splice(0);
  const cred = credential({ useDefaultBrokerAccount: true, disableAutomaticAuthentication: true });
  const token = await cred.getToken(SCOPE);
  assert.ok(token.token);
  assert.ok(!broker.calls.some((c) => c.method === "acquireTokenInteractively"));
});

test("each broker status on a sign-in surfaces as a typed error with the broker's reply as cause", async () => {
  const cases = [
    [{ kind: "status", status: 3 }, "no_network_connectivity"],
    [{ kind: "status", status: 4 }, "no_network_connectivity"],
    [{ kind: "status", status: 5 }, "server_unavailable"],
    [{ kind: "status", status: 7 }, "user_canceled"],
    [{ kind: "status", status: 8 }, "user_canceled"],
    [{ kind: "status", status: 11 }, "untrusted_authority"],
    [{ kind: "status", status: 6 }, "platform_broker_error"],
    [{ kind: "malformed" }, "broker_bad_reply"],
  ];
  for (const [reply, expected] of cases) {
    broker.script("acquireTokenInteractively", reply);
    await assert.rejects(credential().getToken(SCOPE), (e) => {
      assert.ok(e instanceof AuthenticationError, `${JSON.stringify(reply)}: ${e?.name}: ${e?.message}`);
      assert.equal(e.errorResponse.error, expected, JSON.stringify(reply));
      assert.ok(e.cause, "the broker's failure is kept as cause");
      return true;
    });
  }
});

test("statuses meaning 'sign in again' on a silent call are AuthenticationRequiredError when interaction is not allowed", async () => {
  const record = await credential().authenticate(SCOPE);
  for (const status of [2, 13, 16]) {
    broker.script("acquireTokenSilently", { kind: "status", status });
    const cred = credential({ authenticationRecord: record, disableAutomaticAuthentication: true });
    await assert.rejects(
      cred.getToken("https://storage.azure.com/.default"),
      (e) => e instanceof AuthenticationRequiredError && !!e.cause,
      `status ${status}`,
    );
  }
});

test("abort and timeout reach the D-Bus call and cancel the broker's flow", async () => {
  broker.script("acquireTokenInteractively", { kind: "slow", delayMs: 20_000 });
  const controller = new AbortController();
  const started = Date.now();
  const pending = credential().getToken(SCOPE, { abortSignal: controller.signal });
  setTimeout(() => controller.abort(), 300);
  await assert.rejects(pending, { name: "AbortError" });
  assert.ok(Date.now() - started < 5_000);
  // The broker's cancel ends every pending interactive flow: let the abort's cancel arrive before the next flow starts.
  const cancels = () => broker.calls.filter((c) => c.method === "cancelInteractiveFlow").length;
  for (let i = 0; i < 50 && cancels() === 0; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(cancels(), 1, "the abort told the broker to cancel");
  broker.script("acquireTokenInteractively", { kind: "slow", delayMs: 20_000 });
  await assert.rejects(
    credential({ timeout: 500 }).getToken(SCOPE),
    (e) => e instanceof AuthenticationError && e.errorResponse.error === "timed_out",
  );
  for (let i = 0; i < 50 && cancels() === 1; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(cancels(), 2, "the timeout told the broker to cancel");
});

test("InteractiveBrowserCredential with brokerOptions uses the broker", async () => {
  const cred = new InteractiveBrowserCredential({
    authorityHost: authority.url,
    authorityCa: authority.ca,
    tenantId: tenant,
    brokerOptions: { enabled: true, parentWindowHandle: Buffer.alloc(8) },
  });
  assert.ok((await cred.getToken(SCOPE)).token);
  assert.ok(broker.calls.some((c) => c.method.startsWith("acquireToken")));
});

test("no broker on the bus: the browser fallback, signed in by headless Chromium on the real page", async () => {
  assert.ok(chromiumAvailable(), "Debian chromium is not installed (scripts/setup.sh installs it)");
  const empty = await startPrivateBus();
  process.env.DBUS_SESSION_BUS_ADDRESS = empty.address;
  const browser = await launchChromium({ ca: authority.ca });
  try {
    const opened = [];
    const cred = credential({
      openBrowser: async (url) => {
        opened.push(url);
        await signInWithChromium(browser, url, user);
      },
    });
    const token = await cred.getToken(SCOPE);
    assert.equal(decodeJwt(token.token).preferred_username, user.username);
    assert.equal(opened.length, 1, "signed in through the browser");
    assert.equal(brokerStatus().available, false);
  } finally {
    await browser.close();
    process.env.DBUS_SESSION_BUS_ADDRESS = bus.address;
    await empty.stop();
  }
});

test("no broker on the bus: the browser fallback", async () => {
  const empty = await startPrivateBus();
  process.env.DBUS_SESSION_BUS_ADDRESS = empty.address;
  try {
    const open = httpBrowser(authority, user);
    const cred = credential({ openBrowser: open });
    const token = await cred.getToken(SCOPE);
    assert.ok(token.token);
    assert.equal(open.opened.length, 1, "signed in through the browser");
    assert.equal(brokerStatus().available, false);
  } finally {
    process.env.DBUS_SESSION_BUS_ADDRESS = bus.address;
    await empty.stop();
  }
});

test("a bad window handle is a typed error", () => {
  assert.throws(() => credential({ parentWindowHandle: Buffer.alloc(3) }), { code: "INVALID_WINDOW_HANDLE" });
  assert.throws(() => credential({ parentWindowHandle: -1 }), { code: "INVALID_WINDOW_HANDLE" });
});

test("enableMsaPassthrough (and brokerOptions.legacyEnableMsaPassthrough) reaches the broker as consumer_passthrough", async () => {
  await credential({ enableMsaPassthrough: true }).getToken(SCOPE);
  const viaBroker = broker.calls.find((c) => c.method === "acquireTokenInteractively");
  assert.equal(viaBroker.request.authParameters.additionalQueryParametersForAuthorization.msal_request_type, "consumer_passthrough");
  broker.calls.splice(0);
  await new InteractiveBrowserCredential({
    authorityHost: authority.url,
    authorityCa: authority.ca,
    tenantId: tenant,
    brokerOptions: { enabled: true, parentWindowHandle: Buffer.alloc(8), legacyEnableMsaPassthrough: true },
  }).getToken(SCOPE);
  const viaOptions = broker.calls.find((c) => c.method === "acquireTokenInteractively");
  assert.equal(viaOptions.request.authParameters.additionalQueryParametersForAuthorization.msal_request_type, "consumer_passthrough");
  broker.calls.splice(0);
  await credential().getToken(SCOPE);
  const without = broker.calls.find((c) => c.method === "acquireTokenInteractively");
  assert.equal(without.request.authParameters.additionalQueryParametersForAuthorization.msal_request_type, undefined);
});

test("a broker that answers the availability probe with garbage is an error, not a silent switch to the browser", async () => {
  broker.script("getLinuxBrokerVersion", { kind: "malformed" });
  await assert.rejects(
    credential().getToken(SCOPE),
    (e) => e instanceof AuthenticationError && e.errorResponse.error === "broker_bad_reply" && e.cause?.code === "BROKER_BAD_REPLY",
  );
  const status = brokerStatus();
  assert.equal(status.available, false, "brokerStatus() reports the failed probe");
  assert.match(status.reason ?? "", /not JSON/);
  // The failed probe is not remembered: the next call asks again and uses the broker.
  assert.ok((await credential().getToken(SCOPE)).token);
  assert.equal(brokerStatus().available, true);
});

test("no broker on the bus: the reason is logged at info and brokerStatus() gives the same reason", async () => {
  const empty = await startPrivateBus();
  process.env.DBUS_SESSION_BUS_ADDRESS = empty.address;
  const lines = [];
  const original = AzureLogger.log;
  setLogLevel("info");
  AzureLogger.log = (...args) => lines.push(args.join(" "));
  try {
    await credential({ openBrowser: httpBrowser(authority, user) }).getToken(SCOPE);
    const status = brokerStatus();
    assert.equal(status.available, false);
    assert.match(status.reason, /com\.microsoft\.identity\.broker1/);
    const logged = lines.find((l) => l.includes("No OS broker"));
    assert.ok(logged, `the fallback is logged: ${lines.join("\n")}`);
    assert.ok(logged.includes(status.reason), `logged: ${logged}\nstatus: ${status.reason}`);
  } finally {
    AzureLogger.log = original;
    setLogLevel();
    process.env.DBUS_SESSION_BUS_ADDRESS = bus.address;
    await empty.stop();
  }
});

test("the broker 3.x reply shape (no account, grantedScopes as an array) signs in, keeps the account id, and stays silent", async () => {
  const other = await startPrivateBus();
  const shaped = await StandInBroker.start({
    busAddress: other.address,
    authority: { url: authority.url, ca: authority.ca },
    user,
    version: "3.0.2",
    accountShape: "withoutAccount",
    grantedScopesAs: "array",
  });
  process.env.DBUS_SESSION_BUS_ADDRESS = other.address;
  try {
    const cred = credential();
    const record = await cred.authenticate(SCOPE);
    const reply = shaped.calls.find((c) => c.method === "acquireTokenInteractively");
    assert.ok(reply, "signed in through the broker");
    const claims = decodeJwt((await cred.getToken(SCOPE)).token);
    assert.equal(record.username, user.username);
    assert.equal(record.homeAccountId, `${claims.oid}.${claims.tid}`);
    assert.equal(record.nativeAccountId, shaped.accounts[0].homeAccountId, "the broker's own id for the account");
    const token = await credential({ authenticationRecord: record, disableAutomaticAuthentication: true }).getToken(
      "https://storage.azure.com/.default",
    );
    assert.equal(decodeJwt(token.token).aud, "https://storage.azure.com");
    assert.ok(shaped.calls.some((c) => c.method === "acquireTokenSilently"));
  } finally {
    process.env.DBUS_SESSION_BUS_ADDRESS = bus.address;
    await shaped.stop();
    await other.stop();
  }
});

test("a redirectUri option replaces the Linux default in the broker's requests", async () => {
  const redirectUri = "https://login.microsoftonline.com/common/oauth2/nativeclient?app=custom";
  const cred = credential({ redirectUri });
  await cred.getToken(SCOPE);
  await cred.getToken("https://storage.azure.com/.default");
  const tokenCalls = broker.calls.filter((c) => c.method.startsWith("acquireToken"));
  assert.ok(
    tokenCalls.some((c) => c.method === "acquireTokenSilently"),
    "a silent call was made too",
  );
  for (const c of tokenCalls) assert.equal(c.request.authParameters.redirectUri, redirectUri, c.method);
});

test("claims reach the broker as decodedClaims, on the sign-in and on a later silent call", async () => {
  const claims = JSON.stringify({ access_token: { acrs: { essential: true, value: "c1" } } });
  const cred = credential();
  await cred.getToken(SCOPE, { claims });
  const interactive = broker.calls.find((c) => c.method === "acquireTokenInteractively");
  assert.equal(interactive.request.authParameters.decodedClaims, claims);
  broker.calls.splice(0);
  await cred.getToken("https://storage.azure.com/.default", { claims });
  const silent = broker.calls.find((c) => c.method === "acquireTokenSilently");
  assert.ok(silent, "the second call is silent");
  assert.equal(silent.request.authParameters.decodedClaims, claims);
});

test("loginHint reaches the broker's interactive request as its username", async () => {
  await credential({ loginHint: user.username }).getToken(SCOPE);
  const interactive = broker.calls.find((c) => c.method === "acquireTokenInteractively");
  assert.equal(interactive.request.authParameters.username, user.username);
});

test("a restored record whose account the broker no longer holds signs in again through the broker's picker", async () => {
  const record = await credential().authenticate(SCOPE);
  // A broker that has forgotten every account, as after the user removed theirs from the OS.
  const other = await startPrivateBus();
  const forgetful = await StandInBroker.start({ busAddress: other.address, authority: { url: authority.url, ca: authority.ca }, user });
  process.env.DBUS_SESSION_BUS_ADDRESS = other.address;
  try {
    const token = await credential({ authenticationRecord: record }).getToken("https://storage.azure.com/.default");
    assert.equal(decodeJwt(token.token).preferred_username, user.username);
    const interactive = forgetful.calls.find((c) => c.method === "acquireTokenInteractively");
    assert.ok(interactive, "the user was asked again, through the broker");
    assert.equal(interactive.request.authParameters.account ?? null, null, "with the picker, not the forgotten account");
  } finally {
    process.env.DBUS_SESSION_BUS_ADDRESS = bus.address;
    await forgetful.stop();
    await other.stop();
  }
});

test("authenticate() honours abort while the broker's availability probe is still waiting", async () => {
  broker.script("getLinuxBrokerVersion", { kind: "slow", delayMs: 8_000 });
  const controller = new AbortController();
  const started = Date.now();
  const pending = credential().authenticate(SCOPE, { abortSignal: controller.signal });
  setTimeout(() => controller.abort(), 300);
  await assert.rejects(pending, { name: "AbortError" });
  assert.ok(Date.now() - started < 4_000, `ended after ${Date.now() - started} ms`);
});
