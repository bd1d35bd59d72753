import type { UserCredentialOptions } from "./options";

/** Environment variables `requiredEnvVars` can name (as `@azure/identity`'s). */
export type DefaultAzureCredentialEnvVars =
  | "AZURE_TOKEN_CREDENTIALS"
  | "AZURE_CLIENT_ID"
  | "AZURE_TENANT_ID"
  | "AZURE_CLIENT_SECRET"
  | "AZURE_CLIENT_CERTIFICATE_PATH"
  | "AZURE_CLIENT_CERTIFICATE_PASSWORD"
  | "AZURE_ADDITIONALLY_ALLOWED_TENANTS"
  | "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN"
  | "AZURE_FEDERATED_TOKEN_FILE";

/** Options of {@link DefaultAzureCredential}: `@azure/identity` 4.14's, plus the seed's `exclude...Credential` switches. */
export interface DefaultAzureCredentialOptions extends Omit<UserCredentialOptions, "clientId"> {
  /** Passed to every credential of the chain that takes a tenant; default each one's own (`AZURE_TENANT_ID` for the service ones). */
  tenantId?: string;
  /** Time limit of the developer tools' processes (az, pwsh, azd), ms. */
  processTimeoutInMs?: number;
  /** Variables that must be set and non-empty; the constructor throws `InvalidArgumentError` (`MISSING_ENVIRONMENT_VARIABLE`) otherwise. */
  requiredEnvVars?: DefaultAzureCredentialEnvVars | DefaultAzureCredentialEnvVars[];
  /** A user-assigned managed identity's client id; default `AZURE_CLIENT_ID`. */
  managedIdentityClientId?: string;
  /** A user-assigned managed identity's resource id (instead of its client id). */
  managedIdentityResourceId?: string;
  /** The workload identity's client id; default `managedIdentityClientId`, then `AZURE_CLIENT_ID`. */
  workloadIdentityClientId?: string;
  /** Leave out the service principal in `AZURE_*` variables (the seed's `exclude_*_credential` switches, here and below). */
  excludeEnvironmentCredential?: boolean;
  /** Leave out the workload identity (federated token file) step. */
  excludeWorkloadIdentityCredential?: boolean;
  /** Leave out managed identity (and its IMDS probe). */
  excludeManagedIdentityCredential?: boolean;
  /** Default true off Windows: the shared developer cache is a Windows tool's, as the seed says. */
  excludeSharedTokenCacheCredential?: boolean;
  /** Leave out the account VS Code's Azure Resources extension signed in with. */
  excludeVisualStudioCodeCredential?: boolean;
  /** Leave out the Azure CLI (`az`). */
  excludeAzureCliCredential?: boolean;
  /** Leave out Azure PowerShell (`pwsh`, `powershell`). */
  excludeAzurePowerShellCredential?: boolean;
  /** Leave out the Azure Developer CLI (`azd`). */
  excludeAzureDeveloperCliCredential?: boolean;
  /** The silent step with the OS broker's default account (WAM, macOS SSO, the Linux broker). */
  excludeBrokerCredential?: boolean;
  /**
   * Default true. When false, an interactive sign-in through the OS broker (the browser where there
   * is none) ends the chain, parented to `parentWindowHandle`.
   */
  excludeInteractiveBrowserCredential?: boolean;
  /** Tenant of the interactive step; default `AZURE_TENANT_ID`, else the user's home tenant. */
  interactiveBrowserTenantId?: string;
  /** The window the interactive step's broker prompt belongs to (`BrowserWindow.getNativeWindowHandle()`). */
  parentWindowHandle?: Uint8Array | bigint | number;
  /** The shared cache's account; default `AZURE_USERNAME`. */
  sharedCacheUsername?: string;
  /** The shared cache's tenant; default `AZURE_TENANT_ID`. */
  sharedCacheTenantId?: string;
  /** Tenant of the VS Code step. */
  visualStudioCodeTenantId?: string;
}

/** `@azure/identity`'s name for the options with a user-assigned managed identity's client id. */
export type DefaultAzureCredentialClientIdOptions = DefaultAzureCredentialOptions;

/** `@azure/identity`'s name for the options with a user-assigned managed identity's resource id. */
export type DefaultAzureCredentialResourceIdOptions = DefaultAzureCredentialOptions & {
  /** The user-assigned managed identity's resource id. */
  managedIdentityResourceId: string;
};
