// The Linux broker client against a private dbus-daemon and a tiny fake broker (fixtures/fake-broker.mjs).
// Needs `npm run build` and `npm run build:native`. Also run under the ASan build by builds.test.mjs.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { hasDbusDaemon, loadAddon, nativeModule, runChild, startBus, startFakeBroker } from "./helpers.mjs";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const skip = process.platform !== "linux" ? "Linux only" : !hasDbusDaemon() ? "dbus-daemon is not installed" : false;

const methods = {
  availability: ["getLinuxBrokerVersion", (r) => assert.equal(r.linuxBrokerVersion, "9.9.9-fake")],
  interactiveToken: ["acquireTokenInteractively", (r) => assert.equal(r.brokerTokenResponse.accessToken, "interactive-token")],
  silentToken: ["acquireTokenSilently", (r) => assert.equal(r.brokerTokenResponse.accessToken, "silent-token")],
  accounts: ["getAccounts", (r) => assert.equal(r.accounts[0].username, "ada@contoso.example")],
  signOut: ["removeAccount", (r) => assert.equal(r.echo.protocol, "0.0")],
  cancelInteractiveFlow: ["cancelInteractiveFlow", (r) => assert.equal(r.echo.protocol, "0.0")],
};

async function rejection(promise) {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail("expected the call to reject");
}

