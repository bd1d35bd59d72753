import { Failure, isFailure, type FailureKind } from "../../failure";

/** Stable codes of persistence failures; they become `CredentialUnavailableError.code`. */
export type PersistenceFailureCode =
  /** No usable store: the encrypted one failed its probe and plaintext was not allowed, or the module did not load. */
  | "PERSISTENCE_UNAVAILABLE"
  /** Another process held the cache lock for longer than we wait. */
  | "PERSISTENCE_LOCK_TIMEOUT"
  /** The store worked at start but a read or write failed later. */
  | "PERSISTENCE_FAILED";

const KINDS: Record<PersistenceFailureCode, FailureKind> = {
  PERSISTENCE_UNAVAILABLE: "unavailable",
  PERSISTENCE_LOCK_TIMEOUT: "timed_out",
  PERSISTENCE_FAILED: "unavailable",
};

/**
 * A persistence problem, with what went wrong (`reason`) and what would fix it (`fix`).
 * Internal: src/tokens/errors.ts turns it into a CredentialUnavailableError with the same code.
 */
export class PersistenceFailure extends Failure {
  declare readonly code: PersistenceFailureCode;

  constructor(code: PersistenceFailureCode, message: string, reason: string, fix?: string, options?: { cause?: unknown }) {
    super(KINDS[code], code, message, { reason, fix: fix ? [fix] : undefined, cause: options?.cause });
    this.name = "PersistenceFailure";
  }
}

/** What went wrong, one line, for reasons and logs: our own failures' `reason`, else the error's first line. */
export function describe(error: unknown): string {
  if (isFailure(error) && error.reason) return error.reason;
  const message = error instanceof Error ? error.message : String(error);
  // Foreign errors (keytar, the file system) carry no reason field: their first line is theirs.
  const end = message.indexOf("\n");
  return (end < 0 ? message : message.slice(0, end)) || String((error as { name?: string })?.name ?? "unknown error");
}
