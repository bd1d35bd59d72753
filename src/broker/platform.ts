// What each OS's broker module provides: requests in its wire format, replies parsed into msal's
// types. The plugin and the credentials never look at the platform; `selectPlatform` does.
import type { AccountInfo, AuthenticationResult } from "@azure/msal-node";
import { Failure, type FailureDetails, type FailureKind } from "../failure";
import type { BrokerKind, NativeBrokerErrorCode } from "./native";

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
  readonly backend: BrokerKind;
  defaultRedirectUri(clientId: string): string;
  readonly supportsPop: boolean;
  availabilityRequest(): string;
  parseAvailability(reply: string): string;
  /** accountId: the one account wanted (a broker that can look it up directly does so). */
  accountsRequest(clientId: string, accountId?: string): string;
  parseAccounts(reply: string): BrokerAccountEntry[];
  /** The broker's account from what msal keeps of it, so that a silent call needs no lookup first. */
  accountFor(nativeAccountId: string, account?: AccountInfo): unknown;
  tokenRequest(request: BrokerRequest, account: unknown, interactive: boolean): string;
  /** Silent sign-in of the OS default account. */
  defaultAccountRequest(request: BrokerRequest): string;
  parseToken(reply: string, request: BrokerRequest): AuthenticationResult;
  signOutRequest(clientId: string, account: unknown): string;
  /** Throws the broker's in-band error, if the sign-out reply carries one. */
  parseSignOut(reply: string): void;
}

/**
 * Stable codes of what the broker modules report, as Failures. Lower case: the broker's own OAuth-style
 * codes, which become `AuthenticationError.code` as they are; upper case: ours (see TROUBLESHOOTING.md).
 */
export type BrokerFailureCode =
  | "interaction_required"
  | "no_account_found"
  | "user_canceled"
  | "no_network_connectivity"
  | "server_unavailable"
  | "untrusted_authority"
  | "platform_broker_error"
  | "BROKER_BAD_REPLY"
  | "BROKER_INVALID_REQUEST"
  | "POP_UNSUPPORTED"
  | NativeBrokerErrorCode;

/** A failure the broker reported, or one of ours about the broker: `kind` says what the caller can do. */
export function brokerFailure(kind: FailureKind, code: BrokerFailureCode, message: string, details: FailureDetails = {}): Failure {
  return new Failure(kind, code, message, { reason: message, ...details });
}

/** A reply we cannot read (not JSON, a field of the wrong type, an impossible value). */
export function badReply(message: string, details: FailureDetails = {}): Failure {
  return brokerFailure("bad_reply", "BROKER_BAD_REPLY", message, details);
}

/** A broker's JSON reply as an object; anything else is BROKER_BAD_REPLY naming the broker and the reply. */
export function parseReplyJson<T = Record<string, unknown>>(text: string, broker: string, what: string): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw badReply(`${broker}'s ${what} reply is not JSON.`, { cause });
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw badReply(`${broker}'s ${what} reply is not an object.`);
  return parsed as T;
}

/** A date from a broker's number (ms since 1970); BROKER_BAD_REPLY when it is not a valid date. */
export function replyDate(ms: unknown, broker: string, field: string): Date {
  const date = typeof ms === "number" && Number.isFinite(ms) && ms > 0 ? new Date(ms) : undefined;
  if (!date || Number.isNaN(date.getTime()))
    throw badReply(`${broker}'s ${field} is not a valid time (${JSON.stringify(ms)?.slice(0, 40)}).`);
  return date;
}
