// The managed identity endpoints: one plain-HTTP listener on 127.0.0.1 per source, as the real
// ones are local HTTP services, with faults, counters and the environment that points msal-node at them.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { AuthorityContext } from "../context";
import { sendJson } from "../http";
import { ArcKeys } from "./arcKeys";
import { sourceEnvironment } from "./environment";
import { defaultIdentities, findIdentity, selectorOf } from "./identities";
import { errorBody, PROTOCOLS, protocolError } from "./protocols";
import { tokenReply } from "./tokenReply";
import {
  MANAGED_IDENTITY_SOURCES,
  type DevManagedIdentity,
  type ManagedIdentityCounters,
  type ManagedIdentityEndpointsOptions,
  type ManagedIdentityFault,
  type ManagedIdentitySourceName,
} from "./types";

const MAX_FORM_BYTES = 16 * 1024;

interface Listener {
  server: Server;
  port: number;
  sockets: Set<Socket>;
  fault?: ManagedIdentityFault & { remaining: number };
}

function emptyCounters(): Record<ManagedIdentitySourceName, ManagedIdentityCounters> {
  const c = {} as Record<ManagedIdentitySourceName, ManagedIdentityCounters>;
  for (const s of MANAGED_IDENTITY_SOURCES) c[s] = { requests: 0, tokens: 0, errors: 0, challenges: 0 };
  return c;
}

/** Started by `DevAuthority.startManagedIdentity()`; tokens are signed by that authority. */
export class ManagedIdentityEndpoints {
  /** Requests per source since start or `resetCounters()`. */
  counters = emptyCounters();
  /** The identities, system-assigned first when there is one. */
  readonly identities: DevManagedIdentity[];
  /** The secret App Service, Service Fabric and Azure ML endpoints require. */
  readonly secret: string;
  /** Azure Arc's key folder. */
  readonly arcKeyFolder: string;
  private readonly arc: ArcKeys;
  private readonly listeners = new Map<ManagedIdentitySourceName, Listener>();

  private constructor(
    private readonly ctx: AuthorityContext,
    options: ManagedIdentityEndpointsOptions,
  ) {
    this.identities = (options.identities ?? defaultIdentities()).map((i) => ({ ...i }));
    this.secret = options.secret ?? randomBytes(16).toString("hex");
    this.arc = new ArcKeys(options.arcKeyFolder);
    this.arcKeyFolder = this.arc.folder;
  }

  static async start(ctx: AuthorityContext, options: ManagedIdentityEndpointsOptions = {}): Promise<ManagedIdentityEndpoints> {
    const self = new ManagedIdentityEndpoints(ctx, options);
    try {
      for (const source of MANAGED_IDENTITY_SOURCES) await self.listen(source, 0);
    } catch (error) {
      await self.close();
      throw error;
    }
    return self;
  }

  /** The system-assigned identity, if any. */
  get systemAssigned(): DevManagedIdentity | undefined {
    return this.identities.find((i) => i.systemAssigned);
  }

  /** `http://127.0.0.1:PORT` of a source's listener. */
  baseUrl(source: ManagedIdentitySourceName): string {
    return `http://127.0.0.1:${this.listener(source).port}`;
  }

  /**
   * The environment variables that make msal-node pick `source` and send its requests here (IMDS
   * through `AZURE_POD_IDENTITY_AUTHORITY_HOST`, never 169.254.169.254). With `base`, a copy of it
   * without any other source's variables, for a child process.
   */
  env(source: ManagedIdentitySourceName, base?: NodeJS.ProcessEnv): Record<string, string> {
    return sourceEnvironment(source, this.baseUrl(source), this.secret, this.systemAssigned?.clientId ?? "", base);
  }

  /** A fault for a source's next requests (`times`, default 1; Infinity allowed); `refuse` closes its port until `clearFaults()`. */
  injectFault(source: ManagedIdentitySourceName, fault: ManagedIdentityFault): void {
    const l = this.listener(source);
    l.fault = { ...fault, remaining: fault.times ?? 1 };
    if (fault.kind === "refuse") void this.shut(l);
  }

