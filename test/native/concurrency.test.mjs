// Many calls at once share one bus connection: 200 concurrent calls against the stand-in broker on
// a private bus all succeed (before, each opened its own connection: dbus-daemon lets 64 at most be
// authenticating, so 64 failed and the median took 30 s). Cancelling one call leaves the others be.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startBrokerWorld } from "../helpers/privateBus.mjs";
import { hasDbusDaemon, loadAddon, startBus, startFakeBroker } from "./helpers.mjs";

const skip = process.platform !== "linux" ? "Linux only" : !hasDbusDaemon() ? "dbus-daemon is not installed" : false;

describe("concurrent calls", { skip }, () => {
  let addon, world, standIn;
  before(async () => {
    addon = await loadAddon();
    world = await startBrokerWorld({ standIn: false });
    const { startStandInBrokerProcess } = await import("entra-broker-devtools/stand-in-broker");
    standIn = await startStandInBrokerProcess({
      busAddress: world.bus.address,
      authority: { url: world.authority.url, ca: world.authority.ca },
      user: world.authority.users[0],
    });
  });
  after(async () => {
    await standIn?.stop();
    await world?.stop();
  });

  test("200 concurrent calls against the stand-in broker all succeed", { timeout: 90000 }, async (t) => {
    const t0 = Date.now();
    const times = [];
    const calls = Array.from({ length: 200 }, (_, i) =>
      addon.call(i % 2 ? "accounts" : "availability", "{}", { timeoutMs: 60000 }).promise.then(
        (reply) => (times.push(Date.now() - t0), { ok: true, reply: JSON.parse(reply), i }),
        (err) => (times.push(Date.now() - t0), { ok: false, code: err.code, message: err.message, i }),
      ),
    );
    const results = await Promise.all(calls);
    const failed = results.filter((r) => !r.ok);
    times.sort((a, b) => a - b);
    t.diagnostic(`200 calls: median ${times[100]} ms, last ${times[199]} ms, ${failed.length} failed`);
    assert.deepEqual(failed.slice(0, 3), [], `${failed.length} of 200 failed`);
    for (const r of results) {
      if (r.i % 2) assert.ok(Array.isArray(r.reply.accounts), JSON.stringify(r.reply));
      else assert.equal(typeof r.reply.linuxBrokerVersion, "string", JSON.stringify(r.reply));
    }
    assert.ok(times[199] < 60000, `the last call settled after ${times[199]} ms`);
  });
});

describe("calls sharing a connection", { skip }, () => {
  let addon, bus, broker, saved;
  before(async () => {
    addon = await loadAddon();
    bus = await startBus();
    broker = await startFakeBroker(bus.address);
    saved = process.env.DBUS_SESSION_BUS_ADDRESS;
    process.env.DBUS_SESSION_BUS_ADDRESS = bus.address;
  });
  after(async () => {
    process.env.DBUS_SESSION_BUS_ADDRESS = saved;
    await broker?.stop();
    await bus?.stop();
  });

  test("one cancelled and one timed out among many: only those two end early", async () => {
    const slow = (i) => JSON.stringify({ i, fake: { delayMs: 600 } });
    const others = Array.from({ length: 30 }, (_, i) => addon.call("accounts", slow(i)));
    const cancelled = addon.call("interactiveToken", JSON.stringify({ fake: { delayMs: 60000 } }));
    const timedOut = addon.call("silentToken", JSON.stringify({ fake: { delayMs: 60000 } }), { timeoutMs: 200 });
    setTimeout(() => cancelled.cancel(), 100);
    const code = (c) =>
      c.promise.then(
        () => "resolved",
        (e) => e.code,
      );
    assert.equal(await code(cancelled), "BROKER_CANCELLED");
    assert.equal(await code(timedOut), "BROKER_TIMEOUT");
    const replies = await Promise.all(others.map((c) => c.promise));
    replies.forEach((r, i) => assert.equal(JSON.parse(JSON.parse(r).echo.request).i, i));
  });
});
