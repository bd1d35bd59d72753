import { promises as fs } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import type { AuthenticationRecord } from "../authenticationRecord";
import { Failure } from "../failure";

/** VS Code's own public client id: the one its Microsoft sign-in (and the broker's accounts of it) use. */
export const VSCODE_CLIENT_ID = "aebc6443-996d-45c2-90f0-388ff96faa56";

/** The Azure Resources extension's id: it names the folder of the record it exports. */
const EXTENSION_ID = "ms-azuretools.vscode-azureresourcegroups";

const SIGN_IN_FIX = "sign in to Azure in VS Code with the Azure Resources extension (command 'Azure: Sign In')";

/**
 * Where the Azure Resources extension exports the account VS Code signed in with, in the order
 * `@azure/identity-vscode` and Azure.Identity (.NET) look: `~/.azure/...`, then `~/.Azure/...`.
 */
export function vscodeAuthRecordPaths(home = homedir()): string[] {
  return [".azure", ".Azure"].map((dir) => path.join(home, dir, EXTENSION_ID, "authRecord.json"));
}

/**
 * The account VS Code is signed in with, from the record the extension exported (it holds no
 * secret: username, home account id, tenant, client id, authority). Throws a Failure (kind
 * `unavailable`) saying what to do when there is none or it cannot be read.
 */
export async function loadVscodeAccount(): Promise<AuthenticationRecord> {
  const paths = vscodeAuthRecordPaths();
  for (const file of paths) {
    let text: string;
    try {
      text = await fs.readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") continue;
      throw unreadable(file, `it could not be read (${(error as NodeJS.ErrnoException).code ?? "error"})`, error);
    }
    return parseRecord(file, text);
  }
  throw new Failure("unavailable", "VSCODE_NOT_SIGNED_IN", "VS Code is not signed in to Azure: no account record was found.", {
    reason: `no ${paths.join(" or ")}`,
    fix: [SIGN_IN_FIX],
  });
}

/** The extension writes `authority` as a URL (`https://login.microsoftonline.com`); records elsewhere carry the host. */
function parseRecord(file: string, text: string): AuthenticationRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw unreadable(file, "it is not valid JSON", error);
  }
  const record = parsed as Record<string, unknown> | null;
  const field = (name: string): string => {
    const value = record?.[name];
    if (typeof value !== "string" || value.trim() === "") throw unreadable(file, `it has no "${name}"`);
    return value.trim();
  };
  const homeAccountId = field("homeAccountId");
  if (!/^[^.\s]+\.[^.\s]+$/.test(homeAccountId)) throw unreadable(file, 'its "homeAccountId" is not "<object id>.<tenant id>"');
  const authority = typeof record?.authority === "string" && record.authority ? record.authority : "login.microsoftonline.com";
  return {
    authority: authorityHost(file, authority),
    homeAccountId,
    clientId: typeof record?.clientId === "string" && record.clientId ? record.clientId : VSCODE_CLIENT_ID,
    tenantId: field("tenantId"),
    username: field("username"),
  };
}

function authorityHost(file: string, authority: string): string {
  if (!authority.includes("://")) return authority.replace(/\/+$/, "");
  try {
    return new URL(authority).host;
  } catch {
    throw unreadable(file, 'its "authority" is not a URL or host');
  }
}

function unreadable(file: string, why: string, cause?: unknown): Failure {
  return new Failure("unavailable", "VSCODE_AUTH_RECORD_INVALID", `VS Code's account record ${file} is unusable: ${why}.`, {
    reason: `${file}: ${why}`,
    fix: [`${SIGN_IN_FIX} again, which rewrites the record`],
    cause,
  });
}
