// DefaultAzureCredential's last steps on Linux, end to end in fresh processes with every other
// source unavailable (IMDS refused on loopback, no VS Code sign-in, no pwsh/azd, the real az if
// installed but signed in nowhere: an empty AZURE_CONFIG_DIR): the
// silent default-account broker step, and with `excludeInteractiveBrowserCredential: false` the
// interactive step, through the stand-in broker on a private bus, or where no broker answers,
// the system browser (the real xdg-open starting headless Chromium on the dev authority's pages).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DevAuthority } from "entra-broker-devtools";
import { StandInBroker, startPrivateBus } from "entra-broker-devtools/stand-in-broker";
import { chromiumAvailable } from "../helpers/chromium.mjs";
import { chainOptions, runChild } from "./harness.mjs";

const GRAPH = "https://graph.microsoft.com/.default";
const STORAGE = "https://storage.azure.com/.default";
const BROWSER = fileURLToPath(new URL("./headlessBrowser.mjs", import.meta.url));

let authority, mi, bus, broker, home, user;

before(async () => {
  authority = await DevAuthority.start();
  mi = await authority.startManagedIdentity();
  mi.injectFault("imds", { kind: "refuse", times: Infinity });
  bus = await startPrivateBus();
  home = mkdtempSync(path.join(tmpdir(), "dac-interactive-"));
  user = authority.users[0];
  // Holds no account until someone signs in through it, as a fresh desktop session.
  broker = await StandInBroker.start({ busAddress: bus.address, authority: { url: authority.url, ca: authority.ca }, user });
});
after(async () => {
  await broker?.stop();
  await bus?.stop();
  await mi?.close();
  await authority?.close();
  rmSync(home, { recursive: true, force: true });
});

/** PATH: node and the system's tools (xdg-open); HOME without tool sign-ins, IMDS refused, the session bus `address`. */
function env(address, extra = {}) {
  const PATH = [...new Set([path.dirname(process.execPath), "/usr/bin", "/bin"])].join(path.delimiter);
  const base = { PATH, HOME: home, AZURE_CONFIG_DIR: path.join(home, ".azure-none") };
  return { ...mi.env("imds", base), DBUS_SESSION_BUS_ADDRESS: address, ...extra };
}

const brokerCalls = (method) => broker.calls.filter((c) => c.method === method);
const last = (errors) => errors[errors.length - 1];

test("interactive step excluded (the default), no broker account: the silent broker step ends the chain and the aggregate error says why", async () => {
  broker.calls.splice(0);
  const out = await runChild(env(bus.address), { options: chainOptions(authority) });
  const [r] = out.results;
  assert.equal(r.name, "AggregateAuthenticationError", JSON.stringify(out));
  assert.deepEqual(last(r.errors), { name: "CredentialUnavailableError", code: "BROKER_NO_DEFAULT_ACCOUNT" });
  assert.match(r.message, /^- BrokerCredential: .*silently/m);
  assert.doesNotMatch(r.message, /InteractiveBrowserCredential/);
  assert.ok(brokerCalls("acquireTokenSilently").length >= 1, "the broker was asked, silently");
  assert.equal(brokerCalls("acquireTokenInteractively").length, 0, "nobody was prompted");
});

test("excludeInteractiveBrowserCredential: false: the broker signs the user in interactively, then serves the next scope silently", async () => {
  broker.calls.splice(0);
  const out = await runChild(env(bus.address), {
    options: chainOptions(authority, { excludeInteractiveBrowserCredential: false }),
    calls: [{ scope: GRAPH }, { scope: STORAGE }],
  });
  assert.ok(
    out.results.every((r) => r.ok),
    JSON.stringify(out),
  );
  assert.equal(out.results[0].claims.upn, user.username);
  assert.equal(out.results[1].claims.aud, "https://storage.azure.com");
  assert.equal(brokerCalls("acquireTokenInteractively").length, 1, "one interactive sign-in, for the first scope");
  assert.ok(brokerCalls("acquireTokenSilently").length >= 1, "the default-account step was tried first");
  assert.equal(broker.accounts.length, 1);
});

test("once the broker holds an account, the default chain gets its token silently from the broker step", async () => {
  broker.calls.splice(0);
  const out = await runChild(env(bus.address), { options: chainOptions(authority) });
  assert.ok(out.results[0].ok, JSON.stringify(out));
  assert.equal(out.results[0].claims.upn, user.username);
  assert.equal(brokerCalls("acquireTokenInteractively").length, 0);
});

test("no broker on the bus, interactive step included: the system browser (xdg-open, headless Chromium) signs the user in", async (t) => {
  assert.ok(chromiumAvailable(), "Debian chromium is not installed (scripts/setup.sh installs it)");
  assert.ok(existsSync("/usr/bin/xdg-open"), "xdg-utils is not installed (scripts/setup.sh installs it)");
  const empty = await startPrivateBus();
  t.after(() => empty.stop());
  const log = path.join(home, "browser.log");
  const lines = () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map(JSON.parse) : []);
  const out = await runChild(
    env(empty.address, {
      // xdg-open without a desktop runs $BROWSER ("%s" is the URL).
      BROWSER: `${process.execPath} ${BROWSER} %s`,
      DAC_BROWSER_LOG: log,
      DAC_BROWSER_CA: authority.caPath,
      DAC_BROWSER_USER: user.username,
      DAC_BROWSER_PASSWORD: user.password,
    }),
    { options: chainOptions(authority, { excludeInteractiveBrowserCredential: false }) },
  );
  assert.ok(out.results[0].ok, `${JSON.stringify(out)}\n${JSON.stringify(lines())}`);
  assert.equal(out.results[0].claims.upn, user.username);
  // The browser process outlives the credential's process by a moment: wait for it to end.
  for (let i = 0; i < 200 && !lines().some((l) => l.done || l.failed); i++) await new Promise((r) => setTimeout(r, 100));
  const [opened, ended] = lines();
  assert.equal(new URL(opened.opened).origin, authority.url, "the authorize URL went to xdg-open");
  assert.equal(new URL(opened.opened).searchParams.get("code_challenge_method"), "S256");
  assert.match(ended.done, /^http:\/\/(localhost|127\.0\.0\.1):\d+$/, "Chromium landed on the loopback redirect");
});

test("no broker, no display and no BROWSER: the interactive step is unavailable at once (not a sign-in nobody can see), listed in the aggregate error", async (t) => {
  const empty = await startPrivateBus();
  t.after(() => empty.stop());
  const out = await runChild(env(empty.address), { options: chainOptions(authority, { excludeInteractiveBrowserCredential: false }) });
  const [r] = out.results;
  assert.equal(r.name, "AggregateAuthenticationError", JSON.stringify(out));
  assert.deepEqual(last(r.errors), { name: "CredentialUnavailableError", code: "BROWSER_UNAVAILABLE" });
  assert.match(r.message, /^- InteractiveBrowserCredential: No browser can be shown here/m);
});
