// The options `token`, `accounts` and `logout` share: which app, tenant and authority, whether the
// broker is used, and which persisted cache. Checked here so a bad value names its flag.
import { readFileSync } from "node:fs";
import type { AuthenticationRecord } from "../authenticationRecord";
import { checkCacheName } from "../cache/persistence/locations";
import { InteractiveBrowserBrokerCredential } from "../credentials/interactiveBrowserBrokerCredential";
import { InteractiveBrowserCredential } from "../credentials/interactiveBrowserCredential";
import type { InteractiveCredentialOptions, TokenCachePersistenceOptions } from "../credentials/options";
import { DEVELOPER_SIGN_ON_CLIENT_ID } from "../credentials/createTokenService";
import type { SignedInAccount } from "../index";
import { checkClientId, checkTenantId, normalizeAuthorityHost } from "../util/validation";
import { checkedArg, CliError, stringArg, type OptionSpec, type ParsedArgs } from "./command";
import { EXIT } from "./exitCodes";
import { cliPersistence } from "./persistence";

/** The CLI keeps its own persisted cache, apart from apps' (whose default is persistence's DEFAULT_CACHE_NAME). */
export const CLI_CACHE_NAME = "entra-broker-cli";

export const ACCOUNT_OPTIONS: OptionSpec = {
  tenant: { type: "string" },
  "client-id": { type: "string" },
  "authority-host": { type: "string" },
  "authority-ca": { type: "string" },
  "no-broker": { type: "boolean" },
  "cache-name": { type: "string" },
  "allow-unencrypted-cache": { type: "boolean" },
  json: { type: "boolean" },
};

export const ACCOUNT_OPTIONS_HELP = `  --tenant T              tenant id or domain (default: organizations; common with --client-id)
  --client-id ID          the app registration's client id (default: ${DEVELOPER_SIGN_ON_CLIENT_ID}, the Azure CLI's)
  --authority-host URL    https authority (default: AZURE_AUTHORITY_HOST or https://login.microsoftonline.com)
  --authority-ca FILE     a PEM CA to trust for the authority only (the path "entra-broker-devtools dev-authority" prints)
  --no-broker             do not use the OS broker: browser and msal cache only
  --cache-name NAME       the persisted token cache to use (default: ${CLI_CACHE_NAME})
  --allow-unencrypted-cache  keep the cache in a 0600 file when no secret store is usable
  --json                  print the result as JSON`;

export interface AccountArgs {
  tenantId?: string;
  clientId?: string;
  authorityHost?: string;
  authorityCa?: string;
  broker: boolean;
  cacheName: string;
  allowUnencrypted: boolean;
  json: boolean;
}

export function accountArgs(args: ParsedArgs): AccountArgs {
  const tenantId = stringArg(args, "tenant");
  if (tenantId !== undefined) checkedArg("--tenant", () => checkTenantId(tenantId));
  const clientId = stringArg(args, "client-id");
  if (clientId !== undefined) checkedArg("--client-id", () => checkClientId(clientId));
  const host = stringArg(args, "authority-host");
  const authorityHost = host === undefined ? undefined : checkedArg("--authority-host", () => normalizeAuthorityHost(host));
  const cacheName = stringArg(args, "cache-name") ?? CLI_CACHE_NAME;
  checkedArg("--cache-name", () => checkCacheName(cacheName));
  const caFile = stringArg(args, "authority-ca");
  return {
    tenantId,
    clientId,
    authorityHost,
    authorityCa: caFile === undefined ? undefined : readCa(caFile),
    broker: !args["no-broker"],
    cacheName,
    allowUnencrypted: !!args["allow-unencrypted-cache"],
    json: !!args.json,
  };
}

function readCa(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(`--authority-ca: cannot read ${file}: ${(error as Error).message}`, "CLI_INVALID_OPTION");
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----"))
    throw new CliError(`--authority-ca: ${file} holds no PEM certificate`, "CLI_INVALID_OPTION");
  return pem;
}

/** The credential options every command builds on; persistence is on when the store works here. */
export async function credentialOptions(a: AccountArgs): Promise<InteractiveCredentialOptions> {
  const persistence: TokenCachePersistenceOptions | undefined = await cliPersistence(a.cacheName, a.allowUnencrypted);
  return {
    tenantId: a.tenantId,
    clientId: a.clientId,
    authorityHost: a.authorityHost,
    authorityCa: a.authorityCa,
    tokenCachePersistenceOptions: persistence,
  };
}

/** Where `accounts` and `logout` find the accounts: the cache and, unless --no-broker, the OS broker. Signs nobody in. */
export function accountCredential(
  a: AccountArgs,
  options: InteractiveCredentialOptions,
): InteractiveBrowserCredential | InteractiveBrowserBrokerCredential {
  return a.broker ? new InteractiveBrowserBrokerCredential(options) : new InteractiveBrowserCredential(options);
}

/** `--username`: a sign-in name, not blank (an empty one would match no account and read as "none"). */
export function usernameArg(args: ParsedArgs): string | undefined {
  const username = stringArg(args, "username");
  if (username !== undefined && username.trim() === "")
    throw new CliError("--username: give the account's sign-in name, e.g. ada@contoso.example", "CLI_INVALID_OPTION");
  return username;
}

/** The known account named `username` (any case), or undefined. */
export function findAccount(accounts: SignedInAccount[], username: string): SignedInAccount | undefined {
  const wanted = username.toLowerCase();
  return accounts.find((a) => a.username.toLowerCase() === wanted);
}

/** The account `token` uses silently: the one named, or the only one known. */
export function pickAccount(accounts: SignedInAccount[], username: string | undefined): SignedInAccount | undefined {
  if (username !== undefined) return findAccount(accounts, username);
  if (accounts.length <= 1) return accounts[0];
  throw new CliError(
    `several accounts are signed in (${accounts.map((a) => a.username).join(", ")}): choose one with --username`,
    "CLI_AMBIGUOUS_ACCOUNT",
    EXIT.usage,
  );
}

/** The JSON shape of an account in `accounts --json` and `token --json`. */
export function accountJson(account: SignedInAccount | AuthenticationRecord): Record<string, unknown> {
  const a = account as Partial<SignedInAccount>;
  return {
    username: a.username,
    ...(a.name ? { name: a.name } : {}),
    homeAccountId: a.homeAccountId,
    tenantId: a.tenantId,
    ...(a.tenantIds && a.tenantIds.length > 1 ? { tenantIds: a.tenantIds } : {}),
    authority: a.authority,
    ...(a.nativeAccountId ? { nativeAccountId: a.nativeAccountId } : {}),
    ...(a.sources ? { sources: a.sources } : {}),
  };
}
