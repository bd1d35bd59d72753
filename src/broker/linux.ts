// The Linux identity broker (com.microsoft.identity.broker1 over D-Bus): msal's requests as the
// broker's JSON, and its JSON replies as msal results. The addon only carries the strings.
import type { AccountInfo, AuthenticationResult } from "@azure/msal-node";
import { brokerFailure, parseReplyJson, type BrokerPlatform, type BrokerRequest } from "./platform";

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
  error?: { status?: number; subStatus?: number; errorCode?: number; tag?: number; context?: string };
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
    throw brokerFailure("invalid_request", "The proof-of-possession request has no valid resource URL.", undefined, "ClientConfigurationError");
  }
  return { clientClaims: "", homeAccountId: "", httpMethod: pop.method, nonce: pop.nonce ?? "", uriHost: url.host, uriPath: url.pathname };
}

const parseJson = (text: string, what: string) => parseReplyJson(text, "The identity broker", what);

function decodeJwtPayload(jwt: string | undefined): Record<string, unknown> {
  try {
    return jwt ? JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8")) : {};
  } catch {
    return {};
  }
}

function toAccountInfo(account: BrokerAccount, idTokenClaims?: Record<string, unknown>): AccountInfo {
  return {
    homeAccountId: account.homeAccountId,
    environment: account.environment,
    tenantId: account.realm,
    username: account.username,
    localAccountId: account.localAccountId,
    name: account.name,
    nativeAccountId: account.homeAccountId,
    idTokenClaims: idTokenClaims as AccountInfo["idTokenClaims"],
  };
}

/** The account of a reply without one (broker 3.x): from the id token and client_info. */
function accountFromIdToken(response: BrokerTokenResponse, claims: Record<string, unknown>, authority: string): BrokerAccount {
  const info = decodeJwtPayload(`x.${response.clientInfo ?? ""}.x`) as { uid?: string; utid?: string };
  const oid = String(info.uid ?? claims.oid ?? "");
  const tid = String(info.utid ?? claims.tid ?? "");
  return {
    homeAccountId: `${oid}.${tid}`,
    localAccountId: String(claims.oid ?? oid),
    environment: new URL(authority).host,
    realm: String(claims.tid ?? tid),
    username: String(claims.preferred_username ?? claims.upn ?? ""),
    name: typeof claims.name === "string" ? claims.name : undefined,
  };
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
    if (parsed.error) throw inBandError(parsed.error as BrokerTokenResponse["error"]);
    const accounts = Array.isArray(parsed.accounts) ? (parsed.accounts as BrokerAccount[]) : [];
    return accounts.filter((a) => a && typeof a.homeAccountId === "string").map((a) => ({ info: toAccountInfo(a), raw: a }));
  },

  tokenRequest(request, account, interactive) {
    return JSON.stringify({
      authParameters: interactive ? authParameters(request, INTERACTIVE, account as BrokerAccount | null) : authParameters(request, CACHED_REFRESH_TOKEN, account as BrokerAccount | null),
      ...(interactive ? { parentWindowHandle: 0 } : {}),
    });
  },
  defaultAccountRequest(request) {
    return JSON.stringify({ authParameters: { ...authParameters(request, CACHED_REFRESH_TOKEN, null), isSignIn: true } });
  },
  parseToken(reply, request): AuthenticationResult {
    const parsed = parseJson(reply, "token");
    const response = parsed.brokerTokenResponse as BrokerTokenResponse | undefined;
    if (!response || typeof response !== "object") throw brokerFailure("platform_broker_error", "The identity broker's reply has no brokerTokenResponse.");
    if (response.error) throw inBandError(response.error);
    if (typeof response.accessToken !== "string" || typeof response.expiresOn !== "number") {
      throw brokerFailure("platform_broker_error", "The identity broker's reply has no access token or expiry.");
    }
    const claims = decodeJwtPayload(response.idToken);
    const account = toAccountInfo(response.account ?? accountFromIdToken(response, claims, request.authority), claims);
    const scopes = Array.isArray(response.grantedScopes) ? response.grantedScopes : (response.grantedScopes ?? "").split(" ").filter(Boolean);
    return {
      authority: request.authority,
      uniqueId: String(claims.oid ?? account.localAccountId),
      tenantId: String(claims.tid ?? account.tenantId),
      scopes,
      account,
      idToken: response.idToken ?? "",
      idTokenClaims: claims,
      accessToken: response.accessToken,
      fromCache: false,
      expiresOn: new Date(response.expiresOn),
      // PoP (1): the access token is the broker's signed HTTP request, sent as "Authorization: pop <token>".
      tokenType: response.accessTokenType === 1 ? "pop" : "Bearer",
      correlationId: request.correlationId,
      fromPlatformBroker: true,
    };
  },

  signOutRequest: (clientId, account) => JSON.stringify({ clientId, account }),
  parseSignOut(reply) {
    const parsed = parseJson(reply, "removeAccount");
    if (parsed.error) throw inBandError(parsed.error as BrokerTokenResponse["error"]);
  },
};

/** The broker's in-band `status` (MSAL runtime ResponseStatus) as msal's error codes. */
function inBandError(error: BrokerTokenResponse["error"]): Error {
  const status = error?.status ?? 0;
  const context = error?.context || `the identity broker answered status ${status}`;
  const details = { status, subStatus: error?.subStatus, errorCode: error?.errorCode, tag: error?.tag };
  switch (status) {
    case 2:
    case 13:
      return brokerFailure("interaction_required", context, details, "InteractionRequiredAuthError");
    case 3:
    case 4:
      return brokerFailure("no_network_connectivity", context, details);
    case 5:
      return brokerFailure("server_unavailable", context, details, "ServerError");
    case 7:
    case 8:
      return brokerFailure("user_canceled", context, details);
    case 11:
      return brokerFailure("untrusted_authority", context, details, "ClientConfigurationError");
    case 16:
      return brokerFailure("no_account_found", context, details);
    default:
      return brokerFailure("platform_broker_error", context, details);
  }
}
