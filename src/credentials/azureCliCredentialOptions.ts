/** Options of {@link AzureCliCredential}, as `@azure/identity`'s. */
export interface AzureCliCredentialOptions {
  /** The tenant to ask az for (`--tenant`); default: az's current account's. */
  tenantId?: string;
  /** Tenants a `getToken({tenantId})` may ask for besides `tenantId`; `*` allows any. */
  additionallyAllowedTenants?: string[];
  /** How long az may run, in ms; past it az (and what it started) is stopped. Default 10 000. */
  processTimeoutInMs?: number;
  /** The subscription (name or id) whose account az should use (`--subscription`); default az's current one. */
  subscription?: string;
}
