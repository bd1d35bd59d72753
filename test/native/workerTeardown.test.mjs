// Workers that loaded the addon end while their calls are pending, and the main thread NEVER loads
// it: Node then unloads the .so with the worker, while the calls' threads still run its code (a
// SIGSEGV before the module pinned itself), and an environment that is terminating refuses every
// napi call (a SIGABRT, "terminate called after throwing 'Napi::Error'", before no C++ exception
// could leave the binding). Each case runs in a child that must exit 0 by itself. Also run under
// the ASan/UBSan build by builds.test.mjs.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { hasDbusDaemon, nativeModule, runChild, fakeBrokerBus } from "./helpers.mjs";

const skip = process.platform !== "linux" ? "Linux only" : !hasDbusDaemon() ? "dbus-daemon is not installed" : false;
const slow = (ms) => JSON.stringify(JSON.stringify({ fake: { delayMs: ms } }));

// The child's main thread: starts a worker running `body` (with `addon` and `parentPort` in scope)
// `rounds` times, each time waiting for its message or exit, then running `then` (e.g. terminate).
function child(body, { rounds = 1, then = "" } = {}) {
  const worker = `const { parentPort } = require("node:worker_threads");
const { addon, error } = require(${JSON.stringify(nativeModule)}).loadNativeBroker();
if (!addon) throw new Error(error);
${body}`;
  return `const { Worker } = await import("node:worker_threads");
for (let round = 0; round < ${rounds}; round++) {
  const w = new Worker(${JSON.stringify(worker)}, { eval: true, execArgv: [], workerData: round });
  const exited = new Promise((res) => w.once("exit", res));
  await Promise.race([exited, new Promise((res) => w.once("message", res))]);
  ${then}
  await exited;
}
// The calls' threads outlive their worker: give them time to return into the (unloaded?) module.
await new Promise((res) => setTimeout(res, 1000));
console.log("done");`;
}

describe("a worker ends during a call; the main thread never loaded the addon", { skip }, () => {
  const world = fakeBrokerBus();

  async function expectCleanExit(source, timeoutMs = 30000) {
    const r = await runChild(source, { env: world.env, timeoutMs });
    assert.equal(r.timedOut, false, `hung: ${r.stderr}`);
    assert.equal(r.signal, null, `crashed (${r.signal}): ${r.stderr}`);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /terminate called|Sanitizer|runtime error/);
    assert.equal(r.stdout.trim(), "done");
    return r;
  }

  test("process.exit() inside the worker with calls pending", async () => {
    await expectCleanExit(
      child(`addon.call("interactiveToken", ${slow(60000)});
             addon.call("accounts", ${slow(60000)});
             setTimeout(() => process.exit(0), 300);`),
    );
    // The interactive call was cancelled at teardown, and its thread told the broker.
    await world.broker.waitForCall("cancelInteractiveFlow", 3000);
  });

  test("worker.terminate() with calls pending", async () => {
    await expectCleanExit(
      child(
        `addon.call("interactiveToken", ${slow(60000)});
             addon.call("silentToken", ${slow(60000)});
             setTimeout(() => parentPort.postMessage("started"), 300);`,
        { then: "await w.terminate();" },
      ),
    );
  });

  test("a reply that arrives while the worker is being torn down", async () => {
    // The broker answers at 300 ms and the worker exits at 250..350 ms: some replies race the teardown.
    await expectCleanExit(
      child(
        `for (let i = 0; i < 4; i++) addon.call("accounts", ${slow(300)});
             setTimeout(() => process.exit(0), 250 + ((require("node:worker_threads").workerData * 17) % 100));`,
        { rounds: 6 },
      ),
    );
  });

  test("worker.terminate() while the worker is inside call()", async () => {
    // Most calls are refused on their arguments (a TypeError thrown from C++), some start; terminate
    // lands in the middle of one, where every napi call fails.
    await expectCleanExit(
      child(
        `parentPort.postMessage("calling");
             for (let i = 0; ; i++) {
               try {
                 if (i % 200 === 0) addon.call("accounts", "{}", { timeoutMs: 2000 }).promise.catch(() => {});
                 else addon.call("accounts", "{}", { timeoutMs: "soon", correlationId: "x".repeat(100) });
               } catch {}
             }`,
        { rounds: 15, then: "await new Promise((res) => setTimeout(res, 10 + round * 7)); await w.terminate();" },
      ),
      60000,
    );
  });
});
