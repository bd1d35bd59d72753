// The resource-manager stand-in `az login` needs: `GET /tenants` and `GET /subscriptions`, each
// behind a bearer token the dev authority issued. One subscription per tenant the caller may use.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { Socket } from "node:net";
import { stableGuid } from "../devAuthority/defaults";
import type { DevTenant } from "../devAuthority/types";
import { BearerError, BearerVerifier, type VerifiedToken } from "./bearer";
import { closeServer, listenOnLoopback } from "./loopbackServer";

/** The resource az asks tokens for to call resource manager (`--endpoint-active-directory-resource-id`). */
export const MANAGEMENT_RESOURCE = "https://management.core.windows.net/";
/** api-versions of the subscriptions API that the Azure CLI's profiles use (2019-11-01 in az 2.45's latest profile). */
export const ARM_API_VERSIONS = ["2016-06-01", "2019-11-01", "2020-01-01", "2021-01-01", "2022-12-01"];

export interface ArmSubscription {
  subscriptionId: string;
  tenantId: string;
  displayName: string;
}

/** One request the stand-in served. */
export interface ArmRequest {
  method: string;
  path: string;
  apiVersion: string | null;
  status: number;
  /** The token's tenant, when it was valid. */
  tid?: string;
}

/** What the stand-in needs of the dev authority (a `DevAuthority` fits). */
export interface ArmDirectory {
  url: string;
  ca: string;
  tenants: DevTenant[];
  /** A guest's token carries its object id in that tenant (`guestObjectIds`, by lower-case tenant id). */
  users: { objectId: string; tenants: string[]; guestObjectIds?: Record<string, string> }[];
}

function send(res: ServerResponse, status: number, body: unknown): number {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
  return status;
}

const armError = (res: ServerResponse, status: number, code: string, message: string) => send(res, status, { error: { code, message } });

export class ArmStandIn {
  /** Every request served, in order. */
  readonly requests: ArmRequest[] = [];
  /** The subscriptions, one per tenant. */
  readonly subscriptions: ArmSubscription[];
  private readonly verifier: BearerVerifier;
  private readonly sockets = new Set<Socket>();
  private closed?: Promise<void>;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly directory: ArmDirectory,
  ) {
    this.verifier = new BearerVerifier(directory.url, directory.ca, [MANAGEMENT_RESOURCE]);
    this.subscriptions = directory.tenants.map((t) => ({
      subscriptionId: stableGuid(`subscription:${t.tenantId}`),
      tenantId: t.tenantId,
      displayName: `Dev subscription (${t.domain})`,
    }));
  }

  /** Starts the stand-in on 127.0.0.1 with this TLS key and certificate chain. */
  static async start(directory: ArmDirectory, tls: { keyPem: string; certPem: string }): Promise<ArmStandIn> {
    let self: ArmStandIn | undefined;
    const server = createServer({ key: tls.keyPem, cert: tls.certPem, minVersion: "TLSv1.2" }, (req, res) => {
      if (!self) return void res.writeHead(503).end();
      const s = self;
      s.handle(req, res).catch(() => {
        if (!res.headersSent) armError(res, 500, "InternalServerError", "The ARM stand-in failed.");
      });
    });
    server.on("connection", (sock: Socket) => {
      self?.sockets.add(sock);
      sock.on("close", () => self?.sockets.delete(sock));
    });
    server.on("tlsClientError", (_e, s) => s.destroy());
    self = new ArmStandIn(server, `https://127.0.0.1:${await listenOnLoopback(server)}/`, directory);
    return self;
  }

  /** Stops the server and ends open connections. Idempotent. */
  close(): Promise<void> {
    this.closed ??= closeServer(this.server, this.sockets);
    return this.closed;
  }

  /** Tenants the token's caller may use: a user's tenants, or a service principal's own tenant. */
  private tenantsOf(token: VerifiedToken): DevTenant[] {
    const user = token.oid
      ? this.directory.users.find((u) => u.objectId === token.oid || Object.values(u.guestObjectIds ?? {}).includes(token.oid!))
      : undefined;
    const ids = user && token.upn ? user.tenants : [token.tid];
    return this.directory.tenants.filter((t) => ids.some((id) => id.toLowerCase() === t.tenantId.toLowerCase()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? "/", this.url);
    const path = u.pathname.replace(/\/+$/, "").toLowerCase();
    const apiVersion = u.searchParams.get("api-version");
    const record: ArmRequest = { method: req.method ?? "GET", path: u.pathname, apiVersion, status: 0 };
    this.requests.push(record);
    if (path !== "/tenants" && path !== "/subscriptions") {
      record.status = armError(res, 404, "InvalidResourceType", `The resource type '${u.pathname.slice(1, 80)}' could not be found.`);
      return;
    }
    if (record.method !== "GET") {
      record.status = armError(res, 405, "MethodNotAllowed", "The stand-in serves GET only.");
      return;
    }
    if (!apiVersion) {
      record.status = armError(
        res,
        400,
        "MissingApiVersionParameter",
        "The api-version query parameter (?api-version=) is required for all requests.",
      );
      return;
    }
    if (!ARM_API_VERSIONS.includes(apiVersion)) {
      const allowed = ARM_API_VERSIONS.join(", ");
      record.status = armError(
        res,
        400,
        "InvalidApiVersionParameter",
        `The api-version '${apiVersion.slice(0, 20)}' is invalid. The supported versions are '${allowed}'.`,
      );
      return;
    }
    let token: VerifiedToken;
    try {
      token = await this.verifier.verify(req.headers.authorization);
    } catch (e) {
      const b = e instanceof BearerError ? e : new BearerError("InvalidAuthenticationToken", "The access token is invalid.");
      res.setHeader("www-authenticate", `Bearer authorization_uri="${this.directory.url}/${"common"}", error="invalid_token"`);
      record.status = armError(res, 401, b.code, b.message);
      return;
    }
    record.tid = token.tid;
    if (path === "/tenants") {
      const value = this.tenantsOf(token).map((t) => ({
        id: `/tenants/${t.tenantId}`,
        tenantId: t.tenantId,
        tenantCategory: "Home",
        displayName: t.domain,
        domains: [t.domain],
        defaultDomain: t.domain,
        tenantType: "AAD",
      }));
      record.status = send(res, 200, { value });
      return;
    }
    // Subscriptions are listed for the token's own tenant, as resource manager does.
    const value = this.subscriptions
      .filter((s) => s.tenantId.toLowerCase() === token.tid.toLowerCase() && this.tenantsOf(token).some((t) => t.tenantId === s.tenantId))
      .map((s) => ({
        id: `/subscriptions/${s.subscriptionId}`,
        authorizationSource: "RoleBased",
        managedByTenants: [],
        subscriptionId: s.subscriptionId,
        tenantId: s.tenantId,
        displayName: s.displayName,
        state: "Enabled",
        subscriptionPolicies: { locationPlacementId: "Public_2014-09-01", quotaId: "PayAsYouGo_2014-09-01", spendingLimit: "Off" },
      }));
    record.status = send(res, 200, { value, count: { type: "Total", value: value.length } });
  }
}
