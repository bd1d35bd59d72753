import type { GetTokenOptions } from "@azure/core-auth";

/** The OAuth error body an authority returns, as `@azure/identity` exposes it. */
export interface ErrorResponse {
  /** The OAuth error code, e.g. `invalid_grant`. */
  error: string;
  /** The authority's description, starting with its `AADSTS` code. */
  errorDescription: string;
  /** The numeric `AADSTS` codes. */
  errorCodes?: number[];
  /** The request's correlation id, for Microsoft support. */
  correlationId?: string;
  /** The authority's trace id, for Microsoft support. */
  traceId?: string;
  /** When the authority answered. */
  timestamp?: string;
}

interface OAuthErrorBody {
  error: string;
  error_description: string;
  error_codes?: number[];
  correlation_id?: string;
  trace_id?: string;
  timestamp?: string;
}

function isOAuthErrorBody(body: unknown): body is OAuthErrorBody {
  const b = body as Partial<OAuthErrorBody> | null;
  return !!b && typeof b.error === "string" && typeof b.error_description === "string";
}

function toErrorResponse(body: unknown, statusCode: number): ErrorResponse {
  let parsed = body;
  if (typeof body === "string") {
    try {
      parsed = JSON.parse(body);
    } catch {
      return statusCode === 400
        ? { error: "invalid_request", errorDescription: `The service indicated that the request was invalid.\n\n${body}` }
        : { error: "unknown_error", errorDescription: `An unknown error has occurred. Response body:\n\n${body}` };
    }
  }
  if (!isOAuthErrorBody(parsed)) {
    return { error: "unknown_error", errorDescription: "An unknown error occurred and no additional details are available." };
  }
  return {
    error: parsed.error,
    errorDescription: parsed.error_description,
    errorCodes: parsed.error_codes,
    correlationId: parsed.correlation_id,
    traceId: parsed.trace_id,
    timestamp: parsed.timestamp,
  };
}

/**
 * The credential cannot be used here (no broker, tenant not allowed, storage unavailable, ...).
 * `ChainedTokenCredential` moves on to the next credential.
 */
export class CredentialUnavailableError extends Error {
  /** A stable, machine-readable reason, e.g. `TENANT_NOT_ALLOWED`. */
  readonly code: string;
  constructor(message?: string, options?: { cause?: unknown; code?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CredentialUnavailableError";
    this.code = options?.code ?? "CREDENTIAL_UNAVAILABLE";
  }
}

/** The authority (or the broker) refused or failed the request. `ChainedTokenCredential` stops here. */
export class AuthenticationError extends Error {
  /** The HTTP status of the authority's reply; 0 when there was no HTTP reply (broker, timeout). */
  readonly statusCode: number;
  /** The authority's OAuth error body, parsed. */
  readonly errorResponse: ErrorResponse;
  constructor(statusCode: number, errorBody: unknown, options?: { cause?: unknown }) {
    const errorResponse = toErrorResponse(errorBody, statusCode);
    super(
      `${errorResponse.error} Status code: ${statusCode}\nMore details:\n${errorResponse.errorDescription},`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "AuthenticationError";
    this.statusCode = statusCode;
    this.errorResponse = errorResponse;
  }
  /** The server's OAuth error code (`invalid_grant`, `access_denied`, ...). */
  get code(): string {
    return this.errorResponse.error;
  }
}

/** Every credential of a `ChainedTokenCredential` was unavailable. */
export class AggregateAuthenticationError extends Error {
  /** Always `AGGREGATE_AUTHENTICATION`. */
  readonly code = "AGGREGATE_AUTHENTICATION";
  /** Each credential's error, in the chain's order. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly errors: any[];
  constructor(errors: unknown[], errorMessage?: string) {
    super(`${errorMessage}\n${errors.join("\n")}`);
    this.name = "AggregateAuthenticationError";
    this.errors = errors;
  }
}

/** Interaction is needed and `disableAutomaticAuthentication` forbids it: call `authenticate()`. */
export class AuthenticationRequiredError extends Error {
  /** Always `AUTHENTICATION_REQUIRED`. */
  readonly code = "AUTHENTICATION_REQUIRED";
  /** The scopes of the `getToken` call that needed interaction. */
  readonly scopes: string[];
  /** The options of that call, to pass on to `authenticate()`. */
  readonly getTokenOptions?: GetTokenOptions;
  /** The claims of that call (a claims challenge), also needed by the next sign-in; default `getTokenOptions.claims`. */
  readonly claims?: string;
  constructor(options: { scopes: string[]; getTokenOptions?: GetTokenOptions; claims?: string; message?: string; cause?: unknown }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AuthenticationRequiredError";
    this.scopes = options.scopes;
    this.getTokenOptions = options.getTokenOptions;
    this.claims = options.claims ?? options.getTokenOptions?.claims;
  }
}

/** A flow ended because its `abortSignal` fired. Same `name` as `@azure/abort-controller`'s. */
export class AbortError extends Error {
  /** Always `ABORT_ERR`. */
  readonly code = "ABORT_ERR";
  constructor(message = "The operation was aborted.", options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AbortError";
  }
}

/** A caller passed something unusable. Thrown synchronously, before any I/O. */
export function invalidArgument(code: string, message: string): TypeError & { code: string } {
  return Object.assign(new TypeError(message), { code });
}
