import type { ServiceCredentialOptions } from "./serviceCredentialOptions";

/** Options of `WorkloadIdentityCredential` (`@azure/identity`'s names); each defaults to its environment variable. */
export interface WorkloadIdentityCredentialOptions extends ServiceCredentialOptions {
  /** The app's tenant; default `AZURE_TENANT_ID`. */
  tenantId?: string;
  /** The app registration's (or user-assigned identity's) client id; default `AZURE_CLIENT_ID`. */
  clientId?: string;
  /** The file holding the Kubernetes service account token; default `AZURE_FEDERATED_TOKEN_FILE`. */
  tokenFilePath?: string;
}
