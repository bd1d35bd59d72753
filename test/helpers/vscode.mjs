// What VS Code leaves behind for the VS Code credential tests: its "Azure: Sign In" on a machine
// with a broker (a broker sign-in with VS Code's client id), and the record the Azure Resources
// extension exports, exactly as it writes it (authority as a URL, no version).
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { InteractiveBrowserBrokerCredential } from "entra-broker";

const { VSCODE_CLIENT_ID } = createRequire(import.meta.url)("../../dist/internal.js");

/** Signs the broker's user in with VS Code's client id (the broker on DBUS_SESSION_BUS_ADDRESS); resolves to the record. */
export function signInAsVsCode(authority, scope) {
  return new InteractiveBrowserBrokerCredential({
    clientId: VSCODE_CLIENT_ID,
    authorityHost: authority.url,
    authorityCa: authority.ca,
    tenantId: authority.tenants[0].tenantId,
    parentWindowHandle: Buffer.alloc(8),
    openBrowser: async () => assert.fail("no browser with a broker"),
  }).authenticate(scope);
}

/** Writes `record` (or a string as is) where the extension writes it under `home` (`dir`: `.azure`, or `.Azure`); returns the path. */
export function writeExtensionRecord(home, record, dir = ".azure") {
  const file = path.join(home, dir, "ms-azuretools.vscode-azureresourcegroups", "authRecord.json");
  mkdirSync(path.dirname(file), { recursive: true });
  const exported = {
    username: record.username,
    authority: "https://login.microsoftonline.com",
    homeAccountId: record.homeAccountId,
    tenantId: record.tenantId,
    clientId: VSCODE_CLIENT_ID,
  };
  writeFileSync(file, typeof record === "string" ? record : JSON.stringify(exported, null, 2));
  return file;
}
