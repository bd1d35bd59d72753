// msal-node's HTTP client for managed identity endpoints: plain HTTP on the local machine (or the
// pod identity host), a time limit on every exchange, abort, and a record of what the endpoint
// answered, so errors report the endpoint's status and body (msal's network error keeps neither).
import { AsyncLocalStorage } from "node:async_hooks";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { AbortError } from "../errors";

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_ATTEMPTS = 3;
const MAX_RETRY_DELAY_MS = 2_000;

/** What one token request's exchanges with the endpoint came to (the last one). */
export interface Exchange {
  signal: AbortSignal;
  /** Time limit of each HTTP exchange. */
  timeoutMs: number;
  /** The endpoint's HTTP status, when it answered. */
  status?: number;
  /** Its body, parsed; kept only for an error reply (a success holds the token). */
  errorBody?: unknown;
  /** It answered with a body that is not JSON. */
  malformed?: boolean;
  /** The connection failed or timed out: Node's error (code `ECONNREFUSED`, `ETIMEDOUT`...). */
  networkError?: NodeJS.ErrnoException;
}

const current = new AsyncLocalStorage<Exchange>();

/** Runs `work` (an msal call) so that its requests follow `exchange`'s signal and time limit and report into it. */
export function withExchange<T>(exchange: Exchange, work: () => Promise<T>): Promise<T> {
  return current.run(exchange, work);
}

/** One GET with a time limit and no retries (the IMDS probe); resolves to the status, rejects with Node's error. */
export function probe(url: string, timeoutMs: number, signal: AbortSignal): Promise<number> {
  return request("GET", url, {}, timeoutMs, signal).then((r) => r.status);
}

export class ManagedIdentityNetworkClient implements INetworkModule {
  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>("GET", url, options);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>("POST", url, options);
  }

  /** Retries a 429 or 5xx (briefly); never a refused or timed-out connection, which means "not here". */
  private async send<T>(method: string, url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    const exchange = current.getStore();
    if (!exchange) throw new Error("A managed identity request outside withExchange().");
    for (let attempt = 1; ; attempt++) {
      let reply: RawReply;
      try {
        reply = await request(method, url, options ?? {}, exchange.timeoutMs, exchange.signal);
      } catch (error) {
        exchange.networkError = error as NodeJS.ErrnoException;
        throw error;
      }
      const transient = reply.status === 429 || reply.status >= 500;
      if (transient && attempt < MAX_ATTEMPTS && !exchange.signal.aborted) {
        await delay(retryDelay(attempt, reply.headers["retry-after"]), exchange.signal);
        continue;
      }
      return this.toResponse<T>(reply, exchange);
    }
  }

  private toResponse<T>(reply: RawReply, exchange: Exchange): NetworkResponse<T> {
    exchange.status = reply.status;
    let body: unknown;
    try {
      body = JSON.parse(reply.text);
      exchange.malformed = !body || typeof body !== "object";
    } catch {
      exchange.malformed = true;
    }
    if (exchange.malformed) body = {};
    exchange.errorBody = reply.status >= 400 ? body : undefined;
    return { status: reply.status, headers: reply.headers, body: body as T };
  }
}

interface RawReply {
  status: number;
  headers: Record<string, string>;
  text: string;
}

function request(method: string, url: string, options: NetworkRequestOptions, timeoutMs: number, signal: AbortSignal): Promise<RawReply> {
  if (signal.aborted) return Promise.reject(new AbortError());
  const target = new URL(url);
  // Loaded at the first request: importing the package loads no HTTP stack.
  const transport = (target.protocol === "https:" ? require("node:https") : require("node:http")) as typeof import("node:http");
  return new Promise<RawReply>((resolve, reject) => {
    const body = method === "POST" ? Buffer.from(options.body ?? "") : undefined;
    const headers: Record<string, string | number> = { ...(options.headers ?? {}) };
    if (body) headers["content-length"] = body.length;
    const req = transport.request(target, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) req.destroy(new Error("The managed identity endpoint's reply is too large."));
        else chunks.push(chunk);
      });
      res.on("error", reject);
      res.on("end", () => {
        const flat: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(", ") : v;
        resolve({ status: res.statusCode ?? 0, headers: flat, text: Buffer.concat(chunks).toString("utf8") });
      });
    });
    // One limit for the whole exchange: an endpoint that accepts and never answers ends here.
    const timer = setTimeout(() => {
      const error = new Error(`No answer within ${timeoutMs} ms.`) as NodeJS.ErrnoException;
      error.code = "ETIMEDOUT";
      req.destroy(error);
    }, timeoutMs);
    const onAbort = () => req.destroy(new AbortError());
    signal.addEventListener("abort", onAbort, { once: true });
    req.on("close", () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
    });
    req.on("error", reject);
    req.end(body);
  });
}

function retryDelay(attempt: number, retryAfter?: string): number {
  const seconds = retryAfter ? Number(retryAfter) : NaN;
  const ms = Number.isFinite(seconds) ? seconds * 1000 : 100 * 4 ** (attempt - 1);
  return Math.min(Math.max(ms, 0), MAX_RETRY_DELAY_MS);
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
