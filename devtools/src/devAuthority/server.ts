// The DevAuthority class: starts the HTTPS server on 127.0.0.1 and exposes the test controls.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { makeCertificates } from "./certs";
import { registerClient, type RegisteredClient } from "./clientRegistry";
import { AuthorityContext, type NormalizedUser } from "./context";
import { defaultTenants, defaultUsers, normalizeUsers } from "./defaults";
import { FaultTable } from "./faults";
import { TokenSigner } from "./jwt";
import { route } from "./router";
import { Store } from "./store";
import {
  DEV_ENDPOINTS,
  type DevAuthorityOptions,
  type DevClient,
  type DevCounters,
  type DevTenant,
  type FederatedTokenOptions,
  type InjectedFault,
} from "./types";

function emptyCounters(): DevCounters {
  const c = { tokenByGrant: {}, tokenByClientAuth: { secret: 0, certificate: 0, federated: 0 } } as DevCounters;
  for (const e of DEV_ENDPOINTS) c[e] = 0;
  return c;
}

function uniqueClients(clients: RegisteredClient[]): RegisteredClient[] {
  const ids = new Set<string>();
  for (const c of clients) {
    if (ids.has(c.clientId)) throw new TypeError(`client '${c.clientId}' is registered twice`);
    ids.add(c.clientId);
  }
  return clients;
}

function positive(n: number | undefined, fallback: number, name: string): number {
  if (n === undefined) return fallback;
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`${name} must be a positive number of seconds`);
  return n;
}

/**
 * An offline, HTTPS, Entra-ID-v2-compatible authority on 127.0.0.1, for tests and demos. Its TLS
 * certificate comes from a CA made at start ({@link DevAuthority.ca}): trust it per client
 * (`authorityCa`, `NODE_EXTRA_CA_CERTS` in a child process), never process-wide.
 */
export class DevAuthority {
  /** `https://127.0.0.1:PORT`: use it as `authorityHost`. */
  readonly url: string;
  /** `127.0.0.1:PORT`. */
  readonly host: string;
  /** The CA certificate (PEM) that signed the server's certificate. */
  readonly ca: string;
  /** The same CA in a file, e.g. for `NODE_EXTRA_CA_CERTS`; removed by `close()`. */
  readonly caPath: string;
  /** The users, with every default filled in. */
  readonly users: NormalizedUser[];
  /** The tenants. */
  readonly tenants: DevTenant[];
  /** Requests served per endpoint since start or `resetCounters()`. */
  counters: DevCounters = emptyCounters();

  private readonly faults = new FaultTable();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private closed?: Promise<void>;

  private constructor(
    private readonly server: Server,
    private readonly ctx: AuthorityContext,
    ca: string,
    private readonly caDir: string,
    private readonly sockets: Set<Socket>,
  ) {
    const port = (server.address() as { port: number }).port;
    this.host = `127.0.0.1:${port}`;
    this.url = `https://${this.host}`;
    ctx.host = this.host;
    ctx.url = this.url;
    this.ca = ca;
    this.caPath = path.join(caDir, "dev-authority-ca.pem");
    writeFileSync(this.caPath, ca, { mode: 0o644 });
    this.users = ctx.users;
    this.tenants = ctx.tenants;
  }

