// Windows: the Web Account Manager (WAM). The addon (native/win) runs the WAM calls; this module
// says what to ask (provider, scope, client id, request properties) and reads WAM's raw answer into
// msal's types. Facts: shared/research/wam-macos.md part A (A.1 call sequence, A.3 properties).
//
// Requests (JSON the addon reads):
//   availability  {providerId, authority}
//   accounts      {providerId, authorities: string[], clientId, accountId?}  (accountId: FindAccountAsync)
//   token         {providerId, authority, clientId, scope, prompt: 0|1, properties: {..},
//                  appProperties?: {..}, accountId?, accountAuthority?, defaultAccount?, defaultProviderId?}
//   signOut       {providerId, authority, accountId, clientId}
// Replies:
//   availability  {provider: {id, displayName, authority}}
//   accounts      {accounts: WamAccount[], providers: [{authority, status, error?}]}
//   token         {status, error?, responses: [{token, properties, account?, error?}]} | {accountNotFound: true}
//   signOut       {signedOut: boolean}
import type { AccountInfo, AuthenticationResult } from "@azure/msal-node";
import type { Failure } from "../failure";
import { hostOfAuthority, tenantOfAuthority } from "../util/authority";
import { accountFromIdToken } from "../util/idTokenAccount";
import { decodeBase64UrlJson, decodeJwt } from "../util/jwt";
import { badReply, brokerFailure, parseReplyJson, type BrokerAccountEntry, type BrokerPlatform, type BrokerRequest } from "./platform";
import { checkSignedHttpRequest, popParts } from "./windowsPop";

/** The WAM provider id for Microsoft accounts (Entra and MSA); the default account's provider. */
const MICROSOFT_PROVIDER = "https://login.microsoft.com";
const DEFAULT_ACCOUNT_PROVIDER = "https://login.windows.local";
const ORGANIZATIONS = "organizations";
const CONSUMERS = "consumers";
const MSA_TENANT_ID = "9188040d-6c67-4c5b-b112-36a304b66dad";
/** Seconds between 1601-01-01 (WAM's `TokenExpiresOn` epoch) and 1970-01-01. */
const EPOCH_1601_TO_1970_SECONDS = 11644473600;

export const windowsRedirectUri = (clientId: string) => `ms-appx-web://Microsoft.AAD.BrokerPlugin/${clientId}`;

/** WebTokenRequestStatus (A.1 step 13). */
const enum TokenStatus {
  Success = 0,
  UserCancel = 1,
  AccountSwitch = 2,
  UserInteractionRequired = 3,
  AccountProviderNotAvailable = 4,
  ProviderError = 5,
}

interface WamProviderError {
  code: number;
  message: string;
  properties?: Record<string, string>;
}

interface WamAccount {
  id: string;
  userName: string;
  state: number;
  properties?: Record<string, string>;
  provider?: { id: string; displayName: string; authority: string };
}

interface WamTokenReply {
  accountNotFound?: boolean;
  status?: number;
  error?: WamProviderError;
  responses?: { token: string; properties?: Record<string, string>; account?: WamAccount; error?: WamProviderError }[];
}

/** What the credentials keep and send back: the WebAccount id and its provider's authority. */
interface WindowsAccountRef {
  id: string;
  authority: string;
}

const parseJson = <T>(text: string, what: string) => parseReplyJson<T>(text, "WAM", what);

/** The provider authority WAM is asked for: the MSA plugin for consumers, else the Entra one. */
function providerAuthority(authority: string): string {
  const tenant = tenantOfAuthority(authority).toLowerCase();
  return tenant === CONSUMERS || tenant === MSA_TENANT_ID ? CONSUMERS : ORGANIZATIONS;
}

/** Request properties (A.3): what MSAL's AAD plugin sends, plus the caller's extra parameters. */
function properties(request: BrokerRequest, extra: Record<string, string>): Record<string, string> {
  const props: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.extraParameters ?? {})) {
    if (typeof value !== "string") continue;
    if (key === "msal_request_type") {
      // MSA passthrough: let Microsoft accounts sign in to the Entra tenant (Entra's `msafed`).
      if (value === "consumer_passthrough") props.msafed = "1";
      continue;
    }
    props[key] = value;
  }
  props.wam_compat = "2.0";
  props.authority = request.authority;
  props.validateAuthority = "yes";
  if (request.claims) props.claims = request.claims;
  return { ...props, ...extra };
}

