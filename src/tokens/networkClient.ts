import { AsyncLocalStorage } from "node:async_hooks";
import type { Agent } from "node:https";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { AbortError } from "../errors";

/** How long one HTTP exchange with the authority may take. */
const REQUEST_TIMEOUT_MS = 30_000;
/** Attempts for a 5xx, 429 or a connection failure before the error reaches msal. */
const MAX_ATTEMPTS = 3;
const MAX_RETRY_DELAY_MS = 2_000;
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** What the authority last answered under one correlation id, when it was not a token. */
export interface AuthorityReply {
  /** The HTTP status it sent. */
  status: number;
  /** The parsed body (or our OAuth-shaped stand-in for one that is not JSON). */
  body: unknown;
}

/** Replies by msal's correlation id, so that the error mapper reports the status the authority sent. */
const replies = new Map<string, AuthorityReply>();
const MAX_REPLIES = 64;

/** The authority's last non-token reply for this correlation id (msal's errors keep the id, not the status). */
export function authorityReply(correlationId: string | undefined): AuthorityReply | undefined {
  return correlationId ? replies.get(correlationId) : undefined;
}

function record(correlationId: string | undefined, status: number, body: unknown, json: boolean): void {
  if (!correlationId) return;
  replies.delete(correlationId);
  // Only an error's body is kept: a success's may hold tokens or a device code.
  replies.set(correlationId, { status, body: status >= 300 || !json ? body : undefined });
  if (replies.size > MAX_REPLIES) replies.delete(replies.keys().next().value as string);
}

/**
 * The abort signal of the flow a request is made for. msal-node passes none to its network
 * client, but its requests run in the async context of the flow that started them.
 */
const flowSignal = new AsyncLocalStorage<AbortSignal>();

/** Runs `work` (an msal call) so that the requests it makes end, without retries, when `signal` fires. */
export function withAbortSignal<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return flowSignal.run(signal, work);
}

export interface NetworkClientOptions {
  /** Extra certificate authorities for the authority's TLS, added to the system roots. */
  ca?: string | Buffer;
}

/**
 * msal-node's HTTP client: node:https with keep-alive, retries for transient failures, and an
 * optional extra CA scoped to this client (never process-wide). msal-node 7's own client is
 * `fetch`, which cannot take a CA per request.
 */
export class AuthorityNetworkClient implements INetworkModule {
  /** node:https and its agent, made at the first request: a credential that never sends (a cached token) never loads them. */
  private transport?: { https: typeof import("node:https"); agent: Agent };

  constructor(private readonly options: NetworkClientOptions = {}) {}

  private https(): { https: typeof import("node:https"); agent: Agent } {
    if (!this.transport) {
      const https = require("node:https") as typeof import("node:https");
      const { ca } = this.options;
      // With an extra CA, one TLS context for the client: an agent's `ca` would parse every root again per connection.
      const secureContext = ca ? withExtraCa(ca) : undefined;
      this.transport = { https, agent: new https.Agent({ keepAlive: true, secureContext, maxSockets: 16 }) };
    }
    return this.transport;
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.withRetries<T>("GET", url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.withRetries<T>("POST", url, options);
  }

  private async withRetries<T>(method: string, url: string, options?: NetworkRequestOptions, timeout?: number) {
    const signal = flowSignal.getStore();
    for (let attempt = 1; ; attempt++) {
      let response: NetworkResponse<T>;
      try {
        response = await this.send<T>(method, url, options, timeout ?? REQUEST_TIMEOUT_MS, signal);
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || signal?.aborted) throw error;
        await delay(retryDelay(attempt), signal);
        continue;
      }
      const transient = response.status === 429 || response.status >= 500;
      if (!transient || attempt >= MAX_ATTEMPTS || signal?.aborted) return response;
      await delay(retryDelay(attempt, response.headers["retry-after"]), signal);
    }
  }

  private send<T>(method: string, url: string, options: NetworkRequestOptions | undefined, timeoutMs: number, signal?: AbortSignal) {
    const target = new URL(url);
    if (target.protocol !== "https:") {
      return Promise.reject(new Error(`Refusing to send a request to the authority over ${target.protocol}; https is required.`));
    }
    if (signal?.aborted) return Promise.reject(new AbortError());
    return new Promise<NetworkResponse<T>>((resolve, reject) => {
      const body = method === "POST" ? Buffer.from(options?.body ?? "") : undefined;
      const headers: Record<string, string | number> = { ...(options?.headers ?? {}) };
      if (body) headers["content-length"] = body.length;
      const { https, agent } = this.https();
      const req = https.request(target, { method, headers, agent, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) req.destroy(new Error("The authority's reply is too large."));
          else chunks.push(chunk);
        });
        res.on("error", reject);
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          const correlationId = options?.correlationId;
          const { body: parsed, json } = parseBody(Buffer.concat(chunks).toString("utf8"), status, correlationId);
          record(correlationId, status, parsed, json);
          resolve({ status, headers: flattenHeaders(res.headers), body: parsed as T });
        });
      });
      req.on("timeout", () => req.destroy(new Error(`The authority did not answer within ${timeoutMs} ms.`)));
      req.on("error", reject);
      // An abort ends the socket: nothing of the flow keeps the process alive after it.
      const onAbort = () => req.destroy(new AbortError());
      signal?.addEventListener("abort", onAbort, { once: true });
      req.on("close", () => signal?.removeEventListener("abort", onAbort));
      req.end(body);
    });
  }
}

function flattenHeaders(headers: NodeJS.Dict<string | string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

/**
 * A non-JSON reply (a proxy's HTML 502, say) becomes an OAuth-shaped error msal can report; an
 * error body also carries the HTTP status, which msal-common reads from `body.status`.
 */
function parseBody(text: string, status: number, correlationId?: string): { body: unknown; json: boolean } {
  try {
    const body = JSON.parse(text) as unknown;
    if (status >= 400 && body && typeof body === "object") {
      const fields = body as { status?: number; correlation_id?: string };
      fields.status ??= status;
      // msal's ServerError keeps the body's correlation id: the request's, when the reply names none.
      if (correlationId) fields.correlation_id ??= correlationId;
    }
    return { body, json: true };
  } catch {
    const snippet = text.replace(/\s+/g, " ").slice(0, 200);
    const body = {
      error: status >= 500 ? "server_error" : "invalid_response",
      error_description: `The authority answered HTTP ${status} with a body that is not JSON: ${snippet}`,
      status,
      ...(correlationId ? { correlation_id: correlationId } : {}),
    };
    return { body, json: false };
  }
}

function retryDelay(attempt: number, retryAfter?: string): number {
  const seconds = retryAfter ? Number(retryAfter) : NaN;
  const ms = Number.isFinite(seconds) ? seconds * 1000 : 100 * 4 ** (attempt - 1);
  return Math.min(Math.max(ms, 0), MAX_RETRY_DELAY_MS);
}

/** Waits `ms`, or less when `signal` fires (the caller then stops retrying). */
function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** The system roots and `ca`, parsed once. */
function withExtraCa(ca: string | Buffer): import("node:tls").SecureContext {
  const tls = require("node:tls") as typeof import("node:tls");
  return tls.createSecureContext({ ca: [...tls.rootCertificates, ca.toString()] });
}
