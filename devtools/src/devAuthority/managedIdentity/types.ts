// Public types of the dev authority's managed identity endpoints.

/** The managed identity sources msal-node knows, as named in counters, faults and `env()`. */
export type ManagedIdentitySourceName = "imds" | "appService" | "cloudShell" | "azureArc" | "serviceFabric" | "machineLearning";

export const MANAGED_IDENTITY_SOURCES: readonly ManagedIdentitySourceName[] = [
  "imds",
  "appService",
  "cloudShell",
  "azureArc",
  "serviceFabric",
  "machineLearning",
];

/** A managed identity the endpoints issue tokens for. */
export interface DevManagedIdentity {
  /** Its client (application) id: the `appid` claim, and how `client_id` selects it. */
  clientId: string;
  /** Its service principal's object id: the `oid` claim, and how `object_id` selects it. */
  objectId: string;
  /** Its ARM resource id: how `msi_res_id` / `mi_res_id` selects it. */
  resourceId: string;
  /** The system-assigned identity: the one a request that names no identity gets. */
  systemAssigned?: boolean;
  /** The tenant of its tokens; default the authority's first tenant. */
  tenantId?: string;
}

/**
 * A fault of one source: `refuse` closes its port (connections refused), `blackhole` accepts and
 * never answers, `status` answers that HTTP error, `malformed` answers 200 with a body that is not JSON,
 * `delay` answers as usual after `delayMs` (a slow but present endpoint).
 */
export type ManagedIdentityFault =
  | { kind: "refuse" | "blackhole" | "malformed"; times?: number }
  | { kind: "delay"; delayMs: number; times?: number }
  | { kind: "status"; status: number; error?: string; message?: string; times?: number };

/** Requests per source since start or `resetCounters()`. */
export interface ManagedIdentityCounters {
  /** Every request that reached the source (probes and challenges included). */
  requests: number;
  /** Tokens issued. */
  tokens: number;
  /** Requests refused by the protocol (missing header, unknown identity...) or by a fault. */
  errors: number;
  /** Azure Arc: the 401 challenges sent. */
  challenges: number;
}

/** Options of `DevAuthority.startManagedIdentity()`. */
export interface ManagedIdentityEndpointsOptions {
  /** The identities; default: one system-assigned and one user-assigned identity. */
  identities?: DevManagedIdentity[];
  /**
   * Azure Arc's key folder, where the challenge's key file is written. msal-node accepts only the
   * agent's own folder (`/var/opt/azcmagent/tokens/` on Linux, `%ProgramData%\AzureConnectedMachineAgent\Tokens\`
   * on Windows, read when msal-node loads); default a new temporary folder.
   */
  arcKeyFolder?: string;
  /** The secret of App Service's `X-IDENTITY-HEADER`, Service Fabric's and Azure ML's `secret`; default random. */
  secret?: string;
}
