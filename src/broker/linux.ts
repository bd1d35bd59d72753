// The Linux identity broker (com.microsoft.identity.broker1 over D-Bus): msal's requests as the
// broker's JSON, and its JSON replies as msal results. The addon only carries the strings.
import type { AccountInfo, AuthenticationResult } from "@azure/msal-node";
import type { Failure } from "../failure";
import { hostOfAuthority } from "../util/authority";
import { accountFromIdToken } from "../util/idTokenAccount";
import { decodeBase64UrlJson, decodeJwt } from "../util/jwt";
import { badReply, brokerFailure, parseReplyJson, replyDate, type BrokerPlatform, type BrokerRequest } from "./platform";

export const LINUX_REDIRECT_URI = "https://login.microsoftonline.com/common/oauth2/nativeclient";

/** MSAL runtime `authorizationType` values the broker expects. */
const CACHED_REFRESH_TOKEN = 1;
const INTERACTIVE = 6;

interface BrokerAccount {
  homeAccountId: string;
  localAccountId: string;
  environment: string;
  realm: string;
  username: string;
  name?: string;
  givenName?: string;
  familyName?: string;
  clientInfo?: string;
  [key: string]: unknown;
}

interface BrokerTokenResponse {
  accessToken?: string;
  accessTokenType?: number;
  expiresOn?: number;
  grantedScopes?: string | string[];
  idToken?: string;
  clientInfo?: string;
  account?: BrokerAccount;
  error?: { status?: unknown; subStatus?: unknown; errorCode?: unknown; tag?: unknown; context?: unknown };
}

function authParameters(request: BrokerRequest, authorizationType: number, account: BrokerAccount | null) {
  return {
    account,
    additionalQueryParametersForAuthorization: request.extraParameters ?? {},
    authority: request.authority,
    authorizationType,
    clientId: request.clientId,
    decodedClaims: request.claims ?? "",
    redirectUri: request.redirectUri || LINUX_REDIRECT_URI,
    requestedScopes: request.scopes,
    username: account?.username ?? request.loginHint ?? "",
    popParams: popParams(request),
    uxContextHandle: -1,
  };
}

/**
 * The resource request a PoP token is bound to, as MSALRuntime sends it (SetPopParams): method,
 * host (with port) and path; the query is not bound. null asks for a Bearer token.
 */
function popParams(request: BrokerRequest) {
  const pop = request.proofOfPossession;
  if (!pop) return null;
  let url: URL;
  try {
    url = new URL(pop.uri);
  } catch {
    throw brokerFailure("invalid_request", "BROKER_INVALID_REQUEST", "The proof-of-possession request has no valid resource URL.");
  }
  return { clientClaims: "", homeAccountId: "", httpMethod: pop.method, nonce: pop.nonce ?? "", uriHost: url.host, uriPath: url.pathname };
}

const BROKER = "The identity broker";
const parseJson = (text: string, what: string) => parseReplyJson(text, BROKER, what);

function toAccountInfo(account: BrokerAccount, idTokenClaims?: Record<string, unknown>): AccountInfo {
  return {
    homeAccountId: account.homeAccountId,
    environment: account.environment,
    tenantId: account.realm,
    username: account.username,
    localAccountId: account.localAccountId,
    name: account.name,
    nativeAccountId: account.homeAccountId,
    idTokenClaims: idTokenClaims,
  };
}

/** A broker account as the broker sends it: every field we read is a string. */
function isBrokerAccount(value: unknown): value is BrokerAccount {
  const a = value as Partial<BrokerAccount> | null;
  return (
    !!a &&
    typeof a === "object" &&
    ["homeAccountId", "localAccountId", "environment", "realm", "username"].every((k) => typeof a[k as keyof BrokerAccount] === "string")
  );
}

/** A base64url-JSON field of the reply: absent is {}, present but not an object is a bad reply. */
function decodedField(value: unknown, field: string, decode: (v: string) => Record<string, unknown> | undefined): Record<string, unknown> {
  if (value === undefined || value === null || value === "") return {};
  const decoded = typeof value === "string" ? decode(value) : undefined;
  if (!decoded) throw badReply(`${BROKER}'s ${field} is not base64url JSON of an object.`);
  return decoded;
}

function grantedScopes(value: unknown, request: BrokerRequest): string[] {
  if (value === undefined || value === null) return request.scopes;
  if (typeof value === "string") return value.split(" ").filter(Boolean);
  if (Array.isArray(value) && value.every((s) => typeof s === "string")) return value;
  throw badReply(`${BROKER}'s grantedScopes is neither a string nor a list of strings.`);
}

