import { createClientLogger, type AzureLogger } from "@azure/logger";

/** The package's logger; `AZURE_LOG_LEVEL` or `setLogLevel` from `@azure/logger` turn it on. */
export let logger: AzureLogger = createClientLogger("entra-broker");

/**
 * `@azure/logger` has a CommonJS and an ESM build, each with its own log level and `AzureLogger.log`.
 * Our ESM entry points call this with the ESM build's factory, so an ESM app's `setLogLevel` (from
 * its own import of `@azure/logger`) reaches our messages too.
 */
export function useLoggerFactory(create: typeof createClientLogger): void {
  logger = create("entra-broker");
}

/** A credential's view of the logger: prefixes its name and redacts usernames unless allowed. */
export interface CredentialLogger {
  info(message: string): void;
  warning(message: string): void;
  verbose(message: string): void;
  error(message: string): void;
  /** The username itself when unsafe support logging is on, else a placeholder. */
  user(username: string | undefined): string;
  readonly unsafeSupportLogging: boolean;
  /** `loggingOptions.allowLoggingAccountIdentifiers`: log who signed in (client, tenant, UPN, object id), as `@azure/identity` does. */
  readonly accountIdentifiers: boolean;
}

export function credentialLogger(name: string, unsafeSupportLogging = false, accountIdentifiers = false): CredentialLogger {
  const prefix = `${name} =>`;
  return {
    info: (m) => logger.info(`${prefix} ${m}`),
    warning: (m) => logger.warning(`${prefix} ${m}`),
    verbose: (m) => logger.verbose(`${prefix} ${m}`),
    error: (m) => logger.error(`${prefix} ${m}`),
    user: (u) => (unsafeSupportLogging ? (u ?? "(none)") : "<redacted>"),
    unsafeSupportLogging,
    accountIdentifiers,
  };
}
