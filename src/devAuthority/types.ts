// Public types of the dev authority (`entra-broker/dev-authority`).

export interface DevUser {
  username: string;
  password: string;
  displayName: string;
  objectId?: string;
  homeTenantId?: string;
  /** Tenant ids the user may sign in to; default all. */
  tenants?: string[];
}

export interface DevTenant {
  tenantId: string;
  domain: string;
}

export interface DevClient {
  clientId: string;
  /** Confidential when set. */
  clientSecret?: string;
}

export type DevEndpoint =
  | "openidConfiguration"
  | "instanceDiscovery"
  | "authorize"
  | "token"
  | "devicecode"
  | "deviceLogin"
  | "jwks";

export const DEV_ENDPOINTS: readonly DevEndpoint[] = [
  "openidConfiguration",
  "instanceDiscovery",
  "authorize",
  "token",
  "devicecode",
  "deviceLogin",
  "jwks",
];

export interface InjectedFault {
  endpoint: DevEndpoint;
  status?: number;
  error?: string;
  errorDescription?: string;
  errorCodes?: number[];
  delayMs?: number;
  /** Default 1; Infinity allowed. */
  times?: number;
  /** Token endpoint only: only requests with this grant_type. */
  grantType?: string;
}

export interface DevAuthorityOptions {
  /** 0 = random (default). */
  port?: number;
  users?: DevUser[];
  tenants?: DevTenant[];
  clients?: DevClient[];
  /** Default 3600. */
  accessTokenLifetimeSeconds?: number;
  /** Sent as refresh_in; default half the lifetime. */
  refreshInSeconds?: number;
  /** Default 90 days. */
  refreshTokenLifetimeSeconds?: number;
  /** Default 1. */
  deviceCodeIntervalSeconds?: number;
  /** Default 900. */
  deviceCodeLifetimeSeconds?: number;
}

export type DevCounters = Record<DevEndpoint, number> & { tokenByGrant: Record<string, number> };
