// VisualStudioCodeCredential end to end: the record the Azure Resources extension exports, written
// in a temporary HOME; VS Code's sign-in made through the OS broker (the stand-in Linux broker on a
// private D-Bus, talking to the dev authority) with VS Code's client id; then our credential gets
// tokens silently from that broker account. VS Code itself cannot run here.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { AzureLogger, setLogLevel } from "@azure/logger";
import { ChainedTokenCredential, CredentialUnavailableError, InvalidArgumentError, VisualStudioCodeCredential } from "entra-broker";
import { startBrokerWorld, startPrivateBus } from "../helpers/privateBus.mjs";
import { decodeJwt } from "../helpers/signIn.mjs";
import { signInAsVsCode, writeExtensionRecord as writeRecord } from "../helpers/vscode.mjs";

const require = createRequire(import.meta.url);
const { VSCODE_CLIENT_ID, vscodeAuthRecordPaths } = require("../../dist/internal.js");
const ARM = "https://management.azure.com/.default";
const STORAGE = "https://storage.azure.com/.default";

let world;
let authority;
let broker;
let home;
let savedHome;
let signedIn; // VS Code's sign-in through the broker: its AuthenticationRecord

before(async () => {
  world = await startBrokerWorld();
  ({ authority, broker } = world);
  savedHome = process.env.HOME;
  home = mkdtempSync(path.join(tmpdir(), "entra-broker-vscode-"));
  process.env.HOME = home;
  signedIn = await signInAsVsCode(authority, ARM);
});
after(async () => {
  process.env.HOME = savedHome;
  rmSync(home, { recursive: true, force: true });
  await world?.stop();
});
beforeEach(() => {
  rmSync(path.join(home, ".azure"), { recursive: true, force: true });
  rmSync(path.join(home, ".Azure"), { recursive: true, force: true });
  broker.calls.splice(0);
});

/** The record exactly as the Azure Resources extension writes it. */
function writeExtensionRecord(record = signedIn, dir = ".azure") {
  return writeRecord(home, record, dir);
}

const credential = (options = {}) =>
  new VisualStudioCodeCredential({ authorityHost: authority.url, authorityCa: authority.ca, ...options });
const brokerMethods = () => broker.calls.map((c) => c.method).filter((m) => m !== "getLinuxBrokerVersion");

function unavailable(code, pattern) {
  return (e) => {
    assert.ok(e instanceof CredentialUnavailableError, `${e?.name}: ${e?.message}`);
    assert.equal(e.code, code, e.message);
    if (pattern) assert.match(e.message, pattern);
    return true;
  };
}

test("the record is looked for where the extension writes it: ~/.azure, then ~/.Azure", () => {
  assert.deepEqual(vscodeAuthRecordPaths("/h"), [
    "/h/.azure/ms-azuretools.vscode-azureresourcegroups/authRecord.json",
    "/h/.Azure/ms-azuretools.vscode-azureresourcegroups/authRecord.json",
  ]);
});

test("VS Code not signed in (no record): CredentialUnavailableError saying to sign in with the Azure Resources extension", async () => {
  await assert.rejects(credential().getToken(ARM), unavailable("VSCODE_NOT_SIGNED_IN", /Azure Resources extension/));
  assert.ok(!brokerMethods().some((m) => m.startsWith("acquireToken")), "no token asked of the broker");
});

test("signed in: a token for VS Code's account from the broker, silently; the next is from memory, another scope one silent call", async (t) => {
  writeExtensionRecord();
  const cred = credential();
  const token = await cred.getToken(ARM);
  const claims = decodeJwt(token.token);
  assert.equal(claims.oid, signedIn.homeAccountId.split(".")[0]);
  assert.equal(claims.aud, "https://management.azure.com");
  assert.equal(token.tokenType, "Bearer");
  assert.deepEqual(brokerMethods(), ["getAccounts", "acquireTokenSilently"], "never interactive");
  const silent = broker.calls.find((c) => c.method === "acquireTokenSilently");
  assert.equal(silent.request.authParameters.clientId, VSCODE_CLIENT_ID);
  assert.equal(silent.request.authParameters.account.homeAccountId, signedIn.nativeAccountId);
  broker.calls.splice(0);
  const started = process.hrtime.bigint();
  const again = await cred.getToken(ARM);
  const elapsedUs = Number(process.hrtime.bigint() - started) / 1000;
  assert.equal(again.token, token.token);
  assert.deepEqual(brokerMethods(), [], "served from memory");
  t.diagnostic(`second getToken, same scope: ${elapsedUs.toFixed(0)} µs (memory)`);
  const storage = await cred.getToken(STORAGE);
  assert.equal(decodeJwt(storage.token).aud, "https://storage.azure.com");
  assert.deepEqual(brokerMethods(), ["acquireTokenSilently"], "the broker account was kept: no second getAccounts");
});

