// The window handle goes one way: normalised once by the credential, then through msal-node's own
// `windowHandle` argument to the plugin and the addon's `parentWindowHandle` (no side channel).
// The addon here is a recording stand-in (ENTRA_BROKER_NATIVE_PATH accepts any module with call()
// and backend): what is under test is our path through msal, not the OS. In a child process: the
// loader caches its outcome per process.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = path.dirname(fileURLToPath(import.meta.url));
const { normalizeWindowHandle } = createRequire(import.meta.url)("../../dist/internal.js");

const recordingAddon = `
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
const idToken = b64({ alg: "none" }) + "." + b64({ oid: "o", tid: "t", preferred_username: "ada@contoso.example" }) + ".";
exports.backend = "linux-dbus";
exports.calls = [];
exports.call = (operation, request, options) => {
  const handle = options && options.parentWindowHandle;
  exports.calls.push({ operation, handle: handle instanceof Uint8Array ? Buffer.from(handle).toString("hex") : handle });
  const reply = operation === "availability"
    ? { linuxBrokerVersion: "2.0.1" }
    : { brokerTokenResponse: { accessToken: "at", expiresOn: Date.now() + 3600000, grantedScopes: "User.Read", idToken, clientInfo: b64({ uid: "o", utid: "t" }) } };
  return { correlationId: "c", cancel() {}, promise: Promise.resolve(JSON.stringify(reply)) };
};
`;

test("normalizeWindowHandle: bytes as given, integers as the 8 bytes the addon reads", () => {
  const bytes = Buffer.from([1, 2, 3, 4]);
  assert.deepEqual(normalizeWindowHandle(bytes), bytes);
  assert.notEqual(normalizeWindowHandle(bytes), bytes, "a copy: the app may reuse its buffer");
  assert.equal(normalizeWindowHandle(0x1234).readBigUInt64LE(), 0x1234n);
  assert.equal(normalizeWindowHandle(2n ** 63n).readBigUInt64LE(), 2n ** 63n);
  assert.throws(() => normalizeWindowHandle(-1), { code: "INVALID_WINDOW_HANDLE" });
  assert.throws(() => normalizeWindowHandle(Buffer.alloc(3)), { code: "INVALID_WINDOW_HANDLE" });
});

test("the credential's handle reaches the addon through msal's windowHandle, for the interactive call only", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "window-handle-"));
  const addonPath = path.join(dir, "recordingAddon.js");
  writeFileSync(addonPath, recordingAddon);
  const child = `
import { InteractiveBrowserBrokerCredential } from "entra-broker";
import { createRequire } from "node:module";
const addon = createRequire(import.meta.url)(${JSON.stringify(addonPath)});
const cred = new InteractiveBrowserBrokerCredential({ tenantId: "contoso.example", parentWindowHandle: 0x2a, disableInstanceDiscovery: true });
const record = await cred.authenticate("https://graph.microsoft.com/User.Read");
console.log(JSON.stringify({ record, calls: addon.calls }));
`;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", child], {
    env: { ...process.env, ENTRA_BROKER_NATIVE_PATH: addonPath, DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent" },
    cwd: path.join(here, "..", ".."),
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout.trim().split("\n").at(-1));
  assert.equal(out.record.nativeAccountId, "o.t");
  const interactive = out.calls.filter((c) => c.operation === "interactiveToken");
  assert.equal(interactive.length, 1, JSON.stringify(out.calls));
  assert.equal(interactive[0].handle, "2a00000000000000", "0x2a as 8 little-endian bytes");
  for (const c of out.calls.filter((c) => c.operation !== "interactiveToken")) assert.equal(c.handle, null, c.operation);
});
