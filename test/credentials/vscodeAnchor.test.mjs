// The anchor's VisualStudioCodeCredential (@azure/identity 4.13) beside ours, against the same
// authRecord.json and the same broker account: the stand-in Linux broker on a private bus (with a
// Secret Service), VS Code's sign-in made in it with VS Code's client id, the dev authority.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { VisualStudioCodeCredential } from "entra-broker";
import { StandInBroker } from "entra-broker-devtools/stand-in-broker";
import { startKeyring, startPrivateBus, startTestAuthority } from "../helpers/privateBus.mjs";
import { decodeJwt } from "../helpers/signIn.mjs";
import { signInAsVsCode, writeExtensionRecord } from "../helpers/vscode.mjs";

const require = createRequire(import.meta.url);
const { VSCODE_CLIENT_ID } = require("../../dist/internal.js");
const CHILD = fileURLToPath(new URL("./vscodeAnchorChild.mjs", import.meta.url));
const ARM = "https://management.azure.com/.default";
const STORAGE = "https://storage.azure.com/.default";

let bus, keyring, authority, broker, home, recordPath, signedIn, savedBus, savedHome;

before(async () => {
  for (const mod of ["@azure/identity-vscode", "@azure/msal-node-extensions", "@azure/msal-node-runtime"]) {
    try {
      require.resolve(mod);
    } catch {
      assert.fail(`${mod} is not installed (a devDependency: npm install)`);
    }
  }
  bus = await startPrivateBus();
  keyring = await startKeyring(bus.address);
  authority = await startTestAuthority();
  const ada = authority.users[0];
  broker = await StandInBroker.start({ busAddress: bus.address, authority: { url: authority.url, ca: authority.ca }, user: ada });
  savedBus = process.env.DBUS_SESSION_BUS_ADDRESS;
  savedHome = process.env.HOME;
  process.env.DBUS_SESSION_BUS_ADDRESS = bus.address;
  home = mkdtempSync(path.join(tmpdir(), "entra-broker-vscode-anchor-"));
  process.env.HOME = home;
  signedIn = await signInAsVsCode(authority, ARM);
  recordPath = writeExtensionRecord(home, signedIn);
});
after(async () => {
  if (savedBus === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
  else process.env.DBUS_SESSION_BUS_ADDRESS = savedBus;
  process.env.HOME = savedHome;
  await broker?.stop();
  await authority?.stop();
  await keyring?.stop();
  await bus?.stop();
  rmSync(home, { recursive: true, force: true });
});

function runAnchor() {
  const env = { ...process.env, ...keyring.env, HOME: home, DBUS_SESSION_BUS_ADDRESS: bus.address, NODE_EXTRA_CA_CERTS: authority.caPath };
  const input = { authorityHost: authority.url, recordPath, scopes: [ARM, STORAGE] };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CHILD, JSON.stringify(input)], { env, timeout: 90_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`anchor child failed: ${error.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split("\n").pop()));
    });
  });
}

let ours;

test("ours: VS Code's account from the record, silently from the broker", async () => {
  broker.calls.splice(0);
  const cred = new VisualStudioCodeCredential({ authorityHost: authority.url, authorityCa: authority.ca });
  ours = decodeJwt((await cred.getToken(ARM)).token);
  assert.equal(ours.oid, signedIn.homeAccountId.split(".")[0]);
  assert.equal(ours.appid, VSCODE_CLIENT_ID);
  assert.ok(!broker.calls.some((c) => c.method === "acquireTokenInteractively"));
});

test("the anchor's: the registry's @azure/identity-vscode 1.0.1 cannot plug in; with the record path and MSALRuntime as its broker, the same account's tokens", async () => {
  broker.calls.splice(0);
  const out = await runAnchor();
  // 1.0.1 is the plugin of the retired Azure Account extension (keytar, "VS Code Azure"): it calls
  // a control 4.x no longer has, so the credential stays unavailable.
  assert.deepEqual(out.registryPlugin, {
    ok: false,
    name: "TypeError",
    message: "vsCodeCredentialControl.setVsCodeCredentialFinder is not a function",
  });
  for (const r of out.withRegistryPlugin) {
    assert.equal(r.name, "CredentialUnavailableError");
    assert.match(r.message, /installed the @azure\/identity-vscode package/);
  }
  // What the credential needs instead: the record's path and a broker plugin (MSALRuntime here,
  // finding the stand-in broker on the private bus).
  assert.equal(out.brokerAvailable, true, "MSALRuntime found the broker");
  const [arm, storage] = out.withBroker;
  assert.ok(arm.ok && storage.ok, JSON.stringify(out.withBroker));
  assert.deepEqual(
    { tid: arm.claims.tid, oid: arm.claims.oid, appid: arm.claims.appid, upn: arm.claims.upn },
    { tid: ours.tid, oid: ours.oid, appid: VSCODE_CLIENT_ID, upn: signedIn.username },
    "the same broker account as ours",
  );
  assert.equal(storage.claims.aud, "https://storage.azure.com");
  const methods = broker.calls.map((c) => c.method).filter((m) => m !== "getLinuxBrokerVersion");
  assert.ok(!methods.includes("acquireTokenInteractively"), "silent only");
  assert.equal(methods.filter((m) => m === "acquireTokenSilently").length, 2, JSON.stringify(methods));
});
