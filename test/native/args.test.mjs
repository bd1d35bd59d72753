// Argument checks: every bad argument is a TypeError with a Node-style code, never a crash.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { loadAddon, nativeModule, runChild } from "./helpers.mjs";

const NOBUS = "unix:path=/nonexistent/entra-broker-test/bus";

describe("native call() arguments", () => {
  let addon;
  before(async () => {
    addon = await loadAddon();
  });

  const bad = [
    ["operation not a string", [42, "{}"], "ERR_INVALID_ARG_TYPE"],
    ["operation missing", [], "ERR_INVALID_ARG_TYPE"],
    ["unknown operation", ["getLinuxBrokerVersion", "{}"], "ERR_INVALID_ARG_VALUE"],
    ["operation too long", ["a".repeat(100000), "{}"], "ERR_INVALID_ARG_VALUE"],
    ["request not a string", ["accounts", { a: 1 }], "ERR_INVALID_ARG_TYPE"],
    ["request missing", ["accounts"], "ERR_INVALID_ARG_TYPE"],
    ["request over 1 MiB", ["accounts", "x".repeat(1024 * 1024 + 1)], "ERR_INVALID_ARG_VALUE"],
    ["request over 1 MiB of UTF-8", ["accounts", "é".repeat(600000)], "ERR_INVALID_ARG_VALUE"],
    ["request with NUL", ["accounts", '{"a":"\0"}'], "ERR_INVALID_ARG_VALUE"],
    ["options a string", ["accounts", "{}", "x"], "ERR_INVALID_ARG_TYPE"],
    ["options an array", ["accounts", "{}", []], "ERR_INVALID_ARG_TYPE"],
    ["window handle a string", ["accounts", "{}", { parentWindowHandle: "0x1234" }], "ERR_INVALID_ARG_TYPE"],
    ["window handle 3 bytes", ["accounts", "{}", { parentWindowHandle: Buffer.alloc(3) }], "ERR_INVALID_ARG_VALUE"],
    ["window handle 16 bytes", ["accounts", "{}", { parentWindowHandle: new Uint8Array(16) }], "ERR_INVALID_ARG_VALUE"],
    ["window handle Uint16Array", ["accounts", "{}", { parentWindowHandle: new Uint16Array(4) }], "ERR_INVALID_ARG_TYPE"],
    ["window handle negative", ["accounts", "{}", { parentWindowHandle: -1 }], "ERR_INVALID_ARG_VALUE"],
    ["window handle NaN", ["accounts", "{}", { parentWindowHandle: NaN }], "ERR_INVALID_ARG_VALUE"],
    ["window handle fraction", ["accounts", "{}", { parentWindowHandle: 1.5 }], "ERR_INVALID_ARG_VALUE"],
    ["window handle unsafe", ["accounts", "{}", { parentWindowHandle: 2 ** 60 }], "ERR_INVALID_ARG_VALUE"],
    ["window handle bigint < 0", ["accounts", "{}", { parentWindowHandle: -1n }], "ERR_INVALID_ARG_VALUE"],
    ["window handle bigint >= 2^64", ["accounts", "{}", { parentWindowHandle: 2n ** 64n }], "ERR_INVALID_ARG_VALUE"],
    ["timeout a string", ["accounts", "{}", { timeoutMs: "10" }], "ERR_INVALID_ARG_TYPE"],
    ["timeout negative", ["accounts", "{}", { timeoutMs: -5 }], "ERR_INVALID_ARG_VALUE"],
    ["timeout Infinity", ["accounts", "{}", { timeoutMs: Infinity }], "ERR_INVALID_ARG_VALUE"],
    ["timeout over 2^31", ["accounts", "{}", { timeoutMs: 2 ** 31 }], "ERR_INVALID_ARG_VALUE"],
    ["correlation id a number", ["accounts", "{}", { correlationId: 5 }], "ERR_INVALID_ARG_TYPE"],
    ["correlation id too long", ["accounts", "{}", { correlationId: "a".repeat(129) }], "ERR_INVALID_ARG_VALUE"],
    ["correlation id with spaces", ["accounts", "{}", { correlationId: "a b" }], "ERR_INVALID_ARG_VALUE"],
    ["correlation id not ASCII", ["accounts", "{}", { correlationId: "é" }], "ERR_INVALID_ARG_VALUE"],
  ];
  for (const [name, args, code] of bad) {
    test(`${name}: TypeError ${code}`, () => {
      assert.throws(
        () => addon.call(...args),
        (err) => err instanceof TypeError && err.code === code,
      );
    });
  }

  test("accepted window handles: 4- and 8-byte buffers, bigint, number, null", async () => {
    const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
    process.env.DBUS_SESSION_BUS_ADDRESS = NOBUS;
    try {
      for (const parentWindowHandle of [Buffer.alloc(4, 7), new Uint8Array(8), 2n ** 64n - 1n, 2 ** 53 - 1, 0, null, undefined]) {
        const call = addon.call("accounts", "{}", { parentWindowHandle, timeoutMs: 0 });
        await assert.rejects(call.promise, { code: "BROKER_UNAVAILABLE" });
      }
    } finally {
      process.env.DBUS_SESSION_BUS_ADDRESS = saved;
    }
  });

  test("an overlong operation name is refused before it is copied", async () => {
    // 128 MiB of operation name: copied first (as before), the process's peak memory grows by at least
    // that much; measured first, not at all. The string is flat and external, so V8 copies nothing.
    const r = await runChild(
      `const { loadNativeBroker } = (await import(${JSON.stringify(nativeModule)})).default;
       const { addon } = loadNativeBroker();
       const name = Buffer.alloc(128 * 1024 * 1024, 97).toString("latin1");
       const before = process.resourceUsage().maxRSS;
       let code;
       try { addon.call(name, "{}"); } catch (e) { code = e.code; }
       console.log(JSON.stringify({ code, grewKiB: process.resourceUsage().maxRSS - before }));`,
      { env: { DBUS_SESSION_BUS_ADDRESS: NOBUS } },
    );
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.code, "ERR_INVALID_ARG_VALUE");
    assert.ok(out.grewKiB < 32 * 1024, `peak memory grew by ${out.grewKiB} KiB`);
  });

  test("a getter that throws in options propagates that error", () => {
    const options = {
      get timeoutMs() {
        throw new RangeError("boom");
      },
    };
    assert.throws(() => addon.call("accounts", "{}", options), RangeError);
  });

  test("fuzzing the arguments never crashes the process", { timeout: 120000 }, async () => {
    const r = await runChild(
      `const { loadNativeBroker } = (await import(${JSON.stringify(nativeModule)})).default;
       const { addon } = loadNativeBroker();
       let seed = 12345;
       const rand = (n) => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
       const big = "\\u{1F511}".repeat(300000);
       const pool = () => [undefined, null, true, 0, -0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 64, 2 ** 53 - 1,
         -(2n ** 70n), 0n, 2n ** 64n - 1n, 2n ** 64n, "", "accounts", "availability", "interactiveToken", "x".repeat(rand(3000)),
         big, "\\0", "\\ud800", "{\\"a\\":1}", Symbol("s"), () => 1, [], [1, 2], {}, Buffer.alloc(rand(10)),
         new Uint8Array(8), new Uint16Array(4), new Float64Array(1), new ArrayBuffer(8), new DataView(new ArrayBuffer(8)),
         Object.create(null), new Proxy({}, { get() { throw new Error("trap"); } }),
         { parentWindowHandle: Buffer.alloc(rand(12)), timeoutMs: rand(5) - 1, correlationId: "x".repeat(rand(200)) },
         { timeoutMs: 1, parentWindowHandle: 2n ** BigInt(rand(70)) }, { correlationId: "\\ud800\\udc00" }][rand(42)];
       let typeErrors = 0, otherThrows = 0, calls = [];
       for (let i = 0; i < 4000; i++) {
         const args = [pool(), pool(), pool(), pool()].slice(0, rand(5));
         try {
           const c = addon.call(...args);
           calls.push(c.promise.then(() => "ok", (e) => e.code));
           if (rand(3) === 0) c.cancel();
         } catch (e) {
           if (e instanceof TypeError && /^ERR_INVALID_ARG_(TYPE|VALUE)$/.test(e.code)) typeErrors++;
           else otherThrows++;
         }
         if (calls.length >= 32) await Promise.all(calls.splice(0));
       }
       const codes = new Set(await Promise.all(calls));
       console.log(JSON.stringify({ typeErrors, otherThrows }));`,
      { env: { DBUS_SESSION_BUS_ADDRESS: NOBUS }, timeoutMs: 110000 },
    );
    assert.equal(r.signal, null, r.stderr);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split("\n").pop());
    assert.ok(out.typeErrors > 1000, r.stdout);
  });
});
