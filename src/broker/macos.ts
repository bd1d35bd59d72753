// macOS: the Microsoft Enterprise SSO extension (Company Portal) through AuthenticationServices. The
// addon (native/mac/broker_mac.mm) sends one ASAuthorizationSingleSignOnRequest per call and hands
// back what came: this module says what to ask (operation + authorization options, the flat keys of
// MSAL's broker protocol) and reads the answer into msal's types. Facts: shared/research/wam-macos.md
// part B (B.2 operations and keys, errors).
//
// Requests (JSON the addon reads):
//   {identityProviderUrl, operation, options: {key: string}, accountFrom?: {operation, options, copy: string[]}}
// Replies:
//   availability  {canPerformAuthorization: true, identityProviderUrl, osVersion}
//   other         {operation, response: {header fields}} | {operation, error: NSErrorJson}
//
// The protocol is Microsoft's, undocumented and not a public contract; what the extension does with a
// request from an app without the broker key (B.3) is unconfirmed. Checked on Linux against fixtures
// shaped like MSAL's own parsing (test/unit/macosBroker.test.mjs), not against a real extension.
import type { AccountInfo, AuthenticationResult } from "@azure/msal-node";
import { hostOfAuthority } from "../util/authority";
import { accountFromIdToken } from "../util/idTokenAccount";
import { decodeBase64UrlJson, decodeJwt } from "../util/jwt";
import { macErrorToFailure, responseFailure, str, type MacBrokerError } from "./macosErrors";
import { badReply, brokerFailure, parseReplyJson, type BrokerAccountEntry, type BrokerPlatform, type BrokerRequest } from "./platform";

/** The broker redirect URI of unsigned apps, scripts and CLIs; signed apps register `msauth.<bundle id>://auth`. */
export { macErrorToFailure };

export const MACOS_REDIRECT_URI = "msauth.com.msauth.unsignedapp://auth";
/** The broker redirect URI of a signed app (its bundle id), or of unsigned apps. */
export const macosRedirectUri = (bundleId?: string) => (bundleId ? `msauth.${bundleId}://auth` : MACOS_REDIRECT_URI);

/** MSAL's provider URL (MSID_DEFAULT_AAD_AUTHORITY); the SSO profile lists the cloud's hosts. */
const DEFAULT_IDENTITY_PROVIDER = "https://login.microsoftonline.com/common";
const PROTOCOL_VERSION = "4";
const PROVIDER_TYPE = "provider_aad_v2";

/** An account as the extension lists it (MSIDAccount's JSON). */
interface MacAccount {
  home_account_id: string;
  username?: string;
  local_account_id?: string;
  environment?: string;
  realm?: string;
  name?: string;
  given_name?: string;
  family_name?: string;
  client_info?: string;
  [key: string]: unknown;
}

interface MacReply {
  operation?: string;
  /** The credential's header fields, keys lower-cased. */
  response?: Record<string, unknown>;
  error?: MacBrokerError;
}

function parseReply(text: string, what: string): MacReply {
  const reply = parseReplyJson<MacReply>(text, "The SSO extension", what);
  if (reply.response && typeof reply.response === "object") {
    reply.response = Object.fromEntries(Object.entries(reply.response).map(([k, v]) => [k.toLowerCase(), v]));
  }
  return reply;
}

