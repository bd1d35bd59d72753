// The token a managed identity endpoint returns, signed by the dev authority's key.
import { randomUUID } from "node:crypto";
import type { AuthorityContext } from "../context";
import { base64url } from "../jwt";
import type { SourceProtocol } from "./protocols";
import type { DevManagedIdentity } from "./types";

export function tokenReply(ctx: AuthorityContext, p: SourceProtocol, identity: DevManagedIdentity, resource: string) {
  const now = Math.floor(Date.now() / 1000);
  const life = ctx.settings.accessTokenLifetimeSeconds;
  const tenantId = identity.tenantId ?? ctx.tenants[0]?.tenantId ?? "";
  const accessToken = ctx.signer.sign({
    aud: resource,
    iss: ctx.issuer(tenantId),
    iat: now,
    nbf: now,
    exp: now + life,
    tid: tenantId,
    oid: identity.objectId,
    sub: identity.objectId,
    appid: identity.clientId,
    azp: identity.clientId,
    idtyp: "app",
    xms_mirid: identity.resourceId,
    uti: base64url(randomUUID()),
    ver: "1.0",
  });
  const expiresOn = p.expiresOn === "number" ? now + life : String(now + life);
  return {
    access_token: accessToken,
    client_id: identity.clientId,
    // Azure Arc echoes the identity asked for; msal-node checks it for user-assigned ones.
    object_id: identity.objectId,
    msi_res_id: identity.resourceId,
    expires_in: String(life),
    expires_on: expiresOn,
    ext_expires_in: String(life),
    not_before: String(now),
    resource,
    token_type: "Bearer",
  };
}