  /** Removes every fault, reopening refused ports on the same numbers. */
  async clearFaults(): Promise<void> {
    for (const [source, l] of this.listeners) {
      const refused = l.fault?.kind === "refuse";
      l.fault = undefined;
      if (refused) await this.listen(source, l.port);
    }
  }

  resetCounters(): void {
    this.counters = emptyCounters();
  }

  /** Closes every listener, ends held connections and removes the key files. Idempotent. */
  async close(): Promise<void> {
    await Promise.all([...this.listeners.values()].map((l) => this.shut(l)));
    this.arc.close();
  }

  private listener(source: ManagedIdentitySourceName): Listener {
    const l = this.listeners.get(source);
    if (!l) throw new TypeError(`unknown managed identity source '${String(source)}'`);
    return l;
  }

  private shut(l: Listener): Promise<void> {
    const closed = new Promise<void>((resolve) => l.server.close(() => resolve()));
    for (const s of l.sockets) s.destroy();
    return closed;
  }

  private async listen(source: ManagedIdentitySourceName, port: number): Promise<void> {
    const sockets = new Set<Socket>();
    const server = createServer((req, res) => void this.handle(source, req, res).catch(() => res.destroy()));
    server.on("connection", (s: Socket) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    const fault = this.listeners.get(source)?.fault;
    this.listeners.set(source, { server, port: (server.address() as { port: number }).port, sockets, fault });
  }

  private takeFault(source: ManagedIdentitySourceName): ManagedIdentityFault | undefined {
    const l = this.listener(source);
    const f = l.fault;
    if (!f) return undefined;
    if (--f.remaining <= 0) l.fault = undefined;
    return f;
  }

  private async handle(source: ManagedIdentitySourceName, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const counters = this.counters[source];
    counters.requests++;
    const p = PROTOCOLS[source];
    const fault = this.takeFault(source);
    if (fault?.kind === "blackhole") return; // the socket stays open, unanswered, until close()
    if (fault?.kind === "delay") await new Promise((resolve) => setTimeout(resolve, fault.delayMs).unref());
    const error = (e: { status: number; error: string; message: string }) => {
      counters.errors++;
      sendJson(res, e.status, errorBody(p, e));
    };
    if (fault?.kind === "status") {
      return error({
        status: fault.status,
        error: fault.error ?? "injected_fault",
        message: fault.message ?? `Injected HTTP ${fault.status}.`,
      });
    }
    if (fault?.kind === "malformed") {
      counters.errors++;
      res.writeHead(200, { "content-type": "application/json" }).end("<html>not json {");
      return;
    }
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const params = new URLSearchParams(url.search);
    if (req.method === "POST") for (const [k, v] of await readForm(req)) params.set(k, v);
    const wrong = protocolError(p, req.method ?? "", url.pathname, req.headers, params, this.secret);
    if (wrong) return error(wrong);
    if (source === "azureArc" && !this.arc.accept(req.headers.authorization)) {
      counters.challenges++;
      res.writeHead(401, { "www-authenticate": `Basic realm=${this.arc.challenge()}`, "content-length": "0" }).end();
      return;
    }
    const selector = selectorOf(params);
    const identity = findIdentity(this.identities, selector);
    if (!identity) {
      const named = selector ? `${selector.by} ${selector.value}` : "a system-assigned identity";
      return error({
        status: 400,
        error: "invalid_request",
        message: `Identity not found: no managed identity with ${named} is assigned here.`,
      });
    }
    counters.tokens++;
    sendJson(res, 200, tokenReply(this.ctx, p, identity, params.get("resource")!));
  }
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let text = "";
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > MAX_FORM_BYTES) throw new Error("form too large");
  }
  return new URLSearchParams(text);
}
