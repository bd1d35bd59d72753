// CI smoke test of the native addon on the runner's own OS: it loads, names the right backend,
// rejects bad arguments with a TypeError, and a broker call settles (never hangs) with what this
// runner can give. Run from the repository after `npm run build`:
//   node .github/scripts/smoke-addon.mjs            the addon node-gyp-build finds (prebuilds/, build/)
//   ENTRA_BROKER_NATIVE_PATH=<file> node ...         a specific build (the cmake-js one)
// With --package <dir>: only the public API of the package installed in <dir> (brokerStatus()).
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, "..", "..");
const expectedBackend = { darwin: "macos-sso", win32: "wam", linux: "linux-dbus" }[process.platform];
const LIMIT_MS = 30000;

function within(promise, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${LIMIT_MS} ms`)), LIMIT_MS);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

async function settle(call) {
  try {
    return { reply: await within(call.promise, "the broker call") };
  } catch (error) {
    if (!error.code) throw error;
    return { error };
  }
}

async function smokeRepository() {
  const { loadNativeBroker } = require(path.join(root, "dist", "broker", "native.js"));
  const load = loadNativeBroker();
  assert.ok(load.addon, load.error);
  console.log(`loaded ${load.path}: backend ${load.addon.backend}`);
  assert.equal(load.addon.backend, expectedBackend);
  assert.throws(() => load.addon.call("availability", 42), { name: "TypeError", code: "ERR_INVALID_ARG_TYPE" });
  assert.throws(() => load.addon.call("nope", "{}"), { name: "TypeError", code: "ERR_INVALID_ARG_VALUE" });

  // The availability request this platform's broker module sends (WAM needs a provider id and authority).
  const { selectPlatform } = require(path.join(root, "dist", "broker", "select.js"));
  const started = Date.now();
  const availability = await settle(load.addon.call("availability", selectPlatform().platform.availabilityRequest()));
  console.log(`availability after ${Date.now() - started} ms:`, availability.reply ?? `${availability.error.code} ${availability.error.osError ?? ""}: ${availability.error.message}`);

  if (process.platform === "darwin") {
    // A plain Node process runs no Cocoa run loop: the SSO extension cannot answer here, and the
    // addon must say so at once instead of waiting on the main queue forever.
    assert.equal(availability.error?.code, "BROKER_UNAVAILABLE");
    assert.equal(availability.error.osError, "NoMainRunLoop");
    const token = await settle(
      load.addon.call("silentToken", JSON.stringify({ operation: "refresh", options: { client_id: "x" } }), { timeoutMs: 60000 }),
    );
    assert.equal(token.error?.code, "BROKER_UNAVAILABLE");
    const bad = await settle(load.addon.call("interactiveToken", "[1]"));
    assert.equal(bad.error?.code, "BROKER_INVALID_REQUEST");
  } else if (process.platform === "linux") {
    // No session bus in this step: unavailable, the browser fallback.
    assert.equal(availability.error?.code, "BROKER_UNAVAILABLE");
  } else {
    // Hosted Windows (a service session on Windows Server) may or may not offer WAM, or WAM may fail
    // there with an HRESULT; any of those answers is fine, a hang, a crash or a malformed call is not.
    const error = availability.error;
    assert.ok(availability.reply !== undefined || ["BROKER_UNAVAILABLE", "BROKER_OS_ERROR", "BROKER_TIMEOUT"].includes(error.code), `${error?.code}: ${error?.message}`);
    if (error?.code === "BROKER_OS_ERROR") assert.equal(typeof error.osCode, "number", "an OS error carries its HRESULT");
  }
}

function smokePackage(dir) {
  const requireFromDir = createRequire(path.join(path.resolve(dir), "package.json"));
  const { brokerStatus } = requireFromDir("entra-broker");
  const status = brokerStatus();
  console.log(JSON.stringify(status, null, 2));
  assert.equal(status.addonLoaded, true, status.reason);
  assert.equal(status.broker, { darwin: "macos-sso", win32: "wam", linux: "linux-dbus" }[process.platform]);
  assert.match(status.addonPath, new RegExp(`prebuilds[\\\\/]${process.platform}-[^\\\\/]*${process.arch}`));
}

const at = process.argv.indexOf("--package");
if (at !== -1) smokePackage(process.argv[at + 1]);
else await smokeRepository();
console.log("smoke test passed");
