// The one internal error type. The broker modules, the persistence layer, the flows and the HTTP
// client report what went wrong as a Failure with a kind; src/tokens/errors.ts alone turns it into a
// public error by switching on `kind`, never on message text, and keeps the Failure as `cause`.

/** What happened, as far as the caller needs to decide what to do. */
export type FailureKind =
  /** A user must sign in (silent failed, nothing broken). */
  | "interaction_needed"
  /** The caller (or the user, in the broker's window) cancelled. */
  | "cancelled"
  /** A time limit lapsed. */
  | "timed_out"
  /** The authority, a local port or the broker's bus could not be reached. */
  | "unreachable"
  /** The authority (or the broker on its behalf) answered and refused. */
  | "server_refused"
  /** What this needs is not on this machine (no broker, no secret store, no addon). */
  | "unavailable"
  /** It is here but cannot do this (e.g. proof-of-possession). */
  | "unsupported"
  /** A reply we could not read. */
  | "bad_reply"
  /** The request itself could not be made (bad input reaching a component). */
  | "invalid_request";

export interface FailureDetails {
  /** The OS's name for the failure (D-Bus error name, WinRT status). */
  osError?: string;
  /** The OS's number for it (HRESULT, errno). */
  osCode?: number;
  /** What went wrong, one line, no secrets. */
  reason?: string;
  /** What would fix it, one step per entry. */
  fix?: string[];
  /** For `server_refused` / `bad_reply`: the HTTP status the authority sent (0: none). */
  statusCode?: number;
  /** For `server_refused`: the OAuth error and its description, as the authority or broker gave them. */
  serverError?: { error: string; description: string; errorCodes?: number[]; correlationId?: string; subError?: string };
  cause?: unknown;
}

export class Failure extends Error {
  readonly osError?: string;
  readonly osCode?: number;
  readonly reason?: string;
  readonly fix?: string[];
  readonly statusCode?: number;
  readonly serverError?: FailureDetails["serverError"];

  constructor(
    readonly kind: FailureKind,
    /** Stable and machine-readable, e.g. `BROKER_BAD_REPLY`; becomes the public error's `code`. */
    readonly code: string,
    message: string,
    details: FailureDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "Failure";
    this.osError = details.osError;
    this.osCode = details.osCode;
    this.reason = details.reason;
    this.fix = details.fix;
    this.statusCode = details.statusCode;
    this.serverError = details.serverError;
  }
}

export function isFailure(error: unknown, kind?: FailureKind): error is Failure {
  return error instanceof Failure && (kind === undefined || error.kind === kind);
}
