// Public types of the dev authority (`entra-broker/dev-authority`).

/** A user of the dev authority. */
export interface DevUser {
  /** Sign-in name, e.g. `ada@contoso.example`. */
  username: string;
  /** The password the sign-in page accepts. */
  password: string;
  /** The `name` claim. */
  displayName: string;
  /** The `oid` claim; default: a stable GUID derived from the username. */
  objectId?: string;
  /** The tenant the user belongs to; default: the tenant whose domain the username has, else the first. */
  homeTenantId?: string;
  /** Tenant ids the user may sign in to; default all. */
  tenants?: string[];
}

/** A tenant (directory) of the dev authority. */
export interface DevTenant {
  /** The tenant id (a GUID) used in authority URLs and the `tid` claim. */
  tenantId: string;
  /** Its domain name, also accepted in authority URLs. */
  domain: string;
}

/** An application registered with the dev authority (any client id is accepted as a public client). */
export interface DevClient {
  /** The application (client) id. */
  clientId: string;
  /** Confidential when set. */
  clientSecret?: string;
}

/** The dev authority's endpoints, as named in counters and faults. */
export type DevEndpoint = "openidConfiguration" | "instanceDiscovery" | "authorize" | "token" | "devicecode" | "deviceLogin" | "jwks";

export const DEV_ENDPOINTS: readonly DevEndpoint[] = [
  "openidConfiguration",
  "instanceDiscovery",
  "authorize",
  "token",
  "devicecode",
  "deviceLogin",
  "jwks",
];

/** A fault for the next requests of an endpoint: a delay, an error reply, or both. */
export interface InjectedFault {
  /** The endpoint it applies to. */
  endpoint: DevEndpoint;
  /** HTTP status of the error reply; default 400, or the error's usual status. */
  status?: number;
  /** OAuth error code of the reply, e.g. `invalid_grant`, `temporarily_unavailable`. */
  error?: string;
  /** `error_description`; default an `AADSTS` text naming the fault. */
  errorDescription?: string;
  /** `error_codes`. */
  errorCodes?: number[];
  /** Wait this long before answering. */
  delayMs?: number;
  /** Default 1; Infinity allowed. */
  times?: number;
  /** Token endpoint only: only requests with this grant_type. */
  grantType?: string;
}

/** Options of `DevAuthority.start()`. */
export interface DevAuthorityOptions {
  /** 0 = random (default). */
  port?: number;
  /** The users; default: three users over the default tenants (`ada@contoso.example`, ...). */
  users?: DevUser[];
  /** The tenants; default: `contoso.example` and `fabrikam.example`. */
  tenants?: DevTenant[];
  /** Registered applications (confidential ones have a secret). */
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

/** Requests served per endpoint since start or `resetCounters()`. */
export type DevCounters = Record<DevEndpoint, number> & {
  /** Token requests per `grant_type`. */
  tokenByGrant: Record<string, number>;
};
