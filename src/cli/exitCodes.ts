import { InvalidArgumentError } from "../errors";

/** What the CLI's exit status means; `--help` lists them. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  authenticationRequired: 3,
  unavailable: 4,
  interrupted: 130,
} as const;

/** OAuth / broker errors that mean the user said no (or closed the window). */
const CANCELLED = new Set(["access_denied", "authorization_declined", "user_canceled"]);

/** The exit status for an error that ended a command. The one place errors become exit codes. */
export function exitCodeFor(error: unknown, interrupted: boolean): number {
  const e = error as { name?: string; code?: unknown; exitCode?: unknown } | null;
  if (typeof e?.exitCode === "number") return e.exitCode; // CliError
  if (e?.name === "AbortError") return interrupted ? EXIT.interrupted : EXIT.authenticationRequired;
  if (error instanceof InvalidArgumentError) return EXIT.usage; // the library refused an argument (not Node's own TypeErrors)
  switch (e?.name) {
    case "AuthenticationRequiredError":
      return EXIT.authenticationRequired;
    case "CredentialUnavailableError":
    case "AggregateAuthenticationError":
      return EXIT.unavailable;
    case "AuthenticationError":
      return CANCELLED.has(String(e?.code)) ? EXIT.authenticationRequired : EXIT.failure;
    default:
      return EXIT.failure;
  }
}
