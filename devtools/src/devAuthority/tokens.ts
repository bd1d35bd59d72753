// Builds the token response: access token, id token, refresh token and client_info.
import { createHash, randomUUID } from "node:crypto";
import type { AuthorityContext, NormalizedUser } from "./context";
import { base64url } from "./jwt";
import type { KeyBinding } from "./pop";
import type { ScopeRequest } from "./scopes";
import type { DevClientAuthMethod, DevTenant } from "./types";

export interface IssueParams {
  user: NormalizedUser;
  tenant: DevTenant;
  clientId: string;
  scopes: ScopeRequest;
  nonce?: string;
  acrs?: string[];
  xmsCc?: string[];
  /** Bind the access token to this key (proof-of-possession). */
  binding?: KeyBinding;
  /** How the client authenticated, if confidential. */
  clientAuth?: DevClientAuthMethod;
}

/** The azpacr / appidacr claim: 0 public client, 1 client secret, 2 certificate or assertion. */
export function clientAuthClass(method: DevClientAuthMethod | undefined): string {
  return method === undefined ? "0" : method === "secret" ? "1" : "2";
}

export function clientInfo(user: NormalizedUser): string {
  return base64url(JSON.stringify({ uid: user.objectId, utid: user.homeTenantId }));
}

/** The pairwise subject Entra gives per application (and per directory object: a guest's differs). */
function subject(oid: string, clientId: string): string {
  return base64url(createHash("sha256").update(`${oid}|${clientId}`).digest()).slice(0, 43);
}

/** The user's object in `tenantId`: the home one, or the guest object there (with the `idp` claim naming home). */
export function directoryObject(user: NormalizedUser, tenantId: string): { oid: string; idp?: string } {
  const guest = user.guestObjectIds[tenantId.toLowerCase()];
  if (!guest || tenantId.toLowerCase() === user.homeTenantId.toLowerCase()) return { oid: user.objectId };
  return { oid: guest, idp: `https://sts.windows.net/${user.homeTenantId}/` };
}

export function issueTokens(ctx: AuthorityContext, p: IssueParams): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const { accessTokenLifetimeSeconds: life, refreshInSeconds } = ctx.settings;
  const refreshIn = refreshInSeconds ?? Math.floor(life / 2);
  const iss = ctx.issuer(p.tenant.tenantId);
  const { oid, idp } = directoryObject(p.user, p.tenant.tenantId);
  const common = {
    iss,
    iat: now,
    nbf: now,
    tid: p.tenant.tenantId,
    oid,
    ...(idp ? { idp } : {}),
    sub: subject(oid, p.clientId),
    name: p.user.displayName,
    preferred_username: p.user.username,
    ver: "2.0",
  };
  const access: Record<string, unknown> = {
    aud: p.scopes.resource,
    ...common,
    exp: now + life,
    upn: p.user.username,
    scp: p.scopes.permissions.join(" "),
    appid: p.clientId,
    azp: p.clientId,
    azpacr: clientAuthClass(p.clientAuth),
    uti: base64url(randomUUID()),
  };
  if (p.xmsCc && p.xmsCc.length > 0) access.xms_cc = p.xmsCc;
  if (p.acrs && p.acrs.length > 0) access.acrs = p.acrs;
  if (p.binding) access.cnf = { kid: p.binding.kid };

  const body: Record<string, unknown> = {
    token_type: p.binding ? "pop" : "Bearer",
    scope: p.scopes.responseScope,
    expires_in: life,
    ext_expires_in: life,
    access_token: ctx.signer.sign(access),
  };
  if (refreshIn > 0 && refreshIn < life) body.refresh_in = refreshIn;
  if (p.scopes.offlineAccess) {
    body.refresh_token = ctx.store.addRefreshToken({
      clientId: p.clientId,
      username: p.user.username,
      tenantId: p.tenant.tenantId,
      acrs: p.acrs,
      xmsCc: p.xmsCc,
      issuedAt: ctx.store.stamp(),
      expiresAt: Date.now() + ctx.settings.refreshTokenLifetimeSeconds * 1000,
    });
  }
  if (p.scopes.openid) {
    const id: Record<string, unknown> = { aud: p.clientId, ...common, exp: now + 3600, uti: base64url(randomUUID()) };
    if (p.nonce !== undefined) id.nonce = p.nonce;
    if (p.acrs && p.acrs.length > 0) id.acrs = p.acrs;
    body.id_token = ctx.signer.sign(id);
  }
  body.client_info = clientInfo(p.user);
  return body;
}
