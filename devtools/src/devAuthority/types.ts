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
  /** Tenant ids the user may sign in to; default all. In each one but the home tenant the user is a guest. */
  tenants?: string[];
  /**
   * The `oid` the user has as a guest in each other tenant (by tenant id); default: a stable GUID
   * per tenant. As in Entra, tokens from a guest tenant carry it with that tenant's `tid` and an
   * `idp` naming the home tenant; `client_info` keeps the home ids (msal's home account id).
   */
  guestObjectIds?: Record<string, string>;
}

/** A tenant (directory) of the dev authority. */
export interface DevTenant {
  /** The tenant id (a GUID) used in authority URLs and the `tid` claim. */
  tenantId: string;
  /** Its domain name, also accepted in authority URLs. */
  domain: string;
}

/** A federated identity credential: the app trusts tokens of this issuer for this subject. */
export interface DevFederatedCredential {
  /** The `iss` of trusted tokens, e.g. `authority.federationIssuer()` or an outside issuer. */
  issuer: string;
  /** The `sub` of trusted tokens, e.g. `system:serviceaccount:ns:name`. */
  subject: string;
  /** Accepted `aud` values; default `["api://AzureADTokenExchange"]`. */
  audiences?: string[];
  /** The issuer's keys, for an issuer the dev authority does not serve itself. */
  jwks?: { keys: Record<string, unknown>[] };
}

/**
 * An application registered with the dev authority. A client id not registered is accepted as a
 * public client; one with a secret, certificates or federated credentials is confidential.
 */
export interface DevClient {
  /** The application (client) id. */
  clientId: string;
  /** Its client secret. */
  clientSecret?: string;
  /** PEM X.509 certificates whose public keys verify its `private_key_jwt` assertions. */
  certificates?: string[];
  /** Issuers (and subjects) whose tokens it may present as client assertions. */
  federatedCredentials?: DevFederatedCredential[];
  /** App roles granted to it: the `roles` claim of its app-only tokens. */
  roles?: string[];
  /** Object id of its service principal (`oid`/`sub` of app-only tokens); default a stable GUID per tenant. */
  objectId?: string;
}

/** Options of `DevAuthority.issueFederatedToken()`. */
export interface FederatedTokenOptions {
  /** The `sub` claim. */
  subject: string;
  /** The `aud` claim; default `api://AzureADTokenExchange`. */
  audience?: string;
  /** An issuer name (`<url>/federation/<name>`) or such a URL; default `default`. */
  issuer?: string;
  /** Default 3600; negative makes an expired token. */
  lifetimeSeconds?: number;
}

/** How a client authenticated at the token endpoint. */
export type DevClientAuthMethod = "secret" | "certificate" | "federated";

/** The dev authority's endpoints, as named in counters and faults. */
export type DevEndpoint =
  "openidConfiguration" | "instanceDiscovery" | "authorize" | "token" | "devicecode" | "deviceLogin" | "jwks" | "federation";

export const DEV_ENDPOINTS: readonly DevEndpoint[] = [
  "openidConfiguration",
  "instanceDiscovery",
  "authorize",
  "token",
  "devicecode",
  "deviceLogin",
  "jwks",
  "federation",
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
  /** Registered applications (confidential ones have a secret, certificates or federated credentials). */
  clients?: DevClient[];
  /** Refuse a client assertion sent twice (same `jti`); default off, as Entra (msal reuses its assertion for 10 minutes). */
  refuseAssertionReplay?: boolean;
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
  /** Token requests whose client authenticated, per method. */
  tokenByClientAuth: Record<DevClientAuthMethod, number>;
};
