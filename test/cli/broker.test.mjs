// The CLI through the OS broker: the stand-in identity broker on a private session bus, reached by
// the CLI's own process through our addon (doctor, token, accounts, logout).
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { startPrivateBus, startTestAuthority } from "../helpers/privateBus.mjs";
import { StandInBroker } from "entra-broker-devtools/stand-in-broker";
import { runCli, tempHome, decodeJwt, SIGN_IN_URL } from "./cli.mjs";

const SCOPE = "https://graph.microsoft.com/.default";
let bus;
let authority;
let broker;
let user;
let home;

before(async () => {
  bus = await startPrivateBus();
  authority = await startTestAuthority();
  user = authority.users[0];
  broker = await StandInBroker.start({
    busAddress: bus.address,
    authority: { url: authority.url, ca: authority.ca },
    user,
    users: authority.users.slice(0, 2),
  });
  home = tempHome();
});
after(async () => {
  await broker?.stop();
  await authority?.stop();
  await bus?.stop();
  home?.remove();
});
beforeEach(() => broker.calls.splice(0));

function cli(args, options = {}) {
  const authorityArgs = ["--authority-host", authority.url, "--authority-ca", authority.caPath, "--tenant", authority.tenants[0].tenantId];
  return runCli([...args, ...authorityArgs], {
    home: home.dir,
    env: { DBUS_SESSION_BUS_ADDRESS: bus.address },
    timeoutMs: 90_000,
    ...options,
  });
}
const methods = () => broker.calls.map((c) => c.method);

test("doctor finds the broker on the session bus and reports its version", async () => {
  const { code, stdout, stderr } = await runCli(["doctor", "--json"], { home: home.dir, env: { DBUS_SESSION_BUS_ADDRESS: bus.address } });
  const report = JSON.parse(stdout);
  assert.equal(report.addon.ok, true, stderr);
  assert.equal(report.broker.ok, true, JSON.stringify(report.broker));
  assert.match(report.broker.detail, /^linux-dbus, version \d/);
  assert.ok(methods().includes("getLinuxBrokerVersion"));
  // The secret store is not on this bus, so doctor still exits "unavailable".
  assert.equal(report.persistence.ok, false);
  assert.equal(code, 4);
});

test("token signs in through the broker (no browser), then a second run is silent through it", async () => {
  const first = await cli(["token", "--scope", SCOPE, "--json"]);
  assert.equal(first.code, 0, first.stderr);
  assert.doesNotMatch(first.stderr, SIGN_IN_URL);
  assert.match(first.stderr, /through the linux-dbus broker/);
  const result = JSON.parse(first.stdout);
  assert.equal(result.account.username, user.username);
  assert.ok(result.account.nativeAccountId, "the broker's account id");
  assert.ok(methods().includes("acquireTokenInteractively"));

  broker.calls.splice(0);
  const second = await cli(["token", "--scope", "https://storage.azure.com/.default", "--silent"]);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(decodeJwt(second.stdout.trim()).aud, "https://storage.azure.com");
  assert.ok(methods().includes("acquireTokenSilently"));
  assert.ok(!methods().includes("acquireTokenInteractively"), "no second sign-in");
});

test("accounts lists the broker's accounts; logout signs one out of the broker", async () => {
  const other = authority.users[1];
  const signIn = await cli(["token", "--scope", SCOPE, "--username", other.username]);
  assert.equal(signIn.code, 0, signIn.stderr);

  const listed = await cli(["accounts", "--json"]);
  assert.equal(listed.code, 0, listed.stderr);
  const accounts = JSON.parse(listed.stdout);
  const names = accounts.map((a) => a.username).sort();
  assert.deepEqual(names, [user.username, other.username].sort());
  for (const a of accounts) assert.ok(a.sources.includes("broker") && a.nativeAccountId, JSON.stringify(a));
  const plain = await cli(["accounts"]);
  assert.equal(plain.stdout.trim().split("\n").length, 2);
  assert.match(plain.stdout, new RegExp(`^${other.username}\\t`, "m"));

  // Two accounts now: token needs to be told which.
  const ambiguous = await cli(["token", "--scope", SCOPE, "--silent"]);
  assert.equal(ambiguous.code, 2);
  assert.match(ambiguous.stderr, /several accounts are signed in .*--username/);

  // A sign-out the broker refuses in its reply is an error, and the account stays.
  broker.script("removeAccount", { kind: "status", status: 4 });
  const refused = await cli(["logout", "--username", other.username]);
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(refused.stderr, /no_network_connectivity/);
  assert.equal(broker.accounts.length, 2);

  broker.calls.splice(0);
  const out = await cli(["logout", "--username", other.username.toUpperCase()]);
  assert.equal(out.code, 0, out.stderr);
  assert.equal(out.stdout, `${other.username}\n`);
  assert.ok(methods().includes("removeAccount"));
  assert.deepEqual(
    broker.accounts.map((a) => a.username),
    [user.username],
  );

  const missing = await cli(["logout", "--username", other.username]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no signed-in account is named/);

  const all = await cli(["logout", "--all", "--json"]);
  assert.equal(all.code, 0, all.stderr);
  assert.deepEqual(JSON.parse(all.stdout), [user.username]);
  assert.equal(broker.accounts.length, 0);
  const none = await cli(["accounts", "--json"]);
  assert.deepEqual(JSON.parse(none.stdout), []);
  assert.match(none.stderr, /no accounts are signed in/);
});

test("a broker error surfaces with its code and exit 1; a cancelled broker sign-in exits 3", async () => {
  broker.script("acquireTokenInteractively", { kind: "status", status: 5 });
  const failed = await cli(["token", "--scope", SCOPE, "--username", "nobody@example.com"]);
  assert.equal(failed.code, 1, failed.stderr);
  assert.match(failed.stderr, /^entra-broker token: AuthenticationError \[server_unavailable\]/m);
  broker.script("acquireTokenInteractively", { kind: "status", status: 7 });
  const cancelled = await cli(["token", "--scope", SCOPE, "--username", "nobody@example.com"]);
  assert.equal(cancelled.code, 3, cancelled.stderr);
  assert.match(cancelled.stderr, /\[user_canceled\]/);
});

test("--no-broker keeps the broker out of it", async () => {
  const { code, stdout, stderr } = await cli(["accounts", "--no-broker", "--json"]);
  assert.equal(code, 0, stderr);
  assert.deepEqual(JSON.parse(stdout), []);
  assert.deepEqual(methods(), []);
});
