// A local HTTP proxy for the real Azure CLI: MSAL Python always asks login.microsoftonline.com for
// instance discovery of an authority it does not know. The proxy answers that CONNECT itself (TLS
// with a certificate from a throwaway CA) and serves the discovery answer for the dev authority;
// every other CONNECT and every plain request is refused, so nothing leaves the machine.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Duplex } from "node:stream";
import type { Socket } from "node:net";
import { closeServer, listenOnLoopback } from "./loopbackServer";

/** The host MSAL Python sends instance discovery to. */
export const DISCOVERY_HOST = "login.microsoftonline.com";

export interface ProxyEvent {
  /** `CONNECT host:port`, or the method and URL of a plain request. */
  target: string;
  /** What the proxy did. */
  outcome: "answered" | "refused";
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const WORLD_WIDE_ALIASES = [DISCOVERY_HOST, "login.windows.net", "login.microsoft.com", "sts.windows.net"];

const invalidInstance = {
  error: "invalid_instance",
  error_description: "AADSTS50049: Unknown or invalid instance.",
  error_codes: [50049],
};

/** The instance discovery answer for `authorization_endpoint` if it names the dev authority's host. */
export function discoveryAnswer(authorityUrl: string, query: URLSearchParams): { status: number; body: unknown } {
  const authority = new URL(authorityUrl);
  let endpoint: URL;
  try {
    endpoint = new URL(query.get("authorization_endpoint") ?? "");
  } catch {
    return { status: 400, body: invalidInstance };
  }
  // MSAL Python also asks about the world-wide authority, for the alias groups of its token cache
  // lookups (service principals in another tenant): Microsoft's group, and the dev authority's own.
  if (endpoint.protocol === "https:" && endpoint.host === DISCOVERY_HOST) {
    return {
      status: 200,
      body: {
        tenant_discovery_endpoint: `https://${DISCOVERY_HOST}/common/v2.0/.well-known/openid-configuration`,
        "api-version": "1.1",
        metadata: [
          { preferred_network: DISCOVERY_HOST, preferred_cache: "login.windows.net", aliases: WORLD_WIDE_ALIASES },
          { preferred_network: authority.hostname, preferred_cache: authority.hostname, aliases: [authority.hostname] },
        ],
      },
    };
  }
  // MSAL Python drops the port: https://127.0.0.1/<tenant>/oauth2/v2.0/authorize.
  const sameHost = endpoint.hostname === authority.hostname && (endpoint.port === "" || endpoint.port === authority.port);
  const tenant = endpoint.pathname.split("/").filter(Boolean)[0];
  if (endpoint.protocol !== "https:" || !sameHost || !tenant || !/^[A-Za-z0-9.-]{1,100}$/.test(tenant)) {
    return { status: 400, body: invalidInstance };
  }
  return {
    status: 200,
    body: {
      tenant_discovery_endpoint: `${authority.origin}/${tenant}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [{ preferred_network: authority.host, preferred_cache: authority.host, aliases: [authority.host] }],
    },
  };
}

/** The proxy; `start()` listens on 127.0.0.1 and `url` is its `HTTPS_PROXY` value. */
export class DiscoveryProxy {
  /** Every CONNECT and request seen, in order (for tests: proves what was refused). */
  readonly events: ProxyEvent[] = [];
  /** Discovery requests answered. */
  discoveryRequests = 0;
  private readonly sockets = new Set<Duplex>();
  private closed?: Promise<void>;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** Starts the proxy for the authority at `authorityUrl`, with a key and certificate for {@link DISCOVERY_HOST}. */
  static async start(authorityUrl: string, tls: { keyPem: string; certPem: string }): Promise<DiscoveryProxy> {
    let self: DiscoveryProxy | undefined;
    const discovery = createHttpsServer({ key: tls.keyPem, cert: tls.certPem, minVersion: "TLSv1.2" }, (req, res) => {
      self?.answerDiscovery(authorityUrl, req, res);
    });
    discovery.on("tlsClientError", (_e, s) => s.destroy());
    const server = createHttpServer((req, res) => {
      self?.events.push({ target: `${req.method} ${req.url}`, outcome: "refused" });
      res.writeHead(403, { connection: "close" }).end("entra-broker-devtools: this proxy sends nothing off the machine\n");
    });
    server.on("connect", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!self) return socket.destroy();
      self.track(socket);
      const to = (req.url ?? "").toLowerCase();
      if (to !== `${DISCOVERY_HOST}:443`) {
        self.events.push({ target: `CONNECT ${req.url}`, outcome: "refused" });
        socket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
      }
      self.events.push({ target: `CONNECT ${req.url}`, outcome: "answered" });
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) socket.unshift(head);
      discovery.emit("connection", socket);
    });
    server.on("connection", (s: Socket) => self?.track(s));
    const port = await listenOnLoopback(server);
    self = new DiscoveryProxy(server, `http://127.0.0.1:${port}`);
    return self;
  }

  /** CONNECT targets the proxy refused. */
  get refused(): string[] {
    return this.events.filter((e) => e.outcome === "refused").map((e) => e.target);
  }

  /** Stops listening and ends every open connection. Idempotent. */
  close(): Promise<void> {
    this.closed ??= closeServer(this.server, this.sockets);
    return this.closed;
  }

  private track(socket: Duplex): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  }

  private answerDiscovery(authorityUrl: string, req: IncomingMessage, res: ServerResponse): void {
    const u = new URL(req.url ?? "/", `https://${DISCOVERY_HOST}`);
    if (req.method !== "GET" || u.pathname.toLowerCase() !== "/common/discovery/instance") {
      this.events.push({ target: `${req.method} https://${DISCOVERY_HOST}${u.pathname}`, outcome: "refused" });
      return sendJson(res, 404, { error: "not_found", error_description: "Only instance discovery is served here." });
    }
    this.discoveryRequests += 1;
    const answer = discoveryAnswer(authorityUrl, u.searchParams);
    sendJson(res, answer.status, answer.body);
  }
}
