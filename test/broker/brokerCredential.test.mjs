// Our own client end to end: InteractiveBrowserBrokerCredential -> msal-node -> our plugin -> our
// addon -> a private D-Bus session bus -> the stand-in identity broker -> the dev authority.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { startPrivateBus, startTestAuthority } from "../helpers/privateBus.mjs";
import { InteractiveBrowserBrokerCredential, InteractiveBrowserCredential, AuthenticationError, brokerStatus, serializeAuthenticationRecord, deserializeAuthenticationRecord } from "entra-broker";
import { StandInBroker } from "../../dist/standInBroker/index.js";
import { loadNativeBroker } from "../../dist/broker/native.js";
import { decodeJwt, httpBrowser } from "../helpers/signIn.mjs";

const SCOPE = "https://graph.microsoft.com/.default";
const load = loadNativeBroker();
let bus;
let authority;
let broker;
let user;
let tenant;
const savedBus = process.env.DBUS_SESSION_BUS_ADDRESS;

before(async () => {
  assert.ok(load.addon, `the native addon is not built (npm run build:native): ${load.error}`);
  bus = await startPrivateBus();
  authority = await startTestAuthority();
  user = authority.users[0];
  tenant = authority.tenants[0].tenantId;
  process.env.DBUS_SESSION_BUS_ADDRESS = bus.address;
  broker = await StandInBroker.start({ busAddress: bus.address, authority: { url: authority.url, ca: authority.ca }, user });
});
after(async () => {
  await broker?.stop();
  await authority?.stop();
  await bus?.stop();
  if (savedBus === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
  else process.env.DBUS_SESSION_BUS_ADDRESS = savedBus;
});
beforeEach(() => broker?.calls.splice(0));

function credential(options = {}) {
  return new InteractiveBrowserBrokerCredential({
    authorityHost: authority.url,
    authorityCa: authority.ca,
    tenantId: tenant,
    parentWindowHandle: Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]),
    openBrowser: async () => assert.fail("the browser must not open while a broker is here"),
    ...options,
  });
}

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
});

test("useDefaultBrokerAccount signs the broker's account in without a prompt", async () => {
  await credential().authenticate(SCOPE);
  broker.calls.splice(0);
  const cred = credential({ useDefaultBrokerAccount: true, disableAutomaticAuthentication: true });
  const token = await cred.getToken(SCOPE);
  assert.ok(token.token);
  assert.ok(!broker.calls.some((c) => c.method === "acquireTokenInteractively"));
});

test("broker statuses surface as typed errors", async () => {
  broker.script("acquireTokenInteractively", { kind: "status", status: 7 });
  await assert.rejects(credential().getToken(SCOPE), (e) => e instanceof AuthenticationError && e.errorResponse.error === "user_canceled" && !!e.cause);
  broker.script("acquireTokenInteractively", { kind: "status", status: 5 });
  await assert.rejects(credential().getToken(SCOPE), (e) => e instanceof AuthenticationError && e.errorResponse.error === "server_unavailable");
  broker.script("acquireTokenInteractively", { kind: "malformed" });
  await assert.rejects(credential().getToken(SCOPE), (e) => e instanceof AuthenticationError && e.errorResponse.error === "platform_broker_error");
});

test("abort and timeout reach the D-Bus call and cancel the broker's flow", async () => {
  broker.script("acquireTokenInteractively", { kind: "slow", delayMs: 20_000 });
  const controller = new AbortController();
  const started = Date.now();
  const pending = credential().getToken(SCOPE, { abortSignal: controller.signal });
  setTimeout(() => controller.abort(), 300);
  await assert.rejects(pending, { name: "AbortError" });
  assert.ok(Date.now() - started < 5_000);
  broker.script("acquireTokenInteractively", { kind: "slow", delayMs: 20_000 });
  await assert.rejects(credential({ timeout: 500 }).getToken(SCOPE), (e) => e instanceof AuthenticationError && e.errorResponse.error === "timed_out");
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(broker.calls.some((c) => c.method === "cancelInteractiveFlow"), "the broker was told to cancel");
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
