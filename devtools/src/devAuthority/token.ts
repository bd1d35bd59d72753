// POST /{tenant}/oauth2/v2.0/token: client authentication, then the grant.
import type { IncomingMessage } from "node:http";
import { authenticateClient, CLIENT_CREDENTIALS_GRANT } from "./clientAuthentication";
import { clientCredentialsGrant } from "./clientCredentials";
import type { AuthorityContext } from "./context";
import { authorizationCodeGrant, deviceCodeGrant, passwordGrant, refreshTokenGrant, type GrantRequest } from "./grants";
import { OAuthError, param } from "./http";
import { requestedBinding } from "./pop";
import type { DevCounters } from "./types";

export const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

export function handleToken(
  ctx: AuthorityContext,
  req: IncomingMessage,
  form: URLSearchParams,
  tenantSegment: string,
  counters?: DevCounters,
) {
  const resolved = ctx.resolveTenant(tenantSegment);
  const grantType = param(form, "grant_type");
  if (!grantType) throw new OAuthError("invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
  const auth = authenticateClient(ctx, req, form, resolved, grantType);
  if (auth.method && counters) counters.tokenByClientAuth[auth.method] += 1;
  const g: GrantRequest = { ctx, form, clientId: auth.clientId, resolved, binding: requestedBinding(form), clientAuth: auth.method };
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
    case CLIENT_CREDENTIALS_GRANT:
      return clientCredentialsGrant(g);
    default:
      throw new OAuthError(
        "unsupported_grant_type",
        70003,
        `The app requested an unsupported grant type '${grantType.slice(0, 64).replace(/[^\x20-\x7e]/g, "?")}'.`,
      );
  }
}
