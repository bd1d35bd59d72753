import type { AuthenticationRecord } from "../authenticationRecord";

/** Keep the token cache in the OS secret store across runs. */
export interface TokenCachePersistenceOptions {
  enabled: boolean;
  /** Isolates caches; default `msal.cache` (where `@azure/identity` keeps its cache). */
  name?: string;
  /** Fall back to a plaintext file (0600) when no encrypted store is usable. */
  unsafeAllowUnencryptedStorage?: boolean;
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
  disableInstanceDiscovery?: boolean;
  loggingOptions?: {
    /** Log usernames and msal's personal-data lines. Never tokens. */
    enableUnsafeSupportLogging?: boolean;
    allowLoggingAccountIdentifiers?: boolean;
  };
}

/** Options of the credentials that can sign a user in. */
export interface InteractiveCredentialOptions extends UserCredentialOptions {
  /** A record from an earlier `authenticate()`: get tokens silently for that account. */
  authenticationRecord?: AuthenticationRecord;
  /** Never start a sign-in from `getToken`; throw `AuthenticationRequiredError` instead. */
  disableAutomaticAuthentication?: boolean;
  tokenCachePersistenceOptions?: TokenCachePersistenceOptions;
  /** How long an interactive sign-in may wait for the user, in ms. Default 5 minutes. */
  timeout?: number;
}
