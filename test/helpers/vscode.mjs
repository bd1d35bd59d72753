// What VS Code leaves behind for the VS Code credential tests: its "Azure: Sign In" on a machine
// with a broker (a broker sign-in with VS Code's client id), and the record the Azure Resources
// extension exports, exactly as it writes it (authority as a URL, no version).
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { brokerCredential } from "./brokerCredential.mjs";

const { VSCODE_CLIENT_ID } = createRequire(import.meta.url)("../../dist/internal.js");

/** Signs the broker's user in with VS Code's client id (the broker on DBUS_SESSION_BUS_ADDRESS); resolves to the record. */
export function signInAsVsCode(authority, scope) {
  return brokerCredential(authority, { clientId: VSCODE_CLIENT_ID }).authenticate(scope);
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
