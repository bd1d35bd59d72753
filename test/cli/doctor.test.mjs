// `entra-broker doctor` on this machine without a broker: what works, what does not, why, and the fix.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { lockKeyring, startPrivateBus } from "../helpers/privateBus.mjs";
import { startSecretService } from "../helpers/persistence.mjs";
import { fileURLToPath } from "node:url";
import { runCli, tempHome } from "./cli.mjs";

let home;
let bus;
before(async () => {
  home = tempHome();
  bus = await startPrivateBus(); // a session bus with neither a broker nor a secret store
});
after(async () => {
  await bus?.stop();
  home?.remove();
});

test("no session bus: the addon loads, the broker and the secret store are missing, each with a fix; exit 4", async () => {
  const { code, stdout, stderr } = await runCli(["doctor", "--json"], { home: home.dir });
  assert.equal(code, 4, stderr);
  const report = JSON.parse(stdout);
  assert.equal(report.ok, false);
  assert.equal(report.platform, "linux");
  assert.equal(report.addon.ok, true);
  assert.match(report.addon.detail, /linux-dbus \(.*\.node\)/);
  assert.equal(report.broker.ok, false);
  assert.match(report.broker.reason, /session bus/i);
  assert.match(report.broker.fix, /microsoft-identity-broker/);
  assert.equal(report.persistence.ok, false);
  assert.equal(report.persistence.backend, "libsecret");
  assert.match(report.persistence.reason, /D-Bus/);
  assert.match(report.persistence.fix, /start a D-Bus session/);
  assert.equal(report.browser.ok, false, "no display");
  assert.match(report.browser.fix, /--device-code/);
  assert.deepEqual(
    report.redirectUris.map((r) => r.uri),
    [
      "ms-appx-web://Microsoft.AAD.BrokerPlugin/04b07795-8ddb-461a-bbee-02f9e1bf7b46",
      "msauth.com.msauth.unsignedapp://auth",
      "https://login.microsoftonline.com/common/oauth2/nativeclient",
      "http://localhost",
    ],
  );
});

test("a session bus without the broker: the broker is not there, and doctor says to install it", async () => {
  const { code, stdout } = await runCli(["doctor", "--json", "--bundle-id", "com.contoso.app"], {
    home: home.dir,
    env: { DBUS_SESSION_BUS_ADDRESS: bus.address },
  });
  assert.equal(code, 4);
  const report = JSON.parse(stdout);
  assert.equal(report.broker.ok, false);
  assert.match(report.broker.reason, /com\.microsoft\.identity\.broker1|not running|ServiceUnknown|not provided/i);
  assert.match(report.broker.fix, /install the Microsoft Identity Broker/);
  assert.equal(report.persistence.ok, false);
  assert.match(report.persistence.reason, /org\.freedesktop\.secrets/);
  assert.match(report.persistence.fix, /install a Secret Service provider .*gnome-keyring/);
  assert.ok(report.redirectUris.some((r) => r.uri === "msauth.com.contoso.app://auth"));
});

test("the text report: one line per check, the fixes, and the redirect URIs for the client id", async () => {
  const clientId = "11111111-2222-3333-4444-555555555555";
  const { code, stdout, stderr } = await runCli(["doctor", "--client-id", clientId], { home: home.dir });
  assert.equal(code, 4, stderr);
  assert.match(stdout, /^addon\s+ok\s/m);
  assert.match(stdout, /^broker\s+MISSING\s/m);
  assert.match(stdout, /^persistence\s+MISSING\s/m);
  assert.match(stdout, /^\s+fix: /m);
  assert.match(stdout, new RegExp(`ms-appx-web://Microsoft\\.AAD\\.BrokerPlugin/${clientId}`));
  assert.match(stdout, /http:\/\/localhost\s/);
  assert.match(stderr, /checking/);
});

test("a missing addon is reported with what was looked for", async () => {
  const { code, stdout } = await runCli(["doctor", "--json"], {
    home: home.dir,
    env: { ENTRA_BROKER_NATIVE_PATH: "/nonexistent/entra_broker.node" },
  });
  assert.equal(code, 4);
  const report = JSON.parse(stdout);
  assert.equal(report.addon.ok, false);
  assert.match(
    report.addon.reason,
    /native addon could not be loaded: no such module \/nonexistent\/entra_broker\.node$/,
    "one line, a field of its own",
  );
  assert.ok(
    report.addon.looked.some((l) => /^ENTRA_BROKER_NATIVE_PATH=\/nonexistent\/entra_broker\.node \(no such file\)$/.test(l)),
    JSON.stringify(report.addon.looked),
  );
  assert.doesNotMatch(report.addon.fix, /without the addon/, "the fallback is not a fix");
  assert.match(report.addon.fix, /point ENTRA_BROKER_NATIVE_PATH at an existing/, "the loader's own fixes");
  assert.match(report.addon.fix, /`npm run build:native` in /, "in a clone, the repository's build script");
  assert.equal(report.broker.ok, false);
  assert.match(report.broker.fix, /load the addon first/);
});

test("a locked keyring: doctor says to unlock it", async () => {
  const secrets = await startSecretService();
  try {
    await lockKeyring(secrets.address);
    const { code, stdout } = await runCli(["doctor", "--json"], { env: secrets.env });
    assert.equal(code, 4);
    const { persistence } = JSON.parse(stdout);
    assert.equal(persistence.ok, false);
    assert.match(persistence.reason, /locked/);
    assert.match(persistence.fix, /unlock the keyring/);
  } finally {
    await secrets.stop();
  }
});

test("a display but no xdg-open: the browser check says what to install", async () => {
  const empty = tempHome(); // an empty folder as the whole PATH
  try {
    const { stdout } = await runCli(["doctor", "--json"], { home: home.dir, env: { DISPLAY: ":99", PATH: empty.dir } });
    const { browser } = JSON.parse(stdout);
    assert.equal(browser.ok, false);
    assert.match(browser.reason, /xdg-open is not installed/);
    assert.match(browser.fix, /xdg-utils/);
  } finally {
    empty.remove();
  }
});

test("macOS (played on Linux): with no addon for it, the broker's fix is to load the addon, the persistence backend the Keychain", async () => {
  const fake = fileURLToPath(new URL("../helpers/persistenceFakePlatform.mjs", import.meta.url));
  const { stdout, stderr } = await runCli(["doctor", "--json"], {
    home: home.dir,
    env: { FAKE_PLATFORM: "darwin", NODE_OPTIONS: `--import ${fake}` },
  });
  const report = JSON.parse(stdout);
  assert.equal(report.platform, "darwin", stderr);
  assert.equal(report.addon.ok, false);
  assert.equal(report.broker.ok, false);
  assert.match(report.broker.fix, /load the addon first/);
  assert.equal(report.persistence.backend, "keychain");
});
