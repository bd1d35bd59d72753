// The CLI across runs: a throw-away HOME with a real Secret Service (gnome-keyring) on a private
// session bus, so the persisted token cache carries the account from one process to the next.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { DevAuthority } from "entra-broker-devtools";
import { signInOverHttp } from "../helpers/devAuthorityBrowser.mjs";
import { getLoopback } from "../helpers/signIn.mjs";
import { startPrivateBus, startKeyring } from "../helpers/privateBus.mjs";
import { StandInBroker } from "entra-broker-devtools/stand-in-broker";
import { runCli, once, decodeJwt, SIGN_IN_URL } from "./cli.mjs";

const SCOPE = "https://graph.microsoft.com/.default";
let authority;
let user;
let bus;
let keyring;

before(async () => {
  authority = await DevAuthority.start();
  user = authority.users[0];
  bus = await startPrivateBus();
  keyring = await startKeyring(bus.address);
});
after(async () => {
  await keyring?.stop();
  await bus?.stop();
  await authority?.close();
});

function cli(args, options = {}) {
  const authorityArgs = ["--authority-host", authority.url, "--authority-ca", authority.caPath, "--tenant", authority.tenants[0].tenantId];
  return runCli([...args, "--no-broker", ...authorityArgs], {
    env: { ...keyring.env, DBUS_SESSION_BUS_ADDRESS: bus.address },
    timeoutMs: 90_000,
    ...options,
  });
}

test("an account signed in by one run is used silently by the next, listed, and signed out", async () => {
  const first = await cli(["token", "--scope", SCOPE], {
    onStderr: once(SIGN_IN_URL, async ([, url]) =>
      getLoopback(await signInOverHttp(url, { ca: authority.ca, username: user.username, password: user.password })),
    ),
  });
  assert.equal(first.code, 0, first.stderr);
  assert.doesNotMatch(first.stderr, /token cache: kept in memory only/);

  const tokenRequests = authority.counters.token;
  const second = await cli(["token", "--scope", SCOPE, "--silent", "--json"]);
  assert.equal(second.code, 0, second.stderr);
  assert.doesNotMatch(second.stderr, SIGN_IN_URL);
  const result = JSON.parse(second.stdout);
  assert.equal(decodeJwt(result.token).preferred_username, user.username);
  assert.equal(result.account.username, user.username);
  assert.equal(authority.counters.token, tokenRequests, "served from the persisted cache: no token request");

  const listed = await cli(["accounts", "--json"]);
  assert.equal(listed.code, 0, listed.stderr);
  const accounts = JSON.parse(listed.stdout);
  assert.equal(accounts.length, 1);
  assert.equal(accounts[0].username, user.username);
  assert.deepEqual(accounts[0].sources, ["cache"]);

  const out = await cli(["logout", "--username", user.username]);
  assert.equal(out.code, 0, out.stderr);
  assert.equal(out.stdout, `${user.username}\n`);

  const after = await cli(["accounts", "--json"]);
  assert.deepEqual(JSON.parse(after.stdout), []);
  const silent = await cli(["token", "--scope", SCOPE, "--silent"]);
  assert.equal(silent.code, 3, silent.stderr);
});

test("another --cache-name is another cache", async () => {
  const first = await cli(["token", "--scope", SCOPE, "--cache-name", "project-a"], {
    onStderr: once(SIGN_IN_URL, async ([, url]) =>
      getLoopback(await signInOverHttp(url, { ca: authority.ca, username: user.username, password: user.password })),
    ),
  });
  assert.equal(first.code, 0, first.stderr);
  assert.equal(JSON.parse((await cli(["accounts", "--json", "--cache-name", "project-a"])).stdout).length, 1);
  assert.equal(JSON.parse((await cli(["accounts", "--json", "--cache-name", "project-b"])).stdout).length, 0);
  assert.equal((await cli(["logout", "--all", "--cache-name", "project-a"])).code, 0);
});

test("doctor: addon, broker and secret store all there exits 0; the report names each", async () => {
  const broker = await StandInBroker.start({ busAddress: bus.address, authority: { url: authority.url, ca: authority.ca }, user });
  try {
    const { code, stdout, stderr } = await runCli(["doctor", "--json", "--client-id", "11111111-2222-3333-4444-555555555555"], {
      env: { ...keyring.env, DBUS_SESSION_BUS_ADDRESS: bus.address },
    });
    const report = JSON.parse(stdout);
    assert.equal(code, 0, `${stderr}\n${stdout}`);
    assert.equal(report.ok, true);
    assert.equal(report.persistence.backend, "libsecret");
    assert.equal(report.persistence.encrypted, true);
    assert.equal(report.broker.ok, true);
    assert.ok(report.redirectUris.some((r) => r.uri === "ms-appx-web://Microsoft.AAD.BrokerPlugin/11111111-2222-3333-4444-555555555555"));
  } finally {
    await broker.stop();
  }
});