  /** Starts an authority on a random port (or `options.port`). */
  static async start(options: DevAuthorityOptions = {}): Promise<DevAuthority> {
    const tenants = options.tenants && options.tenants.length > 0 ? options.tenants.map((t) => ({ ...t })) : defaultTenants();
    const users = normalizeUsers(options.users ?? defaultUsers(tenants), tenants);
    const life = positive(options.accessTokenLifetimeSeconds, 3600, "accessTokenLifetimeSeconds");
    const ctx = new AuthorityContext(
      tenants,
      users,
      uniqueClients((options.clients ?? []).map(registerClient)),
      new TokenSigner(),
      new Store(),
      {
        accessTokenLifetimeSeconds: life,
        refreshInSeconds: options.refreshInSeconds,
        refreshTokenLifetimeSeconds: positive(options.refreshTokenLifetimeSeconds, 90 * 24 * 3600, "refreshTokenLifetimeSeconds"),
        deviceCodeIntervalSeconds: options.deviceCodeIntervalSeconds ?? 1,
        deviceCodeLifetimeSeconds: positive(options.deviceCodeLifetimeSeconds, 900, "deviceCodeLifetimeSeconds"),
        stepUp: false,
        refuseAssertionReplay: !!options.refuseAssertionReplay,
      },
    );
    const certs = await makeCertificates();
    let self: DevAuthority | undefined;
    const server = createServer({ key: certs.keyPem, cert: certs.certPem + certs.caPem, minVersion: "TLSv1.2" }, (req, res) => {
      if (!self) {
        res.writeHead(503).end();
        return;
      }
      route({ ctx, faults: self.faults, counters: self.counters, delay: (ms) => self!.delay(ms) }, req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    server.keepAliveTimeout = 5000;
    server.headersTimeout = 10000;
    server.requestTimeout = 30000;
    const sockets = new Set<Socket>();
    server.on("connection", (s: Socket) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    });
    server.on("tlsClientError", (_e, s) => s.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    const dir = mkdtempSync(path.join(tmpdir(), "entra-dev-authority-"));
    self = new DevAuthority(server, ctx, certs.caPem, dir, sockets);
    return self;
  }

  /**
   * MFA step-up: when on, a request whose claims ask for an authentication context (`acrs`) needs
   * the MFA page; refresh and password grants answer `interaction_required`. Off at start.
   */
  get stepUp(): boolean {
    return this.ctx.settings.stepUp;
  }

  /** Turns step-up on or off. */
  set stepUp(on: boolean) {
    this.ctx.settings.stepUp = !!on;
  }

  /** Registers an application (or replaces the registration with its client id) while running. */
  addClient(client: DevClient): void {
    const registered = registerClient(client);
    this.removeClient(registered.clientId);
    this.ctx.clients.push(registered);
  }

  /** Removes a registration: the client id is a public client again. Returns whether there was one. */
  removeClient(clientId: string): boolean {
    const i = this.ctx.clients.findIndex((c) => c.clientId === clientId);
    if (i >= 0) this.ctx.clients.splice(i, 1);
    return i >= 0;
  }

  /** The registered applications. */
  get clients(): DevClient[] {
    return this.ctx.clients.map((c) => ({ ...c.registration }));
  }

  /** The URL of an OIDC issuer the authority serves (`<url>/federation/<name>`), for federated credentials. */
  federationIssuer(name = "default"): string {
    return this.ctx.federation.url(name);
  }

  /**
   * A token of one of the authority's own OIDC issuers (RS256, keys at `<issuer>/keys`), for a
   * federated client assertion: e.g. write it to the file `AZURE_FEDERATED_TOKEN_FILE` names.
   */
  issueFederatedToken(options: FederatedTokenOptions): string {
    return this.ctx.federation.issue(options);
  }

  /** When on, a client assertion sent a second time (same jti) is refused; off by default, as Entra. */
  get refuseAssertionReplay(): boolean {
    return this.ctx.settings.refuseAssertionReplay;
  }

  set refuseAssertionReplay(on: boolean) {
    this.ctx.settings.refuseAssertionReplay = !!on;
  }

  /** Sets every counter back to 0. */
  resetCounters(): void {
    this.counters = emptyCounters();
  }

  /** Answers the next requests of an endpoint with an error and/or a delay. */
  injectFault(fault: InjectedFault): void {
    if (!DEV_ENDPOINTS.includes(fault.endpoint)) throw new TypeError(`unknown endpoint '${String(fault.endpoint)}'`);
    this.faults.add(fault);
  }

  /** Removes every injected fault. */
  clearFaults(): void {
    this.faults.clear();
  }

  /** Access token lifetime (and `refresh_in`) for tokens issued from now on. */
  setTokenLifetime(seconds: number, refreshInSeconds?: number): void {
    this.ctx.settings.accessTokenLifetimeSeconds = positive(seconds, 3600, "seconds");
    this.ctx.settings.refreshInSeconds = refreshInSeconds;
  }

  /** Revokes the user's refresh tokens issued so far: the next refresh answers `invalid_grant`. */
  revokeSessions(username: string): void {
    this.ctx.store.revoke(username);
  }

  /** Stops the server, ends open connections and removes the CA file. Idempotent. */
  close(): Promise<void> {
    if (this.closed) return this.closed;
    for (const [t, done] of this.timers) {
      clearTimeout(t);
      done();
    }
    this.timers.clear();
    this.closed = new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
      for (const s of this.sockets) s.destroy();
    }).finally(() => rmSync(this.caDir, { recursive: true, force: true }));
    return this.closed;
  }

  private delay(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.set(t, resolve);
    });
  }
}
