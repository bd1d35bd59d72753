/** Options of {@link AzureDeveloperCliCredential}, as `@azure/identity`'s. */
export interface AzureDeveloperCliCredentialOptions {
  /** The tenant to ask azd for (`--tenant-id`); default: azd's signed-in tenant. */
  tenantId?: string;
  /** Tenants a `getToken({tenantId})` may ask for besides `tenantId`; `*` allows any. */
  additionallyAllowedTenants?: string[];
  /** How long azd may run, in ms; past it the process tree is stopped. Default 10 000. */
  processTimeoutInMs?: number;
}
