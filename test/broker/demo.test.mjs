// `entra-broker-devtools demo --stand-in-broker`: the demo's sign-in goes through the stand-in Linux broker on
// a private bus it starts itself (no browser at all); without the flag test/e2e/chromium.test.mjs
// shows the browser fallback.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

test("the demo with the stand-in broker signs in through the broker, not the browser", () => {
  const env = { ...process.env };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  delete env.DBUS_SESSION_BUS_ADDRESS;
  const run = spawnSync(process.execPath, [path.join(root, "devtools/dist/cli/main.js"), "demo", "--stand-in-broker"], {
    env,
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /signed in through the linux-dbus broker/);
  assert.doesNotMatch(run.stderr, /headless Chromium|Open this URL/, "no browser step");
  const out = JSON.parse(run.stdout);
  assert.equal(out.account.username, "ada@contoso.example");
  assert.equal(out.secondGetToken.servedFrom, "memory");
  assert.ok(!run.stdout.includes("eyJ"), "no token printed");
});
