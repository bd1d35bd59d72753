// The one mapper to public errors. It switches on types and kinds: our Failures by `kind`,
// msal-node's errors by their class (`name`) and `errorCode`, Node's network errors by `code`;
// never on message text. The original error stays as `cause`.
import type { GetTokenOptions } from "@azure/core-auth";
import { PersistenceFailure } from "../cache/persistence/failure";
import {
  AbortError,
  AggregateAuthenticationError,
  AuthenticationError,
  AuthenticationRequiredError,
  CredentialUnavailableError,
  InvalidArgumentError,
  type CredentialUnavailableErrorCode,
} from "../errors";
import { isFailure, type Failure } from "../failure";
import { authorityReply } from "./networkClient";

/**
 * The fields msal-node's errors (AuthError and its subclasses) carry. Read by shape:
 * msal-node-extensions bundles its own msal-common, so `instanceof` misses its errors.
 */
interface MsalError {
  name: string;
  errorCode: string;
  errorMessage?: string;
  subError?: string;
  correlationId?: string;
  status?: number;
  errorNo?: string | number;
}

function asMsalError(error: unknown): MsalError | undefined {
  const e = error as Partial<MsalError> | null;
  return e && typeof e === "object" && typeof e.errorCode === "string" && typeof e.name === "string" ? (e as MsalError) : undefined;
}

/** msal's codes that mean "a user must sign in" (its InteractionRequiredAuthErrorCodes, and the server's). */
const MSAL_INTERACTION_NEEDED = new Set([
  "interaction_required",
  "consent_required",
  "login_required",
  "no_tokens_found",
  "native_account_unavailable",
  "refresh_token_expired",
  "bad_token",
]);

/** Node's codes for a connection that failed or a certificate that was refused. */
const NETWORK_FAILURE =
  /^(E[A-Z]+|ERR_TLS_\w+|ERR_SSL_\w+|UNABLE_TO_\w+|CERT_\w+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH)$/;

function isOurs(error: unknown): error is Error {
  return (
    error instanceof AuthenticationError ||
    error instanceof AuthenticationRequiredError ||
    error instanceof CredentialUnavailableError ||
    error instanceof AggregateAuthenticationError ||
    error instanceof AbortError ||
    error instanceof InvalidArgumentError
  );
}

/** True when the error means "a user must sign in" (silent failed, not broken). */
export function needsInteraction(error: unknown): boolean {
  if (isFailure(error)) return error.kind === "interaction_needed";
  const e = asMsalError(error);
  return !!e && (e.name === "InteractionRequiredAuthError" || MSAL_INTERACTION_NEEDED.has(e.errorCode));
}

/**
 * The one place where msal-node's, Node's and our internal errors become public ones.
 * "Interaction needed" reaching here means it was not allowed: AuthenticationRequiredError.
 */
