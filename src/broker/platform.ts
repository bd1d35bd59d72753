// What each OS's broker module provides: requests in its wire format, replies parsed into msal's
// types. The plugin and the credentials never look at the platform; `selectPlatform` does.
import type { AccountInfo, AuthenticationResult } from "@azure/msal-node";

/** The parts of msal's NativeRequest a broker needs. */
export interface BrokerRequest {
  clientId: string;
  authority: string;
  scopes: string[];
  redirectUri: string;
  correlationId: string;
  claims?: string;
  loginHint?: string;
  extraParameters?: Record<string, string>;
  /** Set when a proof-of-possession token is asked for: the request it will be sent with. */
  proofOfPossession?: ProofOfPossessionRequest;
}

/** msal's `authenticationScheme: "pop"` request fields, for the broker to bind the token to. */
export interface ProofOfPossessionRequest {
  /** The HTTP method of the resource request, upper case. */
  method: string;
  /** The resource request's URL. */
  uri: string;
  /** The resource's nonce (`shrNonce`), when it gave one. */
  nonce?: string;
}

export interface BrokerAccountEntry {
  info: AccountInfo;
  /** The account as the broker gave it, sent back verbatim in later requests. */
  raw: unknown;
}

export interface BrokerPlatform {
  readonly backend: "linux-dbus" | "wam" | "macos-sso";
  defaultRedirectUri(clientId: string): string;
  readonly supportsPop: boolean;
  availabilityRequest(): string;
  parseAvailability(reply: string): string;
  /** accountId: the one account wanted (a broker that can look it up directly does so). */
  accountsRequest(clientId: string, accountId?: string): string;
  parseAccounts(reply: string): BrokerAccountEntry[];
  tokenRequest(request: BrokerRequest, account: unknown | null, interactive: boolean): string;
  /** Silent sign-in of the OS default account. */
  defaultAccountRequest(request: BrokerRequest): string;
  parseToken(reply: string, request: BrokerRequest): AuthenticationResult;
  signOutRequest(clientId: string, account: unknown): string;
  /** Throws the broker's in-band error, if the sign-out reply carries one. */
  parseSignOut(reply: string): void;
}

/** An error shaped as msal-node's (name + errorCode), carrying the broker's details. */
export function brokerFailure(errorCode: string, message: string, details?: Record<string, unknown>, name = "ClientAuthError"): Error {
  return Object.assign(new Error(`${errorCode}: ${message}`), { name, errorCode, errorMessage: message, broker: details });
}

/** A broker's JSON reply as an object, or msal's platform_broker_error naming the broker and the reply. */
export function parseReplyJson<T = Record<string, unknown>>(text: string, broker: string, what: string): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw brokerFailure("platform_broker_error", `${broker}'s ${what} reply is not JSON.`);
  }
  if (!parsed || typeof parsed !== "object") throw brokerFailure("platform_broker_error", `${broker}'s ${what} reply is not an object.`);
  return parsed as T;
}
