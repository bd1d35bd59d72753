// The other two builds of the same sources: cmake-js (must load and answer a call) and ASan/UBSan
// (the D-Bus, argument, lifecycle, worker-teardown and stuck-bus tests run clean under it, in a child
// `node --test`).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { hasDbusDaemon, nativeModule, root, runChild, startBus, startFakeBroker } from "./helpers.mjs";

const linux = process.platform === "linux";
const hasCmake = spawnSync("cmake", ["--version"]).status === 0;
const libasan = linux ? spawnSync("gcc", ["-print-file-name=libasan.so"], { encoding: "utf8" }).stdout?.trim() : "";
const skipBus = !linux ? "Linux only" : !hasDbusDaemon() ? "dbus-daemon is not installed" : false;

function build(flag) {
  const r = spawnSync(process.execPath, [path.join(root, "scripts", "build-native.mjs"), flag], {
    cwd: root,
    encoding: "utf8",
    timeout: 300000,
  });
  assert.equal(r.status, 0, `build-native ${flag} failed:\n${r.stdout}\n${r.stderr}`);
  const file = r.stdout.trim().split("\n").pop();
  assert.ok(existsSync(file), `no ${file}`);
  return file;
}

describe("cmake-js build", { skip: skipBus || (!hasCmake && "cmake is not installed") }, () => {
  let bus, broker;
  before(async () => {
    bus = await startBus();
    broker = await startFakeBroker(bus.address);
  });
  after(async () => {
    await broker?.stop();
    await bus?.stop();
  });

  test("builds, loads through ENTRA_BROKER_NATIVE_PATH and round-trips a call", { timeout: 300000 }, async () => {
    const file = build("--cmake");
    assert.match(file, /build[\\/]cmake[\\/]/);
    const r = await runChild(
      `const { loadNativeBroker } = (await import(${JSON.stringify(nativeModule)})).default;
       const { addon, path, error } = loadNativeBroker();
       if (!addon) throw new Error(error);
       const reply = JSON.parse(await addon.call("availability", "{}").promise);
       console.log(JSON.stringify({ path, version: reply.linuxBrokerVersion }));`,
      { env: { ENTRA_BROKER_NATIVE_PATH: file, DBUS_SESSION_BUS_ADDRESS: bus.address } },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { path: file, version: "9.9.9-fake" });
  });
});

describe(
  "ASan/UBSan build",
  { skip: skipBus || (!hasCmake && "cmake is not installed") || (!existsSync(libasan) && "gcc has no libasan") },
  () => {
    test(
      "the D-Bus, argument, lifecycle, worker-teardown and stuck-bus tests pass under it with no sanitizer report",
      { timeout: 600000 },
      async () => {
        const file = build("--asan");
        assert.match(file, /build[\\/]asan[\\/]/);
        const files = ["dbus", "args", "lifecycle", "workerTeardown", "stuckBus"].map((f) => path.join("test", "native", `${f}.test.mjs`));
        const env = { ...process.env };
        delete env.NODE_TEST_CONTEXT; // else the child thinks it runs inside this test and skips its files
        const child = spawn(process.execPath, ["--test", "--test-reporter=tap", "--test-concurrency=2", ...files], {
          cwd: root,
          env: {
            ...env,
            ENTRA_BROKER_NATIVE_PATH: file,
            LD_PRELOAD: libasan,
            ASAN_OPTIONS: "detect_leaks=0:abort_on_error=1:handle_segv=1",
            UBSAN_OPTIONS: "print_stacktrace=1:halt_on_error=1",
          },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout.on("data", (d) => (output += d));
        child.stderr.on("data", (d) => (output += d));
        const code = await new Promise((r) => child.on("exit", (c, s) => r(c ?? s)));
        const report = output.match(/(ERROR: AddressSanitizer|runtime error:|LeakSanitizer|SUMMARY: \w+Sanitizer)[^\n]*/);
        assert.equal(report, null, `sanitizer report: ${report?.[0]}\n${output.slice(-4000)}`);
        assert.equal(code, 0, output.slice(-4000));
        assert.match(output, /# fail 0/);
        assert.match(output, /# pass [1-9]\d+/);
      },
    );
  },
);
