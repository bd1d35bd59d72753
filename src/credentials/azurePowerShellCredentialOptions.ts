/** Options of {@link AzurePowerShellCredential}, as `@azure/identity`'s. */
export interface AzurePowerShellCredentialOptions {
  /** The tenant to ask Get-AzAccessToken for (`-TenantId`); default: the signed-in context's. */
  tenantId?: string;
  /** Tenants a `getToken({tenantId})` may ask for besides `tenantId`; `*` allows any. */
  additionallyAllowedTenants?: string[];
  /** How long PowerShell may run, in ms; past it the process tree is stopped. Default 10 000. */
  processTimeoutInMs?: number;
}