export function toCredentialError(error: unknown, scopes: string[], getTokenOptions?: GetTokenOptions): Error {
  if (isOurs(error)) return error;
  if (isFailure(error)) return fromFailure(error, scopes, getTokenOptions);
  if ((error as Error | null)?.name === "AbortError") return new AbortError("The operation was aborted.", { cause: error });
  const msal = asMsalError(error);
  if (msal) return fromMsal(msal, error, scopes, getTokenOptions);
  const systemCode = (error as { code?: unknown } | null)?.code;
  if (typeof systemCode === "string" && NETWORK_FAILURE.test(systemCode)) {
    // A connection or TLS failure from our HTTP client (e.g. instance discovery), not the authority's answer.
    return new CredentialUnavailableError(`The authority could not be reached: ${(error as Error).message ?? systemCode}`, {
      cause: error,
      code: "AUTHORITY_UNAVAILABLE",
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AuthenticationError(
    0,
    { error: "unknown_error", error_description: message || "An unknown error occurred." },
    { cause: error },
  );
}

/** The message a caller reads: what happened, then what would fix it. */
function withFix(failure: Failure): string {
  return failure.fix?.length ? `${failure.message} To fix this, ${failure.fix.join("; or ")}.` : failure.message;
}

function fromFailure(failure: Failure, scopes: string[], getTokenOptions?: GetTokenOptions): Error {
  const cause = { cause: failure };
  // The token store failed, whatever the kind: not the authority's doing, and a chain moves on.
  if (failure instanceof PersistenceFailure) return new CredentialUnavailableError(withFix(failure), { ...cause, code: failure.code });
  switch (failure.kind) {
    case "interaction_needed":
      return new AuthenticationRequiredError({ scopes, getTokenOptions, message: failure.message, cause: failure });
    case "cancelled":
      // Our abort signal ended the call; the user cancelling in the broker's window is the broker's answer.
      return failure.code === "BROKER_CANCELLED" ? new AbortError("The broker call was cancelled.", cause) : authenticationError(failure);
    case "timed_out":
      return new AuthenticationError(0, { error: "timed_out", error_description: withFix(failure) }, cause);
    case "unavailable":
    case "unsupported":
      return new CredentialUnavailableError(withFix(failure), { ...cause, code: failure.code as CredentialUnavailableErrorCode });
    case "unreachable":
    case "server_refused":
    case "bad_reply":
    case "invalid_request":
      return authenticationError(failure);
  }
}

/** A Failure as the authority's (or the broker's) refusal: the server's OAuth error when there is one, else our code. */
function authenticationError(failure: Failure): AuthenticationError {
  const server = failure.serverError;
  const details = [failure.osError, failure.osCode === undefined ? undefined : `0x${(failure.osCode >>> 0).toString(16)}`]
    .filter(Boolean)
    .join(", ");
  return new AuthenticationError(
    failure.statusCode ?? 0,
    {
      error: server?.error ?? failure.code.toLowerCase(),
      error_description: `${server?.description ?? withFix(failure)}${!server && details ? ` (${details})` : ""}`,
      error_codes: server?.errorCodes,
      correlation_id: server?.correlationId,
    },
    { cause: failure },
  );
}

function fromMsal(e: MsalError, error: unknown, scopes: string[], getTokenOptions?: GetTokenOptions): Error {
  const cause = { cause: error };
  if (e.errorCode === "device_code_polling_cancelled") return new AbortError("The operation was aborted.", cause);
  if (needsInteraction(e)) {
    return new AuthenticationRequiredError({
      scopes,
      getTokenOptions,
      message: e.errorMessage || "Interaction is required.",
      cause: error,
    });
  }
  if (e.errorCode === "user_timeout_reached") {
    // msal's device code time limit: the same code as the browser's and the broker's timeouts.
    return new AuthenticationError(
      0,
      { error: "timed_out", error_description: "The device code sign-in did not complete within the timeout." },
      cause,
    );
  }
  if (e.errorCode === "endpoints_resolution_error") {
    return new CredentialUnavailableError(`The authority could not be reached or is not valid: ${e.errorMessage}`, {
      ...cause,
      code: "AUTHORITY_UNAVAILABLE",
    });
  }
  // What the authority itself answered under this request's correlation id (networkClient.ts records it):
  // its status, and its OAuth error body, which msal folds into one message or (device code) drops.
  const reply = authorityReply(e.correlationId);
  const body = reply && isOAuthBody(reply.body) ? reply.body : undefined;
  if (body) {
    return new AuthenticationError(reply!.status, body, cause);
  }
  return new AuthenticationError(
    reply?.status ?? (typeof e.status === "number" ? e.status : 0),
    {
      error: e.errorCode || e.name,
      error_description: e.errorMessage || `msal-node failed with ${e.errorCode}.`,
      error_codes: e.errorNo !== undefined && e.errorNo !== "" ? [Number(e.errorNo)] : undefined,
      correlation_id: e.correlationId || undefined,
    },
    cause,
  );
}

function isOAuthBody(body: unknown): body is { error: string; error_description: string } {
  const b = body as { error?: unknown; error_description?: unknown } | null;
  return !!b && typeof b === "object" && typeof b.error === "string" && typeof b.error_description === "string";
}
