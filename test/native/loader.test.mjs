// The loader (src/broker/native.ts): lazy, cached, never throws, and explains itself when nothing loads.
// Each case runs in a child process because the loader caches its outcome per process.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { nativeModule, runChild } from "./helpers.mjs";

const probe = `const m = await import(${JSON.stringify(nativeModule)});
const { loadNativeBroker } = m.default;
const first = loadNativeBroker();
console.log(JSON.stringify({ same: first === loadNativeBroker(), loaded: !!first.addon, path: first.path,
  backend: first.addon?.backend, error: first.error }));`;

async function load(env) {
  const r = await runChild(probe, { env });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe("native addon loader", () => {
  test("finds the prebuilt or locally built addon and caches the outcome", async () => {
    const out = await load({ ENTRA_BROKER_NATIVE_PATH: "" });
    assert.equal(out.loaded, true, out.error);
    assert.equal(out.same, true);
    assert.match(out.path, /(prebuilds|build)[\\/].+\.node$/);
    assert.equal(out.backend, process.platform === "linux" ? "linux-dbus" : out.backend);
  });

  test("importing does not load the addon (lazy)", async () => {
    const r = await runChild(
      `await import(${JSON.stringify(nativeModule)});
       const { createRequire } = await import("node:module");
       console.log(Object.keys(createRequire(import.meta.url).cache).filter((k) => k.endsWith(".node")).length);`,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), "0");
  });

  test("a bogus ENTRA_BROKER_NATIVE_PATH gives an explanatory error, without throwing", async () => {
    const out = await load({ ENTRA_BROKER_NATIVE_PATH: "/nonexistent/entra_broker.node" });
    assert.equal(out.loaded, false);
    assert.equal(out.same, true);
    assert.match(out.error, /could not be loaded/);
    assert.match(out.error, /ENTRA_BROKER_NATIVE_PATH=\/nonexistent\/entra_broker\.node \(no such file\)/);
    assert.match(out.error, new RegExp(`platform=${process.platform} arch=${process.arch} node=${process.versions.node}`));
    assert.match(out.error, /napi=\d+/);
    assert.match(out.error, /npm run build:native/);
  });

  test("a file that is not an addon gives an explanatory error, without throwing", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "entra-native-loader-"));
    try {
      const fake = path.join(dir, "entra_broker.node");
      writeFileSync(fake, "not an ELF file");
      const out = await load({ ENTRA_BROKER_NATIVE_PATH: fake });
      assert.equal(out.loaded, false);
      assert.match(out.error, /could not be loaded: .*(invalid ELF header|not a valid|too short)/i);
      assert.match(out.error, /Possible solutions/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
