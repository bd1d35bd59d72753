import type { GetTokenOptions } from "@azure/core-auth";
import type { PersistenceFailureCode } from "./cache/persistence/failure";

/** `CredentialUnavailableError.code`: why the credential cannot be used here (TROUBLESHOOTING.md). */
export type CredentialUnavailableErrorCode =
  | "CREDENTIAL_UNAVAILABLE"
  | "TENANT_NOT_ALLOWED"
  | "AUTHORITY_UNAVAILABLE"
  | "BROWSER_UNAVAILABLE"
  | "POP_UNSUPPORTED"
  | "NO_ACCOUNT"
  | "LOOPBACK_PORT_IN_USE"
  | "LOOPBACK_PORT_DENIED"
  | ServiceCredentialUnavailableCode
  | ManagedIdentityUnavailableCode
  | PersistenceFailureCode
  | BrokerUnavailableCode
  | DeveloperToolUnavailableCode
  | DeveloperSignInCode
  /** DefaultAzureCredential's broker step: no default account came back silently. */
  | "BROKER_NO_DEFAULT_ACCOUNT";

/** Why az, PowerShell or azd gave no token (AzureCliCredential, AzurePowerShellCredential, AzureDeveloperCliCredential). */
export type DeveloperToolUnavailableCode =
  | "AZURE_CLI_NOT_INSTALLED"
  | "AZURE_CLI_NOT_SIGNED_IN"
  | "AZURE_POWERSHELL_NOT_INSTALLED"
  | "AZURE_POWERSHELL_MODULE_MISSING"
  | "AZURE_POWERSHELL_NOT_SIGNED_IN"
  | "AZURE_DEVELOPER_CLI_NOT_INSTALLED"
  | "AZURE_DEVELOPER_CLI_NOT_SIGNED_IN"
  | "DEVELOPER_TOOL_TIMED_OUT"
  | "DEVELOPER_TOOL_CLAIMS_CHALLENGE"
  /** Windows: the batch file's path (or an argument) holds characters cmd.exe reads as syntax. */
  | "DEVELOPER_TOOL_UNSAFE_FOR_CMD";

/** VisualStudioCodeCredential's and SharedTokenCacheCredential's "not signed in here" reasons. */
export type DeveloperSignInCode =
  | "VSCODE_NOT_SIGNED_IN"
  | "VSCODE_AUTH_RECORD_INVALID"
  | "VSCODE_BROKER_UNAVAILABLE"
  | "VSCODE_TENANT_UNSUPPORTED"
  | "SHARED_CACHE_NO_ACCOUNT"
  | "SHARED_CACHE_AMBIGUOUS"
  | "SHARED_CACHE_SIGN_IN_REQUIRED";

/** Managed identity: not on Azure, its endpoint unreachable, or a user-assigned id where the source takes none. */
export type ManagedIdentityUnavailableCode =
  "MANAGED_IDENTITY_UNAVAILABLE" | "MANAGED_IDENTITY_UNREACHABLE" | "MANAGED_IDENTITY_USER_ASSIGNED_UNSUPPORTED";

/** The service credentials' reasons (client certificate, environment, workload identity). */
export type ServiceCredentialUnavailableCode =
  | "CERTIFICATE_UNREADABLE"
  | "PKCS12_UNSUPPORTED"
  | "ENVIRONMENT_NOT_CONFIGURED"
  | "WORKLOAD_IDENTITY_NOT_CONFIGURED"
  | "FEDERATED_TOKEN_UNREADABLE";

/** The "no broker here" reasons (kind `unavailable`); the broker credential falls back to the browser on them. */
export type BrokerUnavailableCode =
  "BROKER_UNAVAILABLE" | "LIBRARY_MISSING" | "UNSUPPORTED_PLATFORM" | "ADDON_NOT_LOADED" | "NO_SESSION_BUS";

/** `InvalidArgumentError.code`: which argument was unusable. */
export type InvalidArgumentErrorCode =
  | "INVALID_ARGUMENT"
  | "INVALID_TENANT_ID"
  | "INVALID_CLIENT_ID"
  | "INVALID_SCOPE"
  | "INVALID_AUTHORITY_HOST"
  | "INVALID_REDIRECT_URI"
  | "INVALID_POP_OPTIONS"
  | "INVALID_WINDOW_HANDLE"
  | "INVALID_TIMEOUT"
  | "INVALID_AUTHENTICATION_RECORD"
  | "INVALID_BROWSER_URL"
  | "INVALID_CACHE_NAME"
  | "INVALID_DATA_PROTECTION_SCOPE"
  // The service credentials' arguments:
  | "INVALID_CLIENT_SECRET"
  | "INVALID_CLIENT_ASSERTION"
  | "INVALID_CERTIFICATE"
  | "INVALID_CERTIFICATE_KEY"
  | "INVALID_CERTIFICATE_PASSWORD"
  | "INVALID_MANAGED_IDENTITY_ID"
  | "INVALID_SUBSCRIPTION"
  // DefaultAzureCredential's configuration:
  | "INVALID_AZURE_TOKEN_CREDENTIALS"
  | "MISSING_ENVIRONMENT_VARIABLE";

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
  readonly code: CredentialUnavailableErrorCode;
  constructor(message?: string, options?: { cause?: unknown; code?: CredentialUnavailableErrorCode }) {
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
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the type @azure/identity declares
  readonly errors: any[];
  /** `detailsInMessage`: the message already says what each error was (DefaultAzureCredential's list). */
  constructor(errors: unknown[], errorMessage?: string, options?: { detailsInMessage?: boolean }) {
    super(options?.detailsInMessage ? errorMessage : `${errorMessage}\n${errors.join("\n")}`);
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

/**
 * A caller passed something unusable. Thrown synchronously, before any I/O. A `TypeError` (as
 * `@azure/identity` throws), of its own class so that no other TypeError passes for one.
 */
export class InvalidArgumentError extends TypeError {
  /** Which argument was unusable, e.g. `INVALID_SCOPE`. */
  readonly code: InvalidArgumentErrorCode;
  constructor(code: InvalidArgumentErrorCode, message: string) {
    super(message);
    this.name = "TypeError";
    this.code = code;
  }
}

export function invalidArgument(code: InvalidArgumentErrorCode, message: string): InvalidArgumentError {
  return new InvalidArgumentError(code, message);
}

/** One line about a public error for logs, from its fields: the code (and status), or our reason. */
export function summarize(error: Error): string {
  if (error instanceof AuthenticationError) return `${error.code} (status ${error.statusCode})`;
  const reason = (error.cause as { reason?: unknown } | undefined)?.reason;
  const code = (error as { code?: unknown }).code;
  return `${typeof code === "string" ? `${code}: ` : ""}${typeof reason === "string" ? reason : error.message}`;
}