/** A header field that holds JSON may arrive as the JSON text or already decoded. */
function jsonField(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** `success` is "1"/"0", "true"/"false", a bool or a number; absent means "look for an error". */
function succeeded(fields: Record<string, unknown>): boolean {
  const s = fields.success;
  if (s === undefined) return fields.error === undefined;
  return s === true || s === 1 || s === "1" || (typeof s === "string" && s.toLowerCase() === "true");
}

/** The header fields of a successful reply; anything else becomes msal's error. */
function successFields(reply: MacReply, what: string): Record<string, unknown> {
  if (reply.error) throw macErrorToFailure(reply.error);
  if (!reply.response) throw badReply(`The SSO extension's ${what} reply has neither a response nor an error.`);
  if (!succeeded(reply.response)) throw responseFailure(reply.response);
  return reply.response;
}

function identityProvider(authority: string): string {
  try {
    const url = new URL(authority);
    return url.protocol === "https:" ? `https://${url.host}/common` : DEFAULT_IDENTITY_PROVIDER;
  } catch {
    return DEFAULT_IDENTITY_PROVIDER;
  }
}

function commonOptions(request: BrokerRequest): Record<string, string> {
  return {
    msg_protocol_ver: PROTOCOL_VERSION,
    correlation_id: request.correlationId,
    client_id: request.clientId,
    authority: request.authority.replace(/\/+$/, ""),
    redirect_uri: request.redirectUri || MACOS_REDIRECT_URI,
    provider_type: PROVIDER_TYPE,
  };
}

function tokenOptions(request: BrokerRequest): Record<string, string> {
  const extra =
    request.extraParameters && Object.keys(request.extraParameters).length > 0
      ? new URLSearchParams(request.extraParameters).toString()
      : undefined;
  return {
    ...commonOptions(request),
    scope: request.scopes.join(" "),
    ...(request.claims ? { claims: request.claims } : {}),
    ...(extra ? { extra_query_param: extra } : {}),
  };
}

function toAccountInfo(account: MacAccount, idTokenClaims?: Record<string, unknown>): AccountInfo {
  const [oid, tid] = account.home_account_id.split(".");
  return {
    homeAccountId: account.home_account_id,
    environment: account.environment ?? "login.microsoftonline.com",
    tenantId: account.realm ?? tid ?? "",
    username: account.username ?? "",
    localAccountId: account.local_account_id ?? oid ?? "",
    name: account.name,
    nativeAccountId: account.home_account_id,
    idTokenClaims: idTokenClaims,
  };
}

/** The accounts of a get_accounts reply: `accounts` (a JSON array, maybe as text) or `response_data.accounts`. */
function accountList(fields: Record<string, unknown>): MacAccount[] {
  let list = jsonField(fields.accounts);
  if (list === undefined) {
    const data = jsonField(fields.response_data) as { accounts?: unknown } | undefined;
    list = data && typeof data === "object" ? jsonField(data.accounts) : undefined;
  }
  if (!Array.isArray(list)) throw badReply("The SSO extension's accounts reply has no account list.");
  return list.filter((a): a is MacAccount => !!a && typeof a === "object" && typeof (a as MacAccount).home_account_id === "string");
}

/** The last second a JavaScript Date can hold (8.64e15 ms). */
const MAX_DATE_SECONDS = 8.64e12;

function seconds(value: unknown): number | undefined {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 && n < MAX_DATE_SECONDS ? n : undefined;
}

export const macosBroker: BrokerPlatform = {
  backend: "macos-sso",
  defaultRedirectUri: () => MACOS_REDIRECT_URI,
  supportsPop: false, // PoP needs the request's req_cnf key pair: not implemented

  availabilityRequest: () => JSON.stringify({ identityProviderUrl: DEFAULT_IDENTITY_PROVIDER }),
  parseAvailability(reply) {
    const parsed = parseReply(reply, "availability") as { canPerformAuthorization?: unknown; osVersion?: unknown };
    if (parsed.canPerformAuthorization !== true)
      throw brokerFailure("server_refused", "platform_broker_error", "The SSO extension cannot perform authorization here.");
    return typeof parsed.osVersion === "string" && parsed.osVersion ? `SSO extension, macOS ${parsed.osVersion}` : "SSO extension";
  },

  accountsRequest(clientId) {
    return JSON.stringify({
      identityProviderUrl: DEFAULT_IDENTITY_PROVIDER,
      operation: "get_accounts_operation",
      options: { msg_protocol_ver: PROTOCOL_VERSION, ...(clientId ? { client_id: clientId } : {}), signed_in_accounts_only: "0" },
    });
  },
  parseAccounts(reply): BrokerAccountEntry[] {
    const fields = successFields(parseReply(reply, "accounts"), "accounts");
    return accountList(fields).map((a) => ({ info: toAccountInfo(a), raw: a }));
  },

  // The extension finds the account by home_account_id (and username) inside the token request.
  accountFor(nativeAccountId, account): MacAccount {
    return {
      home_account_id: nativeAccountId,
      ...(account?.username ? { username: account.username } : {}),
      environment: account?.environment,
      realm: account?.tenantId,
    };
  },

  tokenRequest(request, account, interactive) {
    const known = account as MacAccount | null;
    const options = tokenOptions(request);
    if (known) {
      options.home_account_id = known.home_account_id;
      if (known.username) options.username = known.username;
    } else if (request.loginHint) {
      options.username = request.loginHint;
    } else if (interactive) {
      options.prompt = "select_account";
    }
    return JSON.stringify({
      identityProviderUrl: identityProvider(request.authority),
      operation: interactive ? "login" : "refresh",
      options,
    });
  },
  defaultAccountRequest(request) {
    return JSON.stringify({
      identityProviderUrl: identityProvider(request.authority),
      operation: "refresh",
      options: tokenOptions(request),
      accountFrom: { operation: "get_default_account", options: commonOptions(request), copy: ["home_account_id", "username"] },
    });
  },
  parseToken(reply, request): AuthenticationResult {
    const parsed = parseReply(reply, "token");
    if (parsed.operation === "get_default_account") {
      // The addon answers with this first step only when it gave no account: sign in interactively.
      const details = parsed.error && typeof parsed.error === "object" ? { osError: `${parsed.error.domain} ${parsed.error.code}` } : {};
      throw brokerFailure("interaction_needed", "no_account_found", "The SSO extension has no default account on this Mac.", details);
    }
    const fields = successFields(parsed, "token");
    const accessToken = str(fields.access_token);
    if (!accessToken) throw badReply("The SSO extension answered success without an access token.");
    const expiresOn =
      seconds(fields.expires_on) ??
      (seconds(fields.expires_in) !== undefined ? Date.now() / 1000 + seconds(fields.expires_in)! : undefined);
    if (expiresOn === undefined || expiresOn >= MAX_DATE_SECONDS)
      throw badReply("The SSO extension's token has no valid expiry (expires_on, expires_in).");

    const idToken = str(fields.id_token) ?? "";
    const claims = decodeJwt(idToken).payload ?? {};
    const authority = str(fields.authority) ?? request.authority;
    const built = accountFromIdToken({
      claims,
      clientInfo: decodeBase64UrlJson(str(fields.client_info)),
      environment: hostOfAuthority(authority),
    });
    const account = { ...built, nativeAccountId: built.homeAccountId };
    const refreshOn = seconds(fields.refresh_on);
    const extExpiresOn = seconds(fields.ext_expires_on);
    return {
      authority: request.authority,
      uniqueId: account.localAccountId,
      tenantId: account.tenantId,
      scopes: (str(fields.scope) ?? request.scopes.join(" ")).split(" ").filter(Boolean),
      account,
      idToken,
      idTokenClaims: claims,
      accessToken,
      fromCache: false,
      expiresOn: new Date(expiresOn * 1000),
      ...(extExpiresOn ? { extExpiresOn: new Date(extExpiresOn * 1000) } : {}),
      ...(refreshOn ? { refreshOn: new Date(refreshOn * 1000) } : {}),
      tokenType: str(fields.token_type)?.toLowerCase() === "pop" ? "pop" : "Bearer",
      correlationId: str(fields.correlation_id) ?? request.correlationId,
      fromPlatformBroker: true,
    };
  },

  signOutRequest(clientId, account) {
    const known = account as MacAccount;
    return JSON.stringify({
      identityProviderUrl: DEFAULT_IDENTITY_PROVIDER,
      operation: "signout_account_operation",
      options: {
        msg_protocol_ver: PROTOCOL_VERSION,
        client_id: clientId,
        authority: `https://${known.environment ?? "login.microsoftonline.com"}/${known.realm ?? "common"}`,
        redirect_uri: MACOS_REDIRECT_URI,
        provider_type: PROVIDER_TYPE,
        home_account_id: known.home_account_id,
        ...(known.username ? { username: known.username } : {}),
        signout_from_browser: "0",
        clear_sso_extension_cookies: "0",
        wipe_account: "0",
        wipe_cache_all_accounts: "0",
      },
    });
  },
  parseSignOut(reply) {
    successFields(parseReply(reply, "sign-out"), "sign-out");
  },
};