function toAccountInfo(
  account: WamAccount | undefined,
  props: Record<string, string>,
  claims: Record<string, unknown>,
  authority: string,
): AccountInfo {
  const accountProps = account?.properties ?? {};
  return accountFromIdToken({
    claims,
    clientInfo: decodeBase64UrlJson(props.wamcompat_client_info),
    environment: hostOfAuthority(props.Authority || accountProps.Authority || authority),
    username: account?.userName,
    objectId: accountProps.OID || undefined,
    tenantId: accountProps.TenantId || undefined,
    nativeAccountId: account?.id,
  });
}

/** WAM's properties are strings; anything else in them is left out rather than read as one. */
function stringProperties(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object") return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/** The MSA plugin's token is a `k=v&k=v` list (A.1 step 14). */
function msaFields(token: string): Record<string, string> | undefined {
  if (!token.includes("access_token=")) return undefined;
  return Object.fromEntries(new URLSearchParams(token));
}

/** A provider error (status 5) as msal's error codes (legacy MSAL.NET AadPlugin.MapTokenRequestError). */
export function providerError(error: WamProviderError | undefined): Failure {
  const code = (error?.code ?? 0) >>> 0;
  const hex = `0x${code.toString(16).toUpperCase().padStart(8, "0")}`;
  const message = `${error?.message || "WAM's account provider failed"} (${hex})`;
  const details = { osError: hex, osCode: code };
  if (code === 0xcaa20005 || code === 0xcaa20008) return brokerFailure("server_refused", "server_unavailable", message, details);
  const facility = (code >>> 16) & 0x1fff;
  if (facility === 0xaa3 || facility === 0xaa7 || facility === 0xaa8)
    return brokerFailure("unreachable", "no_network_connectivity", message, details);
  return brokerFailure("server_refused", "platform_broker_error", message, {
    ...details,
    fix: ["register the redirect URI ms-appx-web://Microsoft.AAD.BrokerPlugin/<client id> on the app"],
  });
}

function statusError(reply: WamTokenReply): Failure {
  const details = {
    osError: `WebTokenRequestStatus ${reply.status}`,
    osCode: typeof reply.error?.code === "number" ? reply.error.code >>> 0 : undefined,
  };
  switch (reply.status) {
    case TokenStatus.UserCancel:
      return brokerFailure("cancelled", "user_canceled", "The user cancelled the sign-in.", details);
    case TokenStatus.UserInteractionRequired:
      return brokerFailure(
        "interaction_needed",
        "interaction_required",
        (typeof reply.error?.message === "string" && reply.error.message) || "WAM needs the user to sign in.",
        details,
      );
    case TokenStatus.AccountProviderNotAvailable:
      return brokerFailure("server_refused", "platform_broker_error", "WAM's account provider is not available.", details);
    case TokenStatus.ProviderError:
      return providerError(reply.error);
    default:
      return badReply(`WAM answered an unknown status ${JSON.stringify(reply.status)?.slice(0, 40)}.`, details);
  }
}

export const windowsBroker: BrokerPlatform = {
  backend: "wam",
  defaultRedirectUri: windowsRedirectUri,
  supportsPop: true,

  availabilityRequest: () => JSON.stringify({ providerId: MICROSOFT_PROVIDER, authority: ORGANIZATIONS }),
  parseAvailability(reply) {
    const provider = parseJson<{ provider?: { displayName?: string; id?: string } }>(reply, "availability").provider;
    return `WAM, provider ${provider?.displayName || provider?.id || "unknown"}`;
  },

  accountsRequest: (clientId: string, accountId?: string) =>
    JSON.stringify({
      providerId: MICROSOFT_PROVIDER,
      authorities: [ORGANIZATIONS, CONSUMERS],
      clientId,
      ...(accountId ? { accountId } : {}),
    }),
  parseAccounts(reply): BrokerAccountEntry[] {
    const parsed = parseJson<{ accounts?: WamAccount[] }>(reply, "accounts");
    const accounts = Array.isArray(parsed.accounts) ? parsed.accounts : [];
    return accounts
      .filter((a) => a && typeof a.id === "string" && a.id)
      .map((a) => {
        const authority = a.provider?.authority || ORGANIZATIONS;
        const host = a.properties?.Authority || "https://login.microsoftonline.com/";
        const raw: WindowsAccountRef = { id: a.id, authority };
        return { info: toAccountInfo(a, {}, {}, host), raw };
      });
  },

  // The addon finds the WebAccount by its id inside the token call (accountNotFound when it is gone).
  accountFor(nativeAccountId, account): WindowsAccountRef {
    return { id: nativeAccountId, authority: account?.tenantId === MSA_TENANT_ID ? CONSUMERS : ORGANIZATIONS };
  },

  tokenRequest(request, account, interactive) {
    const ref = account as WindowsAccountRef | null;
    const force = interactive && !ref;
    const extra: Record<string, string> = {};
    if (force) {
      if (request.loginHint) extra.LoginHint = request.loginHint;
      extra.prompt = request.loginHint ? "login" : "select_account";
    }
    const pop = popParts(request);
    return JSON.stringify({
      providerId: MICROSOFT_PROVIDER,
      authority: providerAuthority(request.authority),
      clientId: request.clientId,
      scope: request.scopes.join(" "),
      prompt: force ? 1 : 0,
      properties: properties(request, { ...extra, ...pop.properties }),
      ...(pop.appProperties ? { appProperties: pop.appProperties } : {}),
      ...(ref ? { accountId: ref.id, accountAuthority: ref.authority } : {}),
    });
  },
  defaultAccountRequest(request) {
    const pop = popParts(request);
    return JSON.stringify({
      defaultAccount: true,
      defaultProviderId: DEFAULT_ACCOUNT_PROVIDER,
      providerId: MICROSOFT_PROVIDER,
      authority: providerAuthority(request.authority),
      clientId: request.clientId,
      scope: request.scopes.join(" "),
      prompt: 0,
      properties: properties(request, pop.properties),
      ...(pop.appProperties ? { appProperties: pop.appProperties } : {}),
    });
  },

  parseToken(reply, request): AuthenticationResult {
    const parsed = parseJson<WamTokenReply>(reply, "token");
    if (parsed.accountNotFound) {
      throw brokerFailure("interaction_needed", "no_account_found", "WAM does not know this account any more.");
    }
    if (parsed.status !== TokenStatus.Success && parsed.status !== TokenStatus.AccountSwitch) throw statusError(parsed);
    const response = Array.isArray(parsed.responses) ? parsed.responses[0] : undefined;
    if (!response || typeof response !== "object" || typeof response.token !== "string" || !response.token) {
      throw badReply("WAM answered success without a token.");
    }
    const props = stringProperties(response.properties);
    const msa = msaFields(response.token);
    if (request.proofOfPossession) {
      if (msa)
        throw brokerFailure(
          "unsupported",
          "POP_UNSUPPORTED",
          "Proof-of-possession tokens are not available for Microsoft accounts through WAM.",
        );
      checkSignedHttpRequest(response.token, request);
    }
    const idToken = msa?.id_token ?? props.wamcompat_id_token ?? "";
    const claims = decodeJwt(idToken).payload ?? {};
    const expiresOn = msa?.expires_in
      ? Date.now() + Number(msa.expires_in) * 1000
      : (Number(props.TokenExpiresOn) - EPOCH_1601_TO_1970_SECONDS) * 1000;
    if (!Number.isFinite(expiresOn) || expiresOn <= 0 || Number.isNaN(new Date(expiresOn).getTime()))
      throw badReply("WAM's token has no valid expiry (TokenExpiresOn).");
    const wamAccount =
      response.account && typeof response.account === "object"
        ? {
            ...response.account,
            userName: typeof response.account.userName === "string" ? response.account.userName : "",
            id: typeof response.account.id === "string" ? response.account.id : "",
            properties: stringProperties(response.account.properties),
          }
        : undefined;
    const account = toAccountInfo(
      wamAccount,
      { ...props, ...(msa?.client_info ? { wamcompat_client_info: msa.client_info } : {}) },
      claims,
      request.authority,
    );
    const scopes = (msa?.scope ?? props.wamcompat_scopes ?? request.scopes.join(" ")).split(" ").filter(Boolean);
    return {
      authority: props.Authority || request.authority,
      uniqueId: account.localAccountId,
      tenantId: account.tenantId,
      scopes,
      account,
      idToken,
      idTokenClaims: claims,
      accessToken: msa?.access_token ?? response.token,
      fromCache: false,
      expiresOn: new Date(expiresOn),
      tokenType: request.proofOfPossession ? "pop" : "Bearer",
      correlationId: request.correlationId,
      fromPlatformBroker: true,
    };
  },

  signOutRequest(clientId, account) {
    const ref = account as WindowsAccountRef;
    return JSON.stringify({ providerId: MICROSOFT_PROVIDER, authority: ref.authority, accountId: ref.id, clientId });
  },
  // WAM's failures arrive as the native call's error; `signedOut: false` means the account was already gone.
  parseSignOut(reply) {
    parseJson<{ signedOut?: boolean }>(reply, "sign-out");
  },
};
