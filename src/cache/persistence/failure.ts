/** Stable codes of persistence failures; they become `CredentialUnavailableError.code`. */
export type PersistenceFailureCode =
  /** No usable store: the encrypted one failed its probe and plaintext was not allowed, or the module did not load. */
  | "PERSISTENCE_UNAVAILABLE"
  /** Another process held the cache lock for longer than we wait. */
  | "PERSISTENCE_LOCK_TIMEOUT"
  /** The store worked at start but a read or write failed later. */
  | "PERSISTENCE_FAILED";

/**
 * A persistence problem, with what went wrong (`reason`) and what would fix it (`fix`).
 * Internal: src/msal/errors.ts turns it into a CredentialUnavailableError.
 */
export class PersistenceFailure extends Error {
  constructor(
    readonly code: PersistenceFailureCode,
    message: string,
    readonly reason: string,
    readonly fix?: string,
    options?: { cause?: unknown },
  ) {
    super(fix ? `${message} To fix this, ${fix}.` : message, options);
    this.name = "PersistenceFailure";
  }
}

/** The first line of an error's message, for reasons and logs. */
export function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] || String((error as { name?: string })?.name ?? "unknown error");
}
