/** Options every `ManagedIdentityCredential` takes (`@azure/identity`'s `TokenCredentialOptions` that apply). */
export interface ManagedIdentityCredentialBaseOptions {
  /** Tenants a `getToken({tenantId})` may name; managed identity tokens come from the identity's own tenant. */
  additionallyAllowedTenants?: string[];
  /** What the credential logs through `@azure/logger`. */
  loggingOptions?: {
    /** Log msal's personal-data lines. Never tokens. */
    enableUnsafeSupportLogging?: boolean;
    /** Accepted for `@azure/identity` compatibility; a managed identity token names no user. */
    allowLoggingAccountIdentifiers?: boolean;
  };
}

/** A user-assigned identity by client id (or, with AKS pod identity, the app registration's). */
export interface ManagedIdentityCredentialClientIdOptions extends ManagedIdentityCredentialBaseOptions {
  /** The user-assigned identity's client id; none: the system-assigned identity. */
  clientId?: string;
}

/** A user-assigned identity by its ARM resource id (known before its client id is, e.g. in ARM templates). */
export interface ManagedIdentityCredentialResourceIdOptions extends ManagedIdentityCredentialBaseOptions {
  /** The identity's ARM resource id, `/subscriptions/.../userAssignedIdentities/NAME`. */
  resourceId: string;
}

/** A user-assigned identity by its service principal's object id. */
export interface ManagedIdentityCredentialObjectIdOptions extends ManagedIdentityCredentialBaseOptions {
  /** The identity's service principal object id. */
  objectId: string;
}

/** How long the IMDS probe waits alone (a slow IMDS on a busy VM still answers within it). */
export const DEFAULT_IMDS_PROBE_TIMEOUT_MS = 3_000;
/** The longest probe inside a chain: off Azure, `DefaultAzureCredential` moves on within it. */
export const CHAIN_IMDS_PROBE_TIMEOUT_MS = 1_000;

/**
 * @internal What `DefaultAzureCredential` passes: the IMDS probe's time limit (at most
 * {@link CHAIN_IMDS_PROBE_TIMEOUT_MS} there). Default {@link DEFAULT_IMDS_PROBE_TIMEOUT_MS}.
 */
export interface ManagedIdentityInternalOptions {
  probeTimeoutMs?: number;
}

export type ManagedIdentityCredentialOptions =
  ManagedIdentityCredentialClientIdOptions | ManagedIdentityCredentialResourceIdOptions | ManagedIdentityCredentialObjectIdOptions;
