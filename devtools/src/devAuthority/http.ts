// Small HTTP helpers: bodies, JSON and HTML replies, Entra-shaped errors, cookies.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

const MAX_BODY = 64 * 1024;

/** An OAuth error the endpoints throw; the router turns it into an Entra-shaped JSON reply. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly code: number,
    readonly description: string,
    readonly status = 400,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(`AADSTS${code}: ${description}`);
  }
}

export function entraErrorBody(error: string, codes: number[], description: string, extra: Record<string, unknown> = {}) {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
  const desc = /^AADSTS\d+:/.test(description) || codes.length === 0 ? description : `AADSTS${codes[0]}: ${description}`;
  return {
    error,
    error_description: `${desc} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: codes,
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    ...extra,
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    pragma: "no-cache",
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function sendOAuthError(res: ServerResponse, e: OAuthError): void {
  const headers: Record<string, string> = e.status === 401 ? { "www-authenticate": 'Basic realm="dev-authority"' } : {};
  sendJson(res, e.status, entraErrorBody(e.error, [e.code], e.description, e.extra), headers);
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; frame-ancestors 'none'",
    "content-length": String(Buffer.byteLength(html)),
    ...headers,
  });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(302, { location, "cache-control": "no-store", "content-length": "0", ...headers });
  res.end();
}

/** Reads a form-encoded (or empty) body. Throws OAuthError on a body too large or of another type. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new OAuthError("invalid_request", 90020, "The request body is too large.");
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.length > 0 && type !== "application/x-www-form-urlencoded") {
    throw new OAuthError("invalid_request", 900144, "The request body must be application/x-www-form-urlencoded.");
  }
  return new URLSearchParams(text);
}

export function parseCookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i <= 0) continue;
    const k = part.slice(0, i).trim();
    try {
      out[k] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      /* ignore a malformed cookie */
    }
  }
  return out;
}

/** Reads a single-valued parameter; a repeated parameter is malformed input. */
export function param(p: URLSearchParams, name: string): string | undefined {
  const all = p.getAll(name);
  if (all.length > 1) throw new OAuthError("invalid_request", 90015, `The parameter '${name}' is duplicated.`);
  return all[0];
}

export function requireParam(p: URLSearchParams, name: string): string {
  const v = param(p, name);
  if (v === undefined || v === "") {
    throw new OAuthError("invalid_request", 900144, `The request body must contain the following parameter: '${name}'.`);
  }
  return v;
}
