// A bus that never answers: one that accepts the connection and stays silent (a plain unix socket
// server), and a dbus-daemon stopped with SIGSTOP. Every phase of a call (connect, authenticate,
// Hello, the method) honours timeoutMs and cancel(), and the process then exits by itself. And a
// dbus-daemon that dies mid-call: the call gets BROKER_NO_REPLY and the next call reconnects.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { cleanEnv, hasDbusDaemon, loadAddon, nativeModule, runChild, startBus, startFakeBroker } from "./helpers.mjs";

const skip = process.platform !== "linux" ? "Linux only" : !hasDbusDaemon() ? "dbus-daemon is not installed" : false;

// In a child (its own process-wide connection): one call ended by timeoutMs, one by cancel(); prints
// each one's code and time, and must then exit on its own.
const timeoutAndCancel = `const { loadNativeBroker } = (await import(${JSON.stringify(nativeModule)})).default;
const { addon, error } = loadNativeBroker();
if (!addon) { console.error(error); process.exit(70); }
const settle = (c, t0) => c.promise.then(() => ({ code: "resolved" }), (e) => ({ code: e.code, ms: Date.now() - t0 }));
let t0 = Date.now();
const timedOut = settle(addon.call("accounts", "{}", { timeoutMs: 400 }), t0);
const c = addon.call("interactiveToken", "{}");
setTimeout(() => c.cancel(), 300);
const cancelled = settle(c, t0);
console.log(JSON.stringify({ timedOut: await timedOut, cancelled: await cancelled }));`;

function checkTimeoutAndCancel(r) {
  assert.equal(r.timedOut, false, `the child did not exit on its own: ${r.stderr}`);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.timedOut.code, "BROKER_TIMEOUT");
  assert.ok(out.timedOut.ms >= 390 && out.timedOut.ms < 3000, `timeout after ${out.timedOut.ms} ms`);
  assert.equal(out.cancelled.code, "BROKER_CANCELLED");
  assert.ok(out.cancelled.ms >= 290 && out.cancelled.ms < 3000, `cancel after ${out.cancelled.ms} ms`);
  assert.ok(r.ms < 8000, `the child took ${r.ms} ms to exit`);
}

describe("a bus that never answers", { skip }, () => {
  test("a socket that accepts and stays silent: timeoutMs and cancel() hold; the process exits", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "entra-silent-bus-"));
    const sockets = [];
    const server = net.createServer((s) => sockets.push(s.on("error", () => {})));
    await new Promise((r) => server.listen(path.join(dir, "bus"), r));
    try {
      const r = await runChild(timeoutAndCancel, { env: { DBUS_SESSION_BUS_ADDRESS: `unix:path=${dir}/bus` }, timeoutMs: 15000 });
      checkTimeoutAndCancel(r);
      assert.ok(sockets.length >= 1, "the addon never connected");
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a stopped (SIGSTOP) dbus-daemon: timeoutMs and cancel() hold; the process exits", async () => {
    const bus = await startBus();
    const pid = bus.daemonPid();
    assert.ok(pid > 0, "no dbus-daemon pid");
    process.kill(pid, "SIGSTOP");
    try {
      const r = await runChild(timeoutAndCancel, { env: { DBUS_SESSION_BUS_ADDRESS: bus.address }, timeoutMs: 15000 });
      checkTimeoutAndCancel(r);
    } finally {
      process.kill(pid, "SIGCONT");
      await bus.stop();
    }
  });
});

describe("a dbus-daemon that dies", { skip }, () => {
  let addon, bus, saved;
  before(async () => {
    addon = await loadAddon();
    saved = process.env.DBUS_SESSION_BUS_ADDRESS;
    bus = await startBus();
    // Without the daemon's guid (as the systemd user bus's address is): a new daemon has another.
    process.env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${path.join(bus.dir, "bus")}`;
  });
  after(async () => {
    process.env.DBUS_SESSION_BUS_ADDRESS = saved;
    await bus?.stop();
  });

  test("pending calls get BROKER_NO_REPLY, and the next call reconnects to the new daemon", async () => {
    const broker = await startFakeBroker(bus.address);
    assert.equal(JSON.parse(await addon.call("accounts", "{}").promise).accounts.length, 1);
    const pending = addon.call("accounts", JSON.stringify({ fake: { delayMs: 60000 } }));
    await broker.waitForCall("getAccounts");
    await new Promise((r) => setTimeout(r, 100));
    process.kill(bus.daemonPid(), "SIGKILL");
    const err = await pending.promise.then(
      () => assert.fail("resolved"),
      (e) => e,
    );
    assert.equal(err.code, "BROKER_NO_REPLY");
    await broker.stop();

    // A new daemon on the same socket (its configuration is still in bus.dir).
    const daemon = spawn("dbus-daemon", ["--config-file", path.join(bus.dir, "bus.conf"), "--nofork", "--print-address"], {
      stdio: ["ignore", "pipe", "inherit"],
      env: cleanEnv({ DBUS_SESSION_BUS_ADDRESS: "" }),
    });
    try {
      await new Promise((r) => daemon.stdout.once("data", r));
      const again = await startFakeBroker(bus.address);
      try {
        assert.equal(JSON.parse(await addon.call("accounts", "{}", { timeoutMs: 10000 }).promise).accounts.length, 1);
      } finally {
        await again.stop();
      }
    } finally {
      daemon.kill("SIGTERM");
    }
  });
});