export const linuxBroker: BrokerPlatform = {
  backend: "linux-dbus",
  defaultRedirectUri: () => LINUX_REDIRECT_URI,
  supportsPop: true,

  availabilityRequest: () => JSON.stringify({ msalCppVersion: "1.28.0" }),
  parseAvailability(reply) {
    const version = parseJson(reply, "version").linuxBrokerVersion;
    return typeof version === "string" ? version : "unknown";
  },

  accountsRequest: (clientId) => JSON.stringify({ clientId, redirectUri: LINUX_REDIRECT_URI }),
  parseAccounts(reply) {
    const parsed = parseJson(reply, "accounts");
    if (parsed.error) throw inBandError(parsed.error);
    const accounts = Array.isArray(parsed.accounts) ? (parsed.accounts as BrokerAccount[]) : [];
    return accounts.filter(isBrokerAccount).map((a) => ({ info: toAccountInfo(a), raw: a }));
  },

  // acquireTokenSilently takes the account; the broker finds it by its home account id.
  accountFor(nativeAccountId, account): BrokerAccount {
    // Every field the broker requires when it parses an account (it refuses one without them), and
    // the empty strings Microsoft's own client sends for the rest.
    const [uid = "", utid = ""] = nativeAccountId.split(".");
    const environment = account?.environment ?? "login.microsoftonline.com";
    const name = account?.name ?? "";
    const claims = account?.idTokenClaims ?? {};
    const [firstWord = "", ...rest] = name.split(" ");
    return {
      alternativeAccountId: "",
      clientInfo: Buffer.from(JSON.stringify({ uid, utid })).toString("base64url"),
      environment,
      familyName: typeof claims.family_name === "string" ? claims.family_name : rest.join(" "),
      givenName: typeof claims.given_name === "string" ? claims.given_name : firstWord,
      homeAccountId: nativeAccountId,
      homeEnvironment: environment,
      localAccountId: account?.localAccountId ?? uid,
      middleName: "",
      name,
      passwordChangeUrl: "",
      passwordExpiry: 0,
      realm: account?.tenantId ?? utid,
      username: account?.username ?? "",
    };
  },

  tokenRequest(request, account, interactive) {
    return JSON.stringify({
      authParameters: interactive
        ? authParameters(request, INTERACTIVE, account as BrokerAccount | null)
        : authParameters(request, CACHED_REFRESH_TOKEN, account as BrokerAccount | null),
      ...(interactive ? { parentWindowHandle: 0 } : {}),
    });
  },
  defaultAccountRequest(request) {
    return JSON.stringify({ authParameters: { ...authParameters(request, CACHED_REFRESH_TOKEN, null), isSignIn: true } });
  },
  parseToken(reply, request): AuthenticationResult {
    const parsed = parseJson(reply, "token");
    const response = parsed.brokerTokenResponse as BrokerTokenResponse | undefined;
    if (!response || typeof response !== "object") throw badReply(`${BROKER}'s reply has no brokerTokenResponse.`);
    if (response.error) throw inBandError(response.error);
    if (typeof response.accessToken !== "string" || !response.accessToken) throw badReply(`${BROKER}'s reply has no access token.`);
    const expiresOn = replyDate(response.expiresOn, BROKER, "expiresOn");
    const claims = decodedField(response.idToken, "id token", (jwt) => decodeJwt(jwt).payload);
    const clientInfo = decodedField(response.clientInfo, "client_info", decodeBase64UrlJson);
    if (response.account !== undefined && response.account !== null && !isBrokerAccount(response.account))
      throw badReply(`${BROKER}'s account is not an account.`);
    // Broker 3.x answers without an account: it is the one of the id token and client_info.
    const fromTokens = () => accountFromIdToken({ claims, clientInfo, environment: hostOfAuthority(request.authority) });
    const account = response.account ? toAccountInfo(response.account, claims) : withNativeId(fromTokens(), claims);
    return {
      authority: request.authority,
      uniqueId: typeof claims.oid === "string" ? claims.oid : account.localAccountId,
      tenantId: typeof claims.tid === "string" ? claims.tid : account.tenantId,
      scopes: grantedScopes(response.grantedScopes, request),
      account,
      idToken: typeof response.idToken === "string" ? response.idToken : "",
      idTokenClaims: claims,
      accessToken: response.accessToken,
      fromCache: false,
      expiresOn,
      // PoP (1): the access token is the broker's signed HTTP request, sent as "Authorization: pop <token>".
      tokenType: response.accessTokenType === 1 ? "pop" : "Bearer",
      correlationId: request.correlationId,
      fromPlatformBroker: true,
    };
  },

  signOutRequest: (clientId, account) => JSON.stringify({ clientId, account }),
  parseSignOut(reply) {
    const parsed = parseJson(reply, "removeAccount");
    if (parsed.error) throw inBandError(parsed.error);
  },
};

/** The broker finds accounts by their home account id (the one `toAccountInfo` gives as nativeAccountId). */
function withNativeId(account: AccountInfo, claims: Record<string, unknown>): AccountInfo {
  return { ...account, nativeAccountId: account.homeAccountId, idTokenClaims: claims };
}

/** The broker's in-band `status` (MSAL runtime ResponseStatus) as a Failure. */
function inBandError(error: BrokerTokenResponse["error"]): Failure {
  if (typeof error !== "object") return badReply(`${BROKER}'s error is not an object.`);
  const status = typeof error.status === "number" ? error.status : 0;
  const context = (typeof error.context === "string" && error.context) || `${BROKER} answered status ${status}`;
  const details = {
    osError: `status ${status}${typeof error.subStatus === "number" ? `/${error.subStatus}` : ""}`,
    osCode: typeof error.errorCode === "number" ? error.errorCode : undefined,
  };
  switch (status) {
    case 2:
    case 13:
      return brokerFailure("interaction_needed", "interaction_required", context, details);
    case 3:
    case 4:
      return brokerFailure("unreachable", "no_network_connectivity", context, details);
    case 5:
      return brokerFailure("server_refused", "server_unavailable", context, details);
    case 7:
    case 8:
      return brokerFailure("cancelled", "user_canceled", context, details);
    case 11:
      return brokerFailure("server_refused", "untrusted_authority", context, details);
    case 16:
      return brokerFailure("interaction_needed", "no_account_found", context, details);
    default:
      return brokerFailure("server_refused", "platform_broker_error", context, details);
  }
}
