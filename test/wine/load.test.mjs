// The Windows addon under Wine: it loads in node.exe and in a host renamed electron.exe alone in
// its folder (the delay-load hook binds Node-API to the running exe), and with no WAM registered
// (stock Wine) it says so with the HRESULT and the broker credential signs in through the browser.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { createPrefix, explainRun, root } from "./wine.mjs";
import { startTestAuthority } from "../helpers/privateBus.mjs";

const script = (name) => path.join(root, "test", "wine", "scripts", name);
let prefix;
before(async () => {
  prefix = await createPrefix();
});
after(async () => {
  await prefix?.close();
});

function checkLoaded(run, exeName) {
  const r = run.result;
  assert.ok(r, explainRun(run));
  assert.equal(r.loadError, undefined, explainRun(run));
  assert.equal(r.backend, "wam");
  assert.match(r.execPath, new RegExp(`\\\\${exeName.replace(".", "\\.")}$`, "i"));
  assert.equal(r.before.platform, "win32");
  assert.equal(r.before.broker, "wam");
  assert.equal(r.before.addonLoaded, true);
  assert.match(r.before.addonPath, /prebuilds\\win32-x64\\entra-broker\.node$/);
  // No WAM in stock Wine: activation fails with REGDB_E_CLASSNOTREG.
  assert.equal(r.probe.ok, false);
  assert.equal(r.probe.code, "BROKER_UNAVAILABLE");
  assert.equal(r.probe.osCode, 0x80040154);
  assert.match(r.probe.message, /0x80040154/);
}

test("the addon loads in node.exe", async () => {
  const run = await prefix.node(script("loadStatus.cjs"));
  checkLoaded(run, "node.exe");
});

test("the same addon loads in a host named electron.exe, alone in its folder", async () => {
  const exe = prefix.hostCopy("electron.exe");
  const run = await prefix.node(script("loadStatus.cjs"), { exe });
  checkLoaded(run, "electron.exe");
});

test("no WAM registered: brokerStatus() says why, with the HRESULT, and the credential uses the browser", async () => {
  const authority = await startTestAuthority();
  try {
    const user = authority.users[0];
    const run = await prefix.node(script("fallback.mjs"), {
      env: { DEV_AUTHORITY: JSON.stringify({ url: authority.url, ca: authority.ca, tenantId: authority.tenants[0].tenantId, user }) },
    });
    const r = run.result;
    assert.ok(r, explainRun(run));
    assert.equal(r.error, undefined, explainRun(run));
    assert.equal(r.opened, 1, "signed in through the browser");
    assert.equal(r.username, user.username);
    assert.equal(r.status.available, false);
    assert.equal(r.status.broker, "wam");
    assert.match(r.status.reason, /0x80040154/);
    assert.ok(
      r.logged.some((l) => /No OS broker/.test(l) && /0x80040154/.test(l)),
      "the fallback is logged with its reason",
    );
  } finally {
    await authority.stop();
  }
});

// Issue 13 item 1: the DLL pins itself when it is loaded, not when a call's thread first runs.
test("loaded only by a worker that ends without a call, the addon stays mapped (pinned at load)", async () => {
  const run = await prefix.node(script("pinAtLoad.cjs"));
  const r = run.result;
  assert.ok(r, explainRun(run));
  assert.equal(r.workerCode, 0, explainRun(run));
  assert.ok(r.backend && !/^not loaded/.test(r.backend), explainRun(run));
  assert.equal(r.mapped.length, 1, `entra-broker.node is not mapped after the worker ended: ${explainRun(run)}`);
});
