import type { AuthenticationRecord } from "../authenticationRecord";

/**
 * Keep the token cache across runs, encrypted in the OS store: a DPAPI-protected file on Windows,
 * the Keychain on macOS, the Secret Service (libsecret, e.g. gnome-keyring) on Linux. Needs the
 * optional dependency `@azure/msal-node-extensions` (and its keytar), loaded on first use only.
 * When no encrypted store works, `getToken` throws `CredentialUnavailableError`
 * (`PERSISTENCE_UNAVAILABLE`) saying why, unless `unsafeAllowUnencryptedStorage` is set.
 */
export interface TokenCachePersistenceOptions {
  /** Turns persistence on. */
  enabled: boolean;
  /**
   * Isolates caches: two names never share a file or a secret-store entry. Letters, digits, `.`,
   * `_`, `-`. Default `msal.cache`: the files and entries `@azure/identity` uses, so its users stay
   * signed in. Each name has a CAE and a non-CAE cache (`<name>.cae`, `<name>.nocae`).
   */
  name?: string;
  /** Fall back to a plaintext file (0600, in a 0700 folder) when no encrypted store is usable. */
  unsafeAllowUnencryptedStorage?: boolean;
  /** Windows only: whose DPAPI key encrypts the cache file. Default `CurrentUser`. */
  dataProtectionScope?: "CurrentUser" | "LocalMachine";
}

/** Options every user credential takes, with `@azure/identity`'s names and defaults. */
export interface UserCredentialOptions {
  /** Default `organizations` with the default client id, `common` with a custom one. */
  tenantId?: string;
  /** Default: the Azure CLI's public client id. */
  clientId?: string;
  /** Default `AzureAuthorityHosts.AzurePublicCloud`, or `AZURE_AUTHORITY_HOST`. https only. */
  authorityHost?: string;
  /**
   * Certificate authority (PEM) trusted for the authority's TLS in addition to the system roots,
   * for this credential only: the dev authority's `ca`. Nothing process-wide changes.
   */
  authorityCa?: string | Buffer;
  /** Tenants a `getToken({tenantId})` may ask for besides `tenantId`; `*` allows any. */
  additionallyAllowedTenants?: string[];
  /** Skip instance discovery (and the authority validation it does): for private clouds and the dev authority. */
  disableInstanceDiscovery?: boolean;
  /** What the credential logs through `@azure/logger`. */
  loggingOptions?: {
    /** Log usernames and msal's personal-data lines. Never tokens. */
    enableUnsafeSupportLogging?: boolean;
    /** Log, at `info`, who signed in: client id, tenant id, user principal name and object id (as `@azure/identity` does). */
    allowLoggingAccountIdentifiers?: boolean;
  };
}

/** Options of the credentials that can sign a user in. */
export interface InteractiveCredentialOptions extends UserCredentialOptions {
  /** A record from an earlier `authenticate()`: get tokens silently for that account. */
  authenticationRecord?: AuthenticationRecord;
  /** Never start a sign-in from `getToken`; throw `AuthenticationRequiredError` instead. */
  disableAutomaticAuthentication?: boolean;
  /** Keep the token cache in the OS secret store across runs. */
  tokenCachePersistenceOptions?: TokenCachePersistenceOptions;
  /**
   * How long an interactive sign-in may wait for the user, in ms. Default 5 minutes; for
   * `DeviceCodeCredential`, the device code's own validity, which also prevails when this is longer.
   */
  timeout?: number;
}
