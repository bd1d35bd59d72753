// The main process: the only place entra-broker runs. It owns the credential, parents the broker's
// sign-in window to the app's window, keeps the account record between runs, and hands the renderer
// results, never tokens.
import { app, BrowserWindow, ipcMain, shell } from "electron";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import {
  AuthenticationRequiredError,
  InteractiveBrowserBrokerCredential,
  brokerStatus,
  deserializeAuthenticationRecord,
  serializeAuthenticationRecord,
  type AuthenticationRecord,
} from "entra-broker";
import type { SignInResult, SignInFailure } from "./shared";

// Your app registration (see README.md): its client id, and the tenant to sign in to.
const CLIENT_ID = process.env.ENTRA_CLIENT_ID ?? "00000000-0000-0000-0000-000000000000";
const TENANT_ID = process.env.ENTRA_TENANT_ID ?? "organizations";
const SCOPES = ["https://graph.microsoft.com/User.Read"];
// Must match build.appId in package.json: the macOS broker redirect URI is made from the bundle id.
const APP_ID = "com.example.entrabroker.electron";

const recordFile = () => path.join(app.getPath("userData"), "authentication-record.json");

function loadRecord(): AuthenticationRecord | undefined {
  if (!existsSync(recordFile())) return undefined;
  try {
    return deserializeAuthenticationRecord(readFileSync(recordFile(), "utf8"));
  } catch {
    return undefined; // unreadable: sign in again
  }
}

/**
 * The broker redirect URI registered for this platform. macOS: the bundle id of the process that
 * calls the broker, so the packaged app's id; `electron .` runs unsigned and uses the default.
 * Windows and Linux: the defaults (see README.md).
 */
function brokerRedirectUri(): string | undefined {
  if (process.platform === "darwin" && app.isPackaged) return `msauth.${APP_ID}://auth`;
  return undefined;
}

function createCredential(win: BrowserWindow): InteractiveBrowserBrokerCredential {
  return new InteractiveBrowserBrokerCredential({
    clientId: CLIENT_ID,
    tenantId: TENANT_ID,
    // HWND on Windows, NSView* on macOS, the X11 window on Linux: the broker's dialog is modal to it.
    parentWindowHandle: win.getNativeWindowHandle(),
    redirectUri: brokerRedirectUri(),
    authenticationRecord: loadRecord(),
    // Where there is no broker, the system browser opens through Electron's shell.
    openBrowser: (url) => shell.openExternal(url),
    tokenCachePersistenceOptions: { enabled: true, name: "entra-broker-electron-example" },
  });
}

function failure(error: unknown): SignInFailure {
  const e = error as { name?: string; code?: string; message?: string };
  return { ok: false, error: e.name ?? "Error", code: e.code, message: e.message ?? String(error) };
}

async function createWindow(): Promise<void> {
  const win = new BrowserWindow({
    width: 640,
    height: 420,
    webPreferences: { preload: path.join(__dirname, "preload.js"), contextIsolation: true, sandbox: true },
  });
  const credential = createCredential(win);

  ipcMain.handle("entra:sign-in", async (): Promise<SignInResult | SignInFailure> => {
    try {
      const record = await credential.authenticate(SCOPES);
      writeFileSync(recordFile(), serializeAuthenticationRecord(record), { mode: 0o600 });
      const status = brokerStatus();
      return { ok: true, username: record.username, tenantId: record.tenantId, broker: status.available ? status.broker : null };
    } catch (error) {
      return failure(error);
    }
  });

  ipcMain.handle("entra:whoami", async (): Promise<SignInResult | SignInFailure> => {
    try {
      // Silent: the cache, then the broker or the refresh token; a prompt only when one is needed.
      const token = await credential.getToken(SCOPES);
      const me = await fetch("https://graph.microsoft.com/v1.0/me", { headers: { authorization: `Bearer ${token.token}` } });
      const body = (await me.json()) as { userPrincipalName?: string; displayName?: string };
      const status = brokerStatus();
      return { ok: true, username: body.userPrincipalName ?? body.displayName ?? "(unknown)", broker: status.available ? status.broker : null };
    } catch (error) {
      if (error instanceof AuthenticationRequiredError) return { ok: false, error: error.name, message: "Sign in first." };
      return failure(error);
    }
  });

  await win.loadFile(path.join(__dirname, "..", "index.html"));
}

app.whenReady().then(createWindow, (error: unknown) => console.error(error));
app.on("window-all-closed", () => app.quit());
