// The addon in a process's life: exiting on its own, exiting mid-call, worker_threads. Each case runs
// in a child process, which must end with the expected code within its time limit (no hang, no crash).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { hasDbusDaemon, nativeModule, runChild, fakeBrokerBus } from "./helpers.mjs";

const skip = process.platform !== "linux" ? "Linux only" : !hasDbusDaemon() ? "dbus-daemon is not installed" : false;
const load = `const { loadNativeBroker } = (await import(${JSON.stringify(nativeModule)})).default;
const { addon, error } = loadNativeBroker();
if (!addon) { console.error(error); process.exit(70); }
const slow = JSON.stringify({ fake: { delayMs: 60000 } });`;

describe("addon lifecycle", { skip }, () => {
  const world = fakeBrokerBus();

  test("a process that made calls exits on its own (no event-loop reference left)", async () => {
    const r = await runChild(
      `${load}
       console.log(JSON.parse(await addon.call("accounts", "{}").promise).accounts.length);
       const c = addon.call("interactiveToken", slow);
       setTimeout(() => c.cancel(), 100);
       await c.promise.catch((e) => console.log(e.code));`,
      { env: world.env, timeoutMs: 10000 },
    );
    assert.equal(r.timedOut, false, "the child did not exit on its own");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split("\n"), ["1", "BROKER_CANCELLED"]);
  });

  test("a pending call keeps the process alive until it settles", async () => {
    const r = await runChild(
      `${load}
       const t0 = Date.now();
       addon.call("accounts", JSON.stringify({ fake: { delayMs: 800 } })).promise.then((s) => console.log(Date.now() - t0, JSON.parse(s).accounts.length));`,
      { env: world.env, timeoutMs: 10000 },
    );
    assert.equal(r.code, 0, r.stderr);
    const [ms, n] = r.stdout.trim().split(" ").map(Number);
    assert.ok(ms >= 750, `settled after ${ms} ms`);
    assert.equal(n, 1);
  });

  test("process.exit() during a pending call exits cleanly and at once", async () => {
    const r = await runChild(
      `${load}
       addon.call("interactiveToken", slow);
       addon.call("accounts", slow);
       setTimeout(() => process.exit(7), 300);`,
      { env: world.env, timeoutMs: 10000 },
    );
    assert.equal(r.signal, null, r.stderr);
    assert.equal(r.code, 7, r.stderr);
    assert.ok(r.ms < 5000, `took ${r.ms} ms`);
  });

  test("an uncaught exception during a pending call exits with the error, not a crash", async () => {
    const r = await runChild(
      `${load}
       addon.call("interactiveToken", slow);
       setTimeout(() => { throw new Error("app bug"); }, 200);`,
      { env: world.env, timeoutMs: 10000 },
    );
    assert.equal(r.signal, null, r.stderr);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /app bug/);
  });

  test("worker_threads: calls from a worker and the main thread at once, then both exit", async () => {
    const r = await runChild(
      `${load}
       const { Worker } = await import("node:worker_threads");
       const src = ${JSON.stringify(`
         const { parentPort } = require("node:worker_threads");
         const { loadNativeBroker } = require(${JSON.stringify(nativeModule)});
         const { addon } = loadNativeBroker();
         Promise.all([1, 2, 3].map((i) => addon.call("accounts", JSON.stringify({ i })).promise))
           .then((r) => parentPort.postMessage(r.length));`)};
       const workers = [new Worker(src, { eval: true, execArgv: [] }), new Worker(src, { eval: true, execArgv: [] })];
       const results = workers.map((w) => new Promise((res, rej) => { w.once("message", res); w.once("error", rej); }));
       const mine = await addon.call("silentToken", "{}").promise;
       console.log(JSON.stringify({ worker: await Promise.all(results), main: JSON.parse(mine).brokerTokenResponse.accessToken }));`,
      { env: world.env, timeoutMs: 15000 },
    );
    assert.equal(r.timedOut, false, "hung");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { worker: [3, 3], main: "silent-token" });
  });

  test("worker.terminate() during a pending call returns promptly, and the process then exits", async () => {
    const r = await runChild(
      `${load}
       const { Worker } = await import("node:worker_threads");
       const w = new Worker(${JSON.stringify(`
         const { parentPort } = require("node:worker_threads");
         const { addon } = require(${JSON.stringify(nativeModule)}).loadNativeBroker();
         addon.call("interactiveToken", JSON.stringify({ fake: { delayMs: 60000 } }));
         addon.call("accounts", JSON.stringify({ fake: { delayMs: 60000 } }));
         setTimeout(() => parentPort.postMessage("started"), 300);`)}, { eval: true, execArgv: [] });
       await new Promise((res) => w.once("message", res));
       const t0 = Date.now();
       await w.terminate();
       console.log(Date.now() - t0);
       // The calls' threads outlive the worker: give the cancelled one time to tell the broker.
       await new Promise((res) => setTimeout(res, 1500));`,
      { env: world.env, timeoutMs: 15000 },
    );
    assert.equal(r.timedOut, false, "hung");
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Number(r.stdout) < 3000, `terminate took ${r.stdout} ms`);
    // Teardown cancelled the pending interactive call: the broker was asked to end its flow.
    await world.broker.waitForCall("cancelInteractiveFlow", 3000);
  });
});