describe("Linux D-Bus broker client", { skip }, () => {
  let addon, bus, broker, longCall, longStarted;

  before(async () => {
    addon = await loadAddon();
    bus = await startBus();
    broker = await startFakeBroker(bus.address);
    process.env.DBUS_SESSION_BUS_ADDRESS = bus.address;
    // Runs beside the other tests and is checked by the last one: no 25 s D-Bus default timeout.
    longStarted = Date.now();
    longCall = addon.call("interactiveToken", JSON.stringify({ fake: { delayMs: 26000 } }));
    longCall.promise.catch(() => {}); // awaited by the last test
  });

  after(async () => {
    await broker?.stop();
    await bus?.stop();
  });

  test("loads the addon named by ENTRA_BROKER_NATIVE_PATH when it is set", async () => {
    const { loadNativeBroker } = (await import(nativeModule)).default;
    const loaded = loadNativeBroker();
    assert.equal(loaded.addon.backend, "linux-dbus");
    if (process.env.ENTRA_BROKER_NATIVE_PATH) {
      assert.equal(loaded.path, path.resolve(process.env.ENTRA_BROKER_NATIVE_PATH));
    }
  });

  for (const [op, [method, check]] of Object.entries(methods)) {
    test(`${op} calls ${method}("0.0", uuid, json) and returns the reply raw`, async () => {
      const request = JSON.stringify({ op, nonce: Math.random(), text: "ünïcødé ✓ \u{1F511}" });
      const call = addon.call(op, request);
      assert.match(call.correlationId, UUID);
      const reply = JSON.parse(await call.promise);
      check(reply);
      assert.deepEqual(reply.echo, { protocol: "0.0", correlationId: call.correlationId, request });
      const seen = await waitFor(() => broker.calls.find((c) => c.correlationId === call.correlationId));
      assert.equal(seen.method, method);
      assert.equal(seen.signature, "sss");
      assert.equal(seen.request, request);
    });
  }

  test("passes the caller's correlation id and window handle options through", async () => {
    const correlationId = "0f1e2d3c-4b5a-4697-8877-665544332211";
    const call = addon.call("silentToken", "{}", {
      correlationId,
      parentWindowHandle: Buffer.alloc(8, 1),
      timeoutMs: 5000,
    });
    assert.equal(call.correlationId, correlationId);
    assert.equal(JSON.parse(await call.promise).echo.correlationId, correlationId);
  });

  test("runs many calls at once", async () => {
    const calls = Array.from({ length: 24 }, (_, i) => addon.call("accounts", JSON.stringify({ i })));
    const replies = await Promise.all(calls.map((c) => c.promise));
    replies.forEach((r, i) => assert.equal(JSON.parse(JSON.parse(r).echo.request).i, i));
  });

  test("a D-Bus error from the broker rejects with BROKER_DBUS_ERROR and its name", async () => {
    const call = addon.call("accounts", JSON.stringify({ fake: { error: "com.example.Error.Boom" } }));
    const err = await rejection(call.promise);
    assert.equal(err.code, "BROKER_DBUS_ERROR");
    assert.equal(err.osError, "com.example.Error.Boom");
    assert.equal(err.operation, "accounts");
    assert.equal(err.correlationId, call.correlationId);
    assert.match(err.message, /getAccounts.*fake failure/);
  });

  test("a reply that is not one string rejects with BROKER_BAD_REPLY", async () => {
    const err = await rejection(addon.call("accounts", JSON.stringify({ fake: { badReply: true } })).promise);
    assert.equal(err.code, "BROKER_BAD_REPLY");
  });

  test("cancel() ends a slow interactive call quickly and sends cancelInteractiveFlow", async () => {
    const call = addon.call("interactiveToken", JSON.stringify({ fake: { delayMs: 20000 } }));
    await waitFor(() => broker.calls.some((c) => c.correlationId === call.correlationId));
    const t0 = Date.now();
    call.cancel();
    call.cancel(); // idempotent
    const err = await rejection(call.promise);
    assert.equal(err.code, "BROKER_CANCELLED");
    assert.ok(Date.now() - t0 < 1500, `took ${Date.now() - t0} ms`);
    const isCancel = (c) => c.method === "cancelInteractiveFlow" && c.correlationId === call.correlationId;
    await waitFor(() => broker.calls.some(isCancel));
    const cancels = broker.calls.filter(isCancel);
    assert.equal(cancels.length, 1);
    assert.equal(cancels[0].protocol, "0.0");
  });

  test("a timeout ends a slow interactive call with BROKER_TIMEOUT and cancels the flow", async () => {
    const t0 = Date.now();
    const call = addon.call("interactiveToken", JSON.stringify({ fake: { delayMs: 20000 } }), { timeoutMs: 300 });
    const err = await rejection(call.promise);
    const ms = Date.now() - t0;
    assert.equal(err.code, "BROKER_TIMEOUT");
    assert.ok(ms >= 290 && ms < 2000, `took ${ms} ms`);
    await waitFor(() => broker.calls.some((c) => c.method === "cancelInteractiveFlow" && c.correlationId === call.correlationId));
  });

  test("a timeout on a silent call sends no cancelInteractiveFlow", async () => {
    const call = addon.call("silentToken", JSON.stringify({ fake: { delayMs: 5000 } }), { timeoutMs: 200 });
    assert.equal((await rejection(call.promise)).code, "BROKER_TIMEOUT");
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(!broker.calls.some((c) => c.method === "cancelInteractiveFlow" && c.correlationId === call.correlationId));
  });

  test("cancel() before the call is sent still rejects with BROKER_CANCELLED", async () => {
    const call = addon.call("accounts", JSON.stringify({ fake: { delayMs: 5000 } }));
    call.cancel();
    assert.equal((await rejection(call.promise)).code, "BROKER_CANCELLED");
  });

  test("a broker that exits mid-call rejects with BROKER_NO_REPLY", async () => {
    const own = await startBus();
    const dying = await startFakeBroker(own.address);
    process.env.DBUS_SESSION_BUS_ADDRESS = own.address;
    try {
      const err = await rejection(addon.call("interactiveToken", JSON.stringify({ fake: { exit: true } })).promise);
      assert.equal(err.code, "BROKER_NO_REPLY");
      assert.equal(err.osError, "org.freedesktop.DBus.Error.NoReply");
    } finally {
      process.env.DBUS_SESSION_BUS_ADDRESS = bus.address;
      await dying.stop();
      await own.stop();
    }
  });

  test("a bus with no broker and no .service file rejects with BROKER_UNAVAILABLE (ServiceUnknown)", async () => {
    const empty = await startBus();
    process.env.DBUS_SESSION_BUS_ADDRESS = empty.address;
    try {
      const err = await rejection(addon.call("availability", "{}").promise);
      assert.equal(err.code, "BROKER_UNAVAILABLE");
      assert.equal(err.osError, "org.freedesktop.DBus.Error.ServiceUnknown");
      assert.match(err.message, /com\.microsoft\.identity\.broker1/);
    } finally {
      process.env.DBUS_SESSION_BUS_ADDRESS = bus.address;
      await empty.stop();
    }
  });

  test("the bus activates the broker from its .service file on the first call", async () => {
    const activating = await startBus({ activatable: true });
    process.env.DBUS_SESSION_BUS_ADDRESS = activating.address;
    try {
      const call = addon.call("accounts", JSON.stringify({ clientId: "c" }), { timeoutMs: 15000 });
      const reply = JSON.parse(await call.promise);
      assert.equal(reply.accounts.length, 1);
      const record = activating.activationRecord();
      assert.ok(record.some((r) => r.method === "getAccounts" && r.correlationId === call.correlationId));
      const pid = record.find((r) => r.ready)?.pid;
      if (pid) process.kill(pid, "SIGTERM");
    } finally {
      process.env.DBUS_SESSION_BUS_ADDRESS = bus.address;
      await activating.stop();
    }
  });

  test("no session bus address: BROKER_UNAVAILABLE, saying so", async () => {
    const saved = { d: process.env.DBUS_SESSION_BUS_ADDRESS, x: process.env.XDG_RUNTIME_DIR };
    delete process.env.DBUS_SESSION_BUS_ADDRESS;
    delete process.env.XDG_RUNTIME_DIR;
    try {
      const err = await rejection(addon.call("availability", "{}").promise);
      assert.equal(err.code, "BROKER_UNAVAILABLE");
      assert.match(err.message, /DBUS_SESSION_BUS_ADDRESS is not set/);
    } finally {
      process.env.DBUS_SESSION_BUS_ADDRESS = saved.d;
      if (saved.x !== undefined) process.env.XDG_RUNTIME_DIR = saved.x;
    }
  });

  test("an address where no bus listens: BROKER_UNAVAILABLE", async () => {
    process.env.DBUS_SESSION_BUS_ADDRESS = "unix:path=/nonexistent/entra-broker-test/bus";
    try {
      const err = await rejection(addon.call("accounts", "{}").promise);
      assert.equal(err.code, "BROKER_UNAVAILABLE");
      assert.match(err.message, /cannot connect to the session bus/);
    } finally {
      process.env.DBUS_SESSION_BUS_ADDRESS = bus.address;
    }
  });

  test("without libdbus-1 the addon still loads and calls reject with LIBRARY_MISSING", async () => {
    const r = await runChild(
      `const { loadNativeBroker } = (await import(${JSON.stringify(nativeModule)})).default;
       const { addon } = loadNativeBroker();
       try { await addon.call("availability", "{}").promise; } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }`,
      { env: { ENTRA_BROKER_LIBDBUS: "/nonexistent/libdbus-1.so.3", DBUS_SESSION_BUS_ADDRESS: bus.address } },
    );
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.code, "LIBRARY_MISSING");
    assert.match(out.message, /apt install libdbus-1-3/);
  });

  test("an interactive call outlives the 25 s D-Bus default timeout", { timeout: 60000 }, async () => {
    const reply = JSON.parse(await longCall.promise);
    assert.equal(reply.brokerTokenResponse.accessToken, "interactive-token");
    assert.ok(Date.now() - longStarted >= 25500);
  });
});

async function waitFor(predicate, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
