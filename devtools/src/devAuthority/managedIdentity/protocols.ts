// What each source's endpoint requires of a request (method, path, headers, api-version), as the
// real services do and as msal-node's sources send it, and the shapes of its replies.
import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { ManagedIdentitySourceName } from "./types";

export interface SourceProtocol {
  method: "GET" | "POST";
  /** The path the environment variable points at. */
  path: string;
  apiVersion?: string;
  /** Requires `Metadata: true`. */
  metadata: boolean;
  /** The header that must carry the endpoint's secret. */
  secretHeader?: "x-identity-header" | "secret";
  /** How `expires_on` is written: seconds as a string, or as a number. */
  expiresOn: "string" | "number";
  /** How errors are written: OAuth fields, App Service's `{statusCode, message}`, Service Fabric's `{error: {code, message}}`. */
  errorShape: "oauth" | "appService" | "serviceFabric";
}

const TOKEN_PATH = "/metadata/identity/oauth2/token";

export const PROTOCOLS: Record<ManagedIdentitySourceName, SourceProtocol> = {
  imds: { method: "GET", path: TOKEN_PATH, apiVersion: "2018-02-01", metadata: true, expiresOn: "string", errorShape: "oauth" },
  appService: {
    method: "GET",
    path: "/MSI/token/",
    apiVersion: "2019-08-01",
    metadata: false,
    secretHeader: "x-identity-header",
    expiresOn: "string",
    errorShape: "appService",
  },
  cloudShell: { method: "POST", path: "/oauth2/token", metadata: true, expiresOn: "string", errorShape: "oauth" },
  azureArc: { method: "GET", path: TOKEN_PATH, apiVersion: "2020-06-01", metadata: true, expiresOn: "string", errorShape: "oauth" },
  serviceFabric: {
    method: "GET",
    path: TOKEN_PATH,
    apiVersion: "2019-07-01-preview",
    metadata: false,
    secretHeader: "secret",
    expiresOn: "number",
    errorShape: "serviceFabric",
  },
  machineLearning: {
    method: "GET",
    path: "/MSI/auth",
    apiVersion: "2017-09-01",
    metadata: true,
    secretHeader: "secret",
    expiresOn: "string",
    errorShape: "appService",
  },
};

/** An error reply: HTTP status, a code and a message, written in the source's shape. */
export interface ProtocolError {
  status: number;
  error: string;
  message: string;
}

/** The first thing wrong with a request under this source's protocol, or undefined. */
export function protocolError(
  p: SourceProtocol,
  method: string,
  pathname: string,
  headers: IncomingHttpHeaders,
  params: URLSearchParams,
  secret: string,
): ProtocolError | undefined {
  // msal-node's URL builder may add a trailing slash; the services accept both.
  if (pathname.replace(/\/$/, "") !== p.path.replace(/\/$/, ""))
    return { status: 404, error: "not_found", message: `No endpoint at ${pathname}.` };
  if (method !== p.method) return { status: 405, error: "invalid_request", message: `Use ${p.method}.` };
  if (p.metadata && headers.metadata !== "true") {
    return { status: 400, error: "invalid_request", message: "Required metadata header not specified" };
  }
  if (p.secretHeader && headers[p.secretHeader] !== secret) {
    return p.errorShape === "serviceFabric"
      ? { status: 401, error: "SecretHeaderNotFound", message: "Secret is not found in the request headers." }
      : { status: 401, error: "unauthorized", message: `The ${p.secretHeader} header is missing or wrong.` };
  }
  if (p.apiVersion && params.get("api-version") !== p.apiVersion) {
    return { status: 400, error: "invalid_request", message: `Invalid or missing api-version; this endpoint speaks ${p.apiVersion}.` };
  }
  const resource = params.get("resource");
  if (!resource) return { status: 400, error: "invalid_request", message: "Required audience parameter not specified" };
  if (!/^(https?:\/\/[^\s]+|api:\/\/[^\s]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.test(resource)) {
    return {
      status: 400,
      error: "invalid_resource",
      message: `AADSTS500011: The resource principal named ${resource} was not found in the tenant.`,
    };
  }
  return undefined;
}

/** An error body in the source's shape. */
export function errorBody(p: SourceProtocol, e: ProtocolError): Record<string, unknown> {
  const correlationId = randomUUID();
  if (p.errorShape === "appService") return { statusCode: e.status, message: e.message, correlationId };
  if (p.errorShape === "serviceFabric") return { error: { correlationId, code: e.error, message: e.message } };
  return { error: e.error, error_description: e.message, correlation_id: correlationId };
}
