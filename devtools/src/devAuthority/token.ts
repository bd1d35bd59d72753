// POST /{tenant}/oauth2/v2.0/token: client authentication, then the grant.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { AuthorityContext } from "./context";
import { authorizationCodeGrant, deviceCodeGrant, passwordGrant, refreshTokenGrant, type GrantRequest } from "./grants";
import { OAuthError, param } from "./http";
import { requestedBinding } from "./pop";

export const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
const CLIENT_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

function basicAuth(req: IncomingMessage): { id: string; secret: string } | undefined {
  const h = req.headers.authorization;
  if (!h || !/^basic /i.test(h)) return undefined;
  const text = Buffer.from(h.slice(6).trim(), "base64").toString("utf8");
  const i = text.indexOf(":");
  if (i < 0) return undefined;
  try {
    return { id: decodeURIComponent(text.slice(0, i)), secret: decodeURIComponent(text.slice(i + 1)) };
  } catch {
    return undefined;
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function checkClientId(clientId: string | undefined): string {
  if (!clientId) throw new OAuthError("invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
  if (!CLIENT_ID_RE.test(clientId)) {
    throw new OAuthError("unauthorized_client", 700016, "Application with the given identifier was not found in the directory.");
  }
  return clientId;
}

/** Authenticates the client: confidential clients must present their secret, public ones none. */
export function authenticateClient(ctx: AuthorityContext, req: IncomingMessage, form: URLSearchParams): string {
  const basic = basicAuth(req);
  const clientId = checkClientId(param(form, "client_id") ?? basic?.id);
  if (basic && basic.id !== clientId) throw new OAuthError("invalid_client", 700016, "The client_id does not match the credentials.", 401);
  const secret = param(form, "client_secret") ?? basic?.secret;
  const expected = ctx.client(clientId)?.clientSecret;
  if (expected !== undefined) {
    if (secret === undefined || secret === "") {
      throw new OAuthError(
        "invalid_client",
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        401,
      );
    }
    if (!same(secret, expected)) {
      throw new OAuthError(
        "invalid_client",
        7000215,
        "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.",
        401,
      );
    }
  } else if (secret !== undefined) {
    throw new OAuthError(
      "invalid_client",
      700025,
      "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
      401,
    );
  }
  return clientId;
}

export function handleToken(ctx: AuthorityContext, req: IncomingMessage, form: URLSearchParams, tenantSegment: string) {
  const resolved = ctx.resolveTenant(tenantSegment);
  const grantType = param(form, "grant_type");
  if (!grantType) throw new OAuthError("invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
  const clientId = authenticateClient(ctx, req, form);
  const g: GrantRequest = { ctx, form, clientId, resolved, binding: requestedBinding(form) };
  switch (grantType) {
    case "authorization_code":
      return authorizationCodeGrant(g);
    case "refresh_token":
      return refreshTokenGrant(g);
    case DEVICE_CODE_GRANT:
    case "device_code":
      return deviceCodeGrant(g);
    case "password":
      return passwordGrant(g);
    default:
      throw new OAuthError(
        "unsupported_grant_type",
        70003,
        `The app requested an unsupported grant type '${grantType.slice(0, 64).replace(/[^\x20-\x7e]/g, "?")}'.`,
      );
  }
}