test("the record under ~/.Azure is found too", async () => {
  writeExtensionRecord(signedIn, ".Azure");
  const token = await credential().getToken(ARM);
  assert.equal(decodeJwt(token.token).oid, signedIn.homeAccountId.split(".")[0]);
});

test("a record the broker holds no account for: VSCODE_NOT_SIGNED_IN, and no token", async () => {
  const other = authority.users[2];
  writeExtensionRecord({ ...signedIn, username: other.username, homeAccountId: `${other.objectId}.${other.homeTenantId}` });
  await assert.rejects(credential().getToken(ARM), unavailable("VSCODE_NOT_SIGNED_IN", /sign in to Azure in VS Code/));
  assert.deepEqual(brokerMethods(), ["getAccounts"]);
});

test("the broker asking for a new sign-in (silent status 'interaction required') is VSCODE_NOT_SIGNED_IN, with the broker's reply as cause", async () => {
  writeExtensionRecord();
  broker.script("acquireTokenSilently", { kind: "status", status: 2 });
  await assert.rejects(credential().getToken(ARM), (e) => unavailable("VSCODE_NOT_SIGNED_IN")(e) && !!e.cause);
  assert.ok(!brokerMethods().includes("acquireTokenInteractively"));
});

test("an unreadable record: VSCODE_AUTH_RECORD_INVALID naming the file, not a crash", async () => {
  const file = writeExtensionRecord("{ not json");
  await assert.rejects(credential().getToken(ARM), unavailable("VSCODE_AUTH_RECORD_INVALID", new RegExp(file.replace(/[.]/g, "\\."))));
  writeExtensionRecord(JSON.stringify({ username: "a@b.example", tenantId: "t" }));
  await assert.rejects(credential().getToken(ARM), unavailable("VSCODE_AUTH_RECORD_INVALID", /homeAccountId/));
});

test("no OS broker: VSCODE_BROKER_UNAVAILABLE saying what to use instead", async () => {
  writeExtensionRecord();
  const empty = await startPrivateBus(); // a session bus with no broker on it
  const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
  process.env.DBUS_SESSION_BUS_ADDRESS = empty.address;
  try {
    await assert.rejects(credential().getToken(ARM), unavailable("VSCODE_BROKER_UNAVAILABLE", /broker/));
  } finally {
    process.env.DBUS_SESSION_BUS_ADDRESS = saved;
    await empty.stop();
  }
});

test("tenants: ADFS is unavailable (as the anchor's), a bad tenant id is a typed error at construction, a call's tenant follows the tenant rule", async () => {
  writeExtensionRecord();
  await assert.rejects(credential({ tenantId: "adfs" }).getToken(ARM), unavailable("VSCODE_TENANT_UNSUPPORTED"));
  assert.throws(
    () => credential({ tenantId: "bad tenant!" }),
    (e) => e instanceof InvalidArgumentError && e.code === "INVALID_TENANT_ID",
  );
  const contoso = authority.tenants[0].tenantId;
  const fabrikam = authority.tenants[1].tenantId;
  await assert.rejects(credential({ tenantId: contoso }).getToken(ARM, { tenantId: fabrikam }), unavailable("TENANT_NOT_ALLOWED"));
  const token = await credential({ tenantId: contoso, additionallyAllowedTenants: [fabrikam] }).getToken(ARM, { tenantId: fabrikam });
  assert.equal(decodeJwt(token.token).tid, fabrikam);
});

test("in a chain, VS Code not signed in hands over to the next credential", async () => {
  const next = { getToken: async () => ({ token: "next", expiresOnTimestamp: Date.now() + 60_000 }) };
  const token = await new ChainedTokenCredential(credential(), next).getToken(ARM);
  assert.equal(token.token, "next");
});

test("verbose logs carry neither the token nor the username", async () => {
  writeExtensionRecord();
  const lines = [];
  const savedLog = AzureLogger.log;
  AzureLogger.log = (...args) => lines.push(args.join(" "));
  setLogLevel("verbose");
  try {
    const token = await credential().getToken(STORAGE);
    const text = lines.join("\n");
    assert.ok(lines.length > 0, "something was logged");
    assert.ok(!text.includes(token.token), "the token is not logged");
    assert.ok(!text.includes(signedIn.username), "the username is not logged");
  } finally {
    setLogLevel("warning");
    AzureLogger.log = savedLog;
  }
});
