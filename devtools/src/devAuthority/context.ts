// What every endpoint shares: the host, the directory (tenants, users, clients), keys, state, settings.
import type { RegisteredClient } from "./clientRegistry";
import { FederationIssuers } from "./federation";
import { FlowTable } from "./flow";
import { OAuthError } from "./http";
import type { TokenSigner } from "./jwt";
import type { Store } from "./store";
import type { DevTenant, DevUser } from "./types";

export type NormalizedUser = Required<DevUser>;

export interface Settings {
  accessTokenLifetimeSeconds: number;
  refreshInSeconds?: number;
  refreshTokenLifetimeSeconds: number;
  deviceCodeIntervalSeconds: number;
  deviceCodeLifetimeSeconds: number;
  stepUp: boolean;
  /** Refuse a client assertion whose jti was seen before, even the identical assertion. */
  refuseAssertionReplay: boolean;
}

export const ALIASES = ["common", "organizations", "consumers"] as const;
export type TenantAlias = (typeof ALIASES)[number];
/** The tenant Entra uses for Microsoft accounts (`consumers`). */
export const CONSUMERS_TENANT_ID = "9188040d-6c67-4c5b-b112-36a304b66dad";

export interface ResolvedTenant {
  segment: string;
  alias?: TenantAlias;
  tenant?: DevTenant;
}

const SEGMENT_RE = /^[A-Za-z0-9][A-Za-z0-9.-]{0,99}$/;

export class AuthorityContext {
  url = "";
  host = "";
  readonly flows = new FlowTable();
  /** The OIDC issuers it serves under /federation/, for federated client assertions in tests. */
  readonly federation = new FederationIssuers(() => this.url);

  constructor(
    readonly tenants: DevTenant[],
    readonly users: NormalizedUser[],
    readonly clients: RegisteredClient[],
    readonly signer: TokenSigner,
    readonly store: Store,
    readonly settings: Settings,
  ) {}

  findUser(username: string | undefined): NormalizedUser | undefined {
    if (!username) return undefined;
    const u = username.trim().toLowerCase();
    return this.users.find((x) => x.username.toLowerCase() === u);
  }

  findTenant(idOrDomain: string): DevTenant | undefined {
    const k = idOrDomain.toLowerCase();
    return this.tenants.find((t) => t.tenantId.toLowerCase() === k || t.domain.toLowerCase() === k);
  }

  client(clientId: string): RegisteredClient | undefined {
    return this.clients.find((c) => c.clientId === clientId);
  }

  /** A tenant path segment: a tenant id or domain, or common / organizations / consumers. */
  resolveTenant(segment: string): ResolvedTenant {
    const lower = segment.toLowerCase();
    const alias = (ALIASES as readonly string[]).includes(lower) ? (lower as TenantAlias) : undefined;
    if (alias) return { segment: lower, alias };
    const tenant = SEGMENT_RE.test(segment) ? this.findTenant(segment) : undefined;
    if (!tenant) {
      const shown = SEGMENT_RE.test(segment) ? segment : "(invalid)";
      throw new OAuthError(
        "invalid_tenant",
        90002,
        `Tenant '${shown}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    }
    return { segment: tenant.tenantId, tenant };
  }

  /** The tenant a user gets tokens for when signing in at this authority, or an error why not. */
  tenantForUser(resolved: ResolvedTenant, user: NormalizedUser): DevTenant {
    if (resolved.alias === "consumers") {
      throw new OAuthError(
        "invalid_grant",
        50020,
        `User account '${user.username}' is a work or school account and cannot sign in to the 'consumers' tenant.`,
      );
    }
    const tenant = resolved.tenant ?? this.findTenant(user.homeTenantId) ?? this.tenants[0];
    if (!tenant || !user.tenants.some((t) => t.toLowerCase() === tenant.tenantId.toLowerCase())) {
      throw new OAuthError(
        "invalid_grant",
        50020,
        `User account '${user.username}' from identity provider 'dev-authority' does not exist in tenant '${tenant?.domain ?? "?"}' and cannot access the application in that tenant.`,
      );
    }
    return tenant;
  }

  issuer(tenantId: string): string {
    return `${this.url}/${tenantId}/v2.0`;
  }
}
