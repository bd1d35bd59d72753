import type { AzureLogger, createClientLogger as CreateClientLogger } from "@azure/logger";

let factory: typeof CreateClientLogger | undefined;
let current: AzureLogger | undefined;

/**
 * The package's logger; `AZURE_LOG_LEVEL` or `setLogLevel` from `@azure/logger` turn it on. Made at
 * its first use, so importing the package loads no `@azure/logger`.
 */
export function packageLogger(): AzureLogger {
  if (!current) {
    const create = factory ?? (require("@azure/logger") as typeof import("@azure/logger")).createClientLogger;
    current = create("entra-broker");
  }
  return current;
}

/**
 * `@azure/logger` has a CommonJS and an ESM build, each with its own log level and `AzureLogger.log`.
 * Our ESM entry points call this with the ESM build's factory, so an ESM app's `setLogLevel` (from
 * its own import of `@azure/logger`) reaches our messages too.
 */
export function useLoggerFactory(create: typeof CreateClientLogger): void {
  factory = create;
  current = undefined;
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
    info: (m) => packageLogger().info(`${prefix} ${m}`),
    warning: (m) => packageLogger().warning(`${prefix} ${m}`),
    verbose: (m) => packageLogger().verbose(`${prefix} ${m}`),
    error: (m) => packageLogger().error(`${prefix} ${m}`),
    user: (u) => (unsafeSupportLogging ? (u ?? "(none)") : "<redacted>"),
    unsafeSupportLogging,
    accountIdentifiers,
  };
}
