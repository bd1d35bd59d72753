// The stand-in broker out of process: driven through its control interface, exiting or being killed
// mid-call (the client sees NoReply), D-Bus activation from a .service file, and its command line.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync, statSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { startPrivateBus, startTestAuthority } from "../helpers/privateBus.mjs";

const require = createRequire(import.meta.url);
const dbus = require("dbus-next");
const {
  startStandInBrokerProcess,
  standInBrokerServiceFile,
  STAND_IN_BROKER_MAIN,
  BROKER_BUS_NAME,
  BROKER_OBJECT_PATH,
  BROKER_INTERFACE,
  CONTROL_INTERFACE,
  CONTROL_OBJECT_PATH,
} = require("entra-broker-devtools/stand-in-broker");

const CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

async function call(bus, member, request, destination = BROKER_BUS_NAME) {
  const reply = await bus.call(
    new dbus.Message({
      destination,
      path: BROKER_OBJECT_PATH,
      interface: BROKER_INTERFACE,
      member,
      signature: "sss",
      body: ["0.0", randomUUID(), JSON.stringify(request)],
    }),
  );
  return JSON.parse(reply.body[0]);
}

async function busDaemon(bus, member, signature = "", body = []) {
  const reply = await bus.call(
    new dbus.Message({
      destination: "org.freedesktop.DBus",
      path: "/org/freedesktop/DBus",
      interface: "org.freedesktop.DBus",
      member,
      signature,
      body,
    }),
  );
  return reply.body[0];
}

const isAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitFor(predicate, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const interactiveRequest = (tenant) => ({
  authParameters: {
    account: null,
    authority: `https://127.0.0.1/${tenant}`,
    authorizationType: 6,
    clientId: CLIENT_ID,
    redirectUri: "https://login.microsoftonline.com/common/oauth2/nativeclient",
    requestedScopes: ["https://graph.microsoft.com/.default"],
    username: "",
  },
});

let authority;
let ada;
before(async () => {
  authority = await startTestAuthority();
  ada = authority.users.find((u) => u.username === "ada@contoso.example");
});
after(async () => {
  await authority?.stop();
});

describe("out-of-process stand-in", () => {
  let bus;
  let client;
  before(async () => {
    bus = await startPrivateBus();
    client = dbus.sessionBus({ busAddress: bus.address });
  });
  after(async () => {
    client?.disconnect();
    await bus?.stop();
  });

  const start = () =>
    startStandInBrokerProcess({
      busAddress: bus.address,
      authority: { url: authority.url, ca: authority.ca },
      user: { username: ada.username, password: ada.password },
      version: "3.0.1",
    });

  test("serves the broker and is scripted and inspected through its control interface", async () => {
    const sib = await start();
    try {
      assert.equal(await busDaemon(client, "GetNameOwner", "s", [BROKER_BUS_NAME]), sib.uniqueName);
      assert.deepEqual(await call(client, "getLinuxBrokerVersion", {}), { linuxBrokerVersion: "3.0.1" });
      const reply = await call(client, "acquireTokenInteractively", interactiveRequest(ada.homeTenantId));
      assert.equal(reply.brokerTokenResponse.account.username, ada.username, JSON.stringify(reply));
      assert.deepEqual(
        (await sib.accounts()).map((a) => a.username),
        [ada.username],
      );
      await sib.script("getAccounts", { kind: "status", status: 4 }, 2);
      assert.equal((await call(client, "getAccounts", {})).error.status, 4);
      assert.equal((await call(client, "getAccounts", {})).error.status, 4);
      assert.equal((await call(client, "getAccounts", {})).accounts.length, 1);
      const calls = await sib.calls();
      assert.deepEqual(
        calls.map((c) => c.method),
        ["getLinuxBrokerVersion", "acquireTokenInteractively", "getAccounts", "getAccounts", "getAccounts"],
      );
      assert.equal(calls[1].request.authParameters.authorizationType, 6);
    } finally {
      await sib.stop();
    }
    assert.equal(await busDaemon(client, "NameHasOwner", "s", [BROKER_BUS_NAME]), false);
  });

  test("a scripted exit ends the process mid-call: the client sees NoReply", async () => {
    const sib = await start();
    try {
      await sib.script("acquireTokenSilently", { kind: "exit" });
      await assert.rejects(
        call(client, "acquireTokenSilently", { authParameters: { clientId: CLIENT_ID, requestedScopes: ["x"] } }),
        (e) => e.type === "org.freedesktop.DBus.Error.NoReply",
      );
      const { code } = await sib.exited;
      assert.equal(code, 0);
      assert.equal(await busDaemon(client, "NameHasOwner", "s", [BROKER_BUS_NAME]), false);
    } finally {
      await sib.stop();
    }
  });

  test("a broker killed during a slow interactive call: NoReply", async () => {
    const sib = await start();
    try {
      await sib.script("acquireTokenInteractively", { kind: "slow", delayMs: 30_000 });
      const pending = call(client, "acquireTokenInteractively", interactiveRequest("organizations"));
      await waitFor(async () => (await sib.calls()).length > 0, "the call to arrive");
      sib.process.kill("SIGKILL");
      await assert.rejects(pending, (e) => e.type === "org.freedesktop.DBus.Error.NoReply");
      assert.equal((await sib.exited).signal, "SIGKILL");
    } finally {
      await sib.stop();
    }
  });

  test("with a state file, accounts outlive a restart and still sign in silently", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "entra-broker-stand-in-state-"));
    const stateFile = path.join(dir, "accounts.json");
    const withState = () =>
      startStandInBrokerProcess({ busAddress: bus.address, authority: { url: authority.url, ca: authority.ca }, user: ada, stateFile });
    try {
      const first = await withState();
      try {
        await call(client, "acquireTokenInteractively", interactiveRequest(ada.homeTenantId));
      } finally {
        await first.stop();
      }
      assert.equal(statSync(stateFile).mode & 0o777, 0o600, "the refresh tokens rest in a 0600 file");
      const second = await withState();
      try {
        const { accounts } = await call(client, "getAccounts", { clientId: CLIENT_ID });
        assert.deepEqual(
          accounts.map((a) => a.username),
          [ada.username],
        );
        const silent = await call(client, "acquireTokenSilently", {
          authParameters: { ...interactiveRequest(ada.homeTenantId).authParameters, account: accounts[0], authorizationType: 8 },
        });
        assert.ok(silent.brokerTokenResponse?.accessToken, JSON.stringify(silent).slice(0, 300));
        await call(client, "removeAccount", { account: accounts[0], clientId: CLIENT_ID });
      } finally {
        await second.stop();
      }
      assert.deepEqual(JSON.parse(readFileSync(stateFile, "utf8")), [], "sign-out is kept too");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("with no broker and nothing activatable, a call is ServiceUnknown", async () => {
    await assert.rejects(call(client, "getAccounts", {}), (e) => e.type === "org.freedesktop.DBus.Error.ServiceUnknown");
  });
});

describe("D-Bus activation from a .service file", () => {
  let serviceDir;
  let bus;
  let client;
  before(async () => {
    serviceDir = mkdtempSync(path.join(tmpdir(), "entra-broker-services-"));
    writeFileSync(
      path.join(serviceDir, `${BROKER_BUS_NAME}.service`),
      standInBrokerServiceFile({
        authorityUrl: authority.url,
        caFile: authority.caPath,
        user: { username: ada.username, password: ada.password },
        accountShape: "withAccount",
      }),
    );
    bus = await startPrivateBus({ serviceDir });
    client = dbus.sessionBus({ busAddress: bus.address });
  });
  after(async () => {
    client?.disconnect();
    await bus?.stop();
    rmSync(serviceDir, { recursive: true, force: true });
  });

  test("the name has no owner but is activatable until the first call", async () => {
    assert.equal(await busDaemon(client, "NameHasOwner", "s", [BROKER_BUS_NAME]), false);
    assert.ok((await busDaemon(client, "ListActivatableNames")).includes(BROKER_BUS_NAME));
  });

  test("the first call starts the broker, which answers it and signs in", async () => {
    assert.deepEqual(await call(client, "getLinuxBrokerVersion", { msalCppVersion: "1.28.0" }), { linuxBrokerVersion: "2.0.4" });
    assert.equal(await busDaemon(client, "NameHasOwner", "s", [BROKER_BUS_NAME]), true);
    const reply = await call(client, "acquireTokenInteractively", interactiveRequest(ada.homeTenantId));
    assert.equal(reply.brokerTokenResponse.account?.username, ada.username, JSON.stringify(reply));
    const { accounts } = await call(client, "getAccounts", { clientId: CLIENT_ID });
    assert.equal(accounts.length, 1);
  });

  test("the activated broker stops through its control interface, and is activated again", async () => {
    const pid = await busDaemon(client, "GetConnectionUnixProcessID", "s", [BROKER_BUS_NAME]);
    assert.ok(isAlive(pid));
    await client.call(
      new dbus.Message({ destination: BROKER_BUS_NAME, path: CONTROL_OBJECT_PATH, interface: CONTROL_INTERFACE, member: "Stop" }),
    );
    await waitFor(() => !isAlive(pid), "the activated broker to exit");
    assert.equal(await busDaemon(client, "NameHasOwner", "s", [BROKER_BUS_NAME]), false);
    // A new process: its accounts started empty.
    assert.deepEqual(await call(client, "getAccounts", { clientId: CLIENT_ID }), { accounts: [] });
    const pid2 = await busDaemon(client, "GetConnectionUnixProcessID", "s", [BROKER_BUS_NAME]);
    assert.notEqual(pid2, pid);
  });
});

test("a service file carries awkward arguments through D-Bus's Exec parsing intact", async () => {
  const version = `3.0 "beta's" $HOME \\x \\\\ %u`;
  const dir = mkdtempSync(path.join(tmpdir(), "entra-broker-services-"));
  writeFileSync(
    path.join(dir, `${BROKER_BUS_NAME}.service`),
    standInBrokerServiceFile({ authorityUrl: authority.url, caFile: authority.caPath, version }),
  );
  const bus = await startPrivateBus({ serviceDir: dir });
  const client = dbus.sessionBus({ busAddress: bus.address });
  try {
    assert.deepEqual(await call(client, "getLinuxBrokerVersion", {}), { linuxBrokerVersion: version });
  } finally {
    client.disconnect();
    await bus.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("command line", () => {
  // Never the caller's real session bus.
  const run = (args, env = {}) => {
    const base = { ...process.env, DBUS_SESSION_BUS_ADDRESS: "", DBUS_STARTER_ADDRESS: "" };
    delete base.ENTRA_BROKER_STAND_IN_PASSWORD;
    delete base.ENTRA_BROKER_STAND_IN_OPTIONS;
    return spawnSync(process.execPath, [STAND_IN_BROKER_MAIN, ...args], { encoding: "utf8", env: { ...base, ...env }, timeout: 20_000 });
  };

  test("missing or unknown options exit 2 with a message", () => {
    const none = run([]);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /--authority-url/);
    const unknown = run(["--authority-url", "https://127.0.0.1:1", "--ca-file", authority.caPath, "--frobnicate", "1"]);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown option --frobnicate/);
    const noPassword = run(["--authority-url", "https://127.0.0.1:1", "--ca-file", authority.caPath, "--user", "a@b"]);
    assert.equal(noPassword.status, 2);
    assert.match(noPassword.stderr, /--user needs --password/);
    const badShape = run(["--authority-url", "https://127.0.0.1:1", "--ca-file", authority.caPath, "--account-shape", "round"]);
    assert.equal(badShape.status, 2);
  });

  test("without a bus it fails with a message, not a hang", () => {
    const r = run(["--authority-url", "https://127.0.0.1:1", "--ca-file", authority.caPath]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no bus address/);
  });
});
