import type { GetTokenOptions } from "@azure/core-auth";
import { isNativeBrokerError, type NativeBrokerError } from "../broker/native";
import { PersistenceFailure } from "../cache/persistence/failure";
import { isFailure } from "../failure";
import { AbortError, AggregateAuthenticationError, AuthenticationError, AuthenticationRequiredError, CredentialUnavailableError } from "../errors";

/** The fields msal-node's errors carry. Checked by shape: msal-node-extensions bundles its own msal-common. */
interface MsalErrorLike {
  name?: string;
  errorCode?: string;
  errorMessage?: string;
  subError?: string;
  correlationId?: string;
  status?: number;
  errorNo?: string | number;
  message?: string;
}

const INTERACTION_NEEDED = new Set([
  "interaction_required",
  "consent_required",
  "login_required",
  "no_account_found",
  "no_tokens_found",
  "native_account_unavailable",
  "refresh_token_expired",
  "bad_token",
]);

/** Node's codes for a connection that failed or a certificate that was refused. */
const NETWORK_FAILURE = /^(E[A-Z]+|ERR_TLS_\w+|ERR_SSL_\w+|UNABLE_TO_\w+|CERT_\w+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH)$/;

function isOurs(error: unknown): error is Error {
  return (
    error instanceof AuthenticationError ||
    error instanceof AuthenticationRequiredError ||
    error instanceof CredentialUnavailableError ||
    error instanceof AggregateAuthenticationError ||
    error instanceof AbortError ||
    (error instanceof TypeError && typeof (error as { code?: unknown }).code === "string")
  );
}

/** True when the error means "a user must sign in" (silent failed, not broken). */
export function needsInteraction(error: unknown): boolean {
  const e = error as MsalErrorLike;
  return e?.name === "InteractionRequiredAuthError" || INTERACTION_NEEDED.has(e?.errorCode ?? "");
}

/** msal-common folds the server's reply into one string; take the description back out. */
function serverDescription(e: MsalErrorLike): string {
  const text = e.errorMessage ?? e.message ?? "";
  const match = /Description: ([\s\S]*?) - Correlation ID:/.exec(text);
  return match ? match[1] : text;
}

/**
 * The one place where msal-node (and broker) errors become ours. The original stays as `cause`.
 * "Interaction needed" reaching here means it was not allowed: AuthenticationRequiredError.
 */
export function toCredentialError(error: unknown, scopes: string[], getTokenOptions?: GetTokenOptions): Error {
  if (isOurs(error)) return error;
  const e = (error ?? {}) as MsalErrorLike;
  if (e.name === "AbortError" || e.errorCode === "device_code_polling_cancelled") {
    return new AbortError("The operation was aborted.", { cause: error });
  }
  if (isNativeBrokerError(error)) return fromNativeBroker(error);
  if (isFailure(error, "unavailable")) return new CredentialUnavailableError(error.message, { cause: error, code: error.code }); // superseded by the kind mapper
  if (error instanceof PersistenceFailure) {
    // The token store (secret store, its lock, the module) failed: not the authority's doing.
    return new CredentialUnavailableError(error.message, { cause: error, code: error.code });
  }
  if (e.errorCode === "pop_unsupported") {
    return new CredentialUnavailableError(e.errorMessage ?? "Proof-of-possession is not supported here.", { cause: error, code: "POP_UNSUPPORTED" });
  }
  if (needsInteraction(error)) {
    return new AuthenticationRequiredError({ scopes, getTokenOptions, message: e.errorMessage || e.message || "Interaction is required.", cause: error });
  }
  if (e.errorCode === "user_timeout_reached") {
    // msal's device code time limit: the same code as the browser's and the broker's timeouts.
    return new AuthenticationError(0, { error: "timed_out", error_description: "The device code sign-in did not complete within the timeout." }, { cause: error });
  }
  if (e.errorCode === "post_request_failed" && /^[a-z_]+$/.test(e.errorMessage ?? "")) {
    // msal's device code polling reports the server's OAuth error code as its message.
    return new AuthenticationError(400, { error: e.errorMessage, error_description: `The authority answered ${e.errorMessage}.` }, { cause: error });
  }
  const systemCode = (error as { code?: unknown })?.code;
  if (!e.errorCode && typeof systemCode === "string" && NETWORK_FAILURE.test(systemCode)) {
    // A connection or TLS failure from our HTTP client (e.g. instance discovery), not the authority's answer.
    return new CredentialUnavailableError(`The authority could not be reached: ${e.message ?? systemCode}`, { cause: error, code: "AUTHORITY_UNAVAILABLE" });
  }
  if (e.errorCode === "endpoints_resolution_error") {
    return new CredentialUnavailableError(`The authority could not be reached or is not valid: ${e.errorMessage ?? e.message}`, {
      cause: error,
      code: "AUTHORITY_UNAVAILABLE",
    });
  }
  const body = {
    error: e.errorCode || e.name || "unknown_error",
    error_description: e.name === "ServerError" ? serverDescription(e) : e.errorMessage || e.message || "An unknown error occurred.",
    error_codes: e.errorNo !== undefined && e.errorNo !== "" ? [Number(e.errorNo)] : undefined,
    correlation_id: e.correlationId || undefined,
  };
  const statusCode = typeof e.status === "number" ? e.status : e.name === "ServerError" ? 400 : 0;
  return new AuthenticationError(statusCode, body, { cause: error });
}

/** The addon's failures: cancel is an abort, a lapsed limit a timeout, the rest broker errors. */
function fromNativeBroker(error: NativeBrokerError): Error {
  switch (error.code) {
    case "BROKER_CANCELLED":
      return new AbortError("The broker call was cancelled.", { cause: error });
    case "BROKER_TIMEOUT":
      return new AuthenticationError(0, { error: "timed_out", error_description: error.message }, { cause: error });
    case "BROKER_UNAVAILABLE":
    case "LIBRARY_MISSING":
    case "UNSUPPORTED_PLATFORM":
      return new CredentialUnavailableError(error.message, { cause: error, code: error.code });
    default:
      return new AuthenticationError(0, { error: error.code.toLowerCase(), error_description: `${error.message}${error.osError ? ` (${error.osError})` : ""}` }, { cause: error });
  }
}
