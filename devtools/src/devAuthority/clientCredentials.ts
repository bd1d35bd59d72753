// grant_type=client_credentials: an app-only access token for the service principal of the app.
import { randomUUID } from "node:crypto";
import { parseClaims } from "./claims";
import { stableGuid } from "./defaults";
import type { GrantRequest } from "./grants";
import { OAuthError, param, requireParam } from "./http";
import { base64url } from "./jwt";
import { parseScopes } from "./scopes";
import { clientAuthClass } from "./tokens";

/** The service principal's object id in a tenant: `oid` and `sub` of its app-only tokens. */
export function servicePrincipalId(clientId: string, tenantId: string, objectId?: string): string {
  return objectId ?? stableGuid(`sp:${clientId.toLowerCase()}:${tenantId.toLowerCase()}`);
}

/** Only `<resource>/.default` is a client credentials scope: app permissions are granted, not asked for. */
function clientCredentialsScope(raw: string) {
  for (const s of raw.split(/\s+/).filter(Boolean)) {
    if (!s.toLowerCase().endsWith("/.default")) {
      throw new OAuthError(
        "invalid_scope",
        1002012,
        `The provided value for scope ${raw.slice(0, 256)} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
  }
  return parseScopes(raw);
}

export function clientCredentialsGrant({ ctx, form, clientId, resolved, binding, clientAuth }: GrantRequest): Record<string, unknown> {
  const tenant = resolved.tenant;
  if (!tenant) {
    throw new OAuthError(
      "invalid_request",
      50059,
      "No tenant-identifying information found in either the request or implied by any provided credentials.",
    );
  }
  const scopes = clientCredentialsScope(requireParam(form, "scope"));
  const client = ctx.client(clientId);
  const now = Math.floor(Date.now() / 1000);
  const life = ctx.settings.accessTokenLifetimeSeconds;
  const refreshIn = ctx.settings.refreshInSeconds ?? Math.floor(life / 2);
  const oid = servicePrincipalId(clientId, tenant.tenantId, client?.registration.objectId);
  const acr = clientAuthClass(clientAuth);
  const access: Record<string, unknown> = {
    aud: scopes.resource,
    iss: ctx.issuer(tenant.tenantId),
    iat: now,
    nbf: now,
    exp: now + life,
    tid: tenant.tenantId,
    oid,
    sub: oid,
    idtyp: "app",
    appid: clientId,
    appidacr: acr,
    azp: clientId,
    azpacr: acr,
    ver: "2.0",
    uti: base64url(randomUUID()),
  };
  if (client && client.roles.length > 0) access.roles = [...client.roles];
  const xmsCc = parseClaims(param(form, "claims"))?.xmsCc;
  if (xmsCc && xmsCc.length > 0) access.xms_cc = xmsCc;
  if (binding) access.cnf = { kid: binding.kid };
  const body: Record<string, unknown> = {
    token_type: binding ? "pop" : "Bearer",
    expires_in: life,
    ext_expires_in: life,
    access_token: ctx.signer.sign(access),
  };
  if (refreshIn > 0 && refreshIn < life) body.refresh_in = refreshIn;
  return body;
}
