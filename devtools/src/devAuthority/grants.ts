// Token endpoint grants: authorization_code, refresh_token, device_code, password (ROPC).
import { createHash } from "node:crypto";
import { parseClaims, type ClaimsRequest } from "./claims";
import type { AuthorityContext, NormalizedUser, ResolvedTenant } from "./context";
import { OAuthError, param, requireParam } from "./http";
import type { KeyBinding } from "./pop";
import { parseScopes } from "./scopes";
import { issueTokens } from "./tokens";
import type { DevClientAuthMethod } from "./types";

export interface GrantRequest {
  ctx: AuthorityContext;
  form: URLSearchParams;
  clientId: string;
  resolved: ResolvedTenant;
  /** The client's key, for a proof-of-possession token. */
  binding?: KeyBinding;
  /** How a confidential client authenticated (the azpacr claim). */
  clientAuth?: DevClientAuthMethod;
}

const VERIFIER_RE = /^[A-Za-z0-9\-._~]{43,128}$/;

function stepUpRequired(ctx: AuthorityContext, claims: ClaimsRequest | undefined): boolean {
  return ctx.settings.stepUp && !!claims?.acrs;
}

function interactionRequired(claims: ClaimsRequest): OAuthError {
  return new OAuthError(
    "interaction_required",
    50076,
    "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access this resource.",
    400,
    { suberror: "basic_action", claims: claims.raw },
  );
}

const badGrant = (code: number, text: string) => new OAuthError("invalid_grant", code, text);
/** A refresh token that no longer works: Entra adds suberror bad_token, which msal reads as "interaction required". */
const badToken = (code: number, text: string) => new OAuthError("invalid_grant", code, text, 400, { suberror: "bad_token" });

export function authorizationCodeGrant({ ctx, form, clientId, resolved, binding, clientAuth }: GrantRequest): Record<string, unknown> {
  const code = requireParam(form, "code");
  const redirectUri = requireParam(form, "redirect_uri");
  const verifier = param(form, "code_verifier");
  const rec = ctx.store.codes.get(code);
  if (!rec) throw badGrant(70000, "The provided value for the 'code' parameter is not valid.");
  if (rec.used)
    throw badGrant(
      54005,
      "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
    );
  rec.used = true;
  if (rec.expiresAt < Date.now()) throw badGrant(70008, "The provided authorization code or refresh token has expired due to inactivity.");
  if (rec.clientId !== clientId)
    throw badGrant(70000, "The provided value for the 'code' parameter is not valid: it was issued to another client.");
  if (rec.redirectUri !== redirectUri) {
    throw badGrant(
      50011,
      "The redirect URI specified in the request does not match the redirect URI used to obtain the authorization code.",
    );
  }
  if (resolved.tenant && resolved.tenant.tenantId !== rec.tenantId) {
    throw badGrant(700005, "Provided Authorization Code is intended to use against other tenant, thus rejected.");
  }
  if (rec.codeChallenge !== undefined) {
    if (!verifier || !VERIFIER_RE.test(verifier)) throw badGrant(50148, "The code_verifier is missing or malformed.");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    if (challenge !== rec.codeChallenge) {
      throw badGrant(50148, "The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.");
    }
  }
  const user = ctx.findUser(rec.username);
  const tenant = ctx.findTenant(rec.tenantId);
  if (!user || !tenant) throw badGrant(50034, "The user account does not exist.");
  const claims = parseClaims(param(form, "claims")) ?? rec.claims;
  return issueTokens(ctx, {
    user,
    tenant,
    clientId,
    scopes: parseScopes(param(form, "scope") ?? rec.scope),
    nonce: rec.nonce,
    acrs: rec.acrs,
    xmsCc: claims?.xmsCc,
    binding,
    clientAuth,
  });
}

export function refreshTokenGrant({ ctx, form, clientId, resolved, binding, clientAuth }: GrantRequest): Record<string, unknown> {
  const token = requireParam(form, "refresh_token");
  const rec = ctx.store.refreshTokens.get(token);
  if (!rec) throw badToken(9002313, "Invalid request. Request is malformed or invalid: the refresh token is not valid.");
  if (rec.clientId !== clientId)
    throw badGrant(70000, "The provided value for the 'refresh_token' is not valid: it was issued to another client.");
  if (rec.expiresAt < Date.now()) throw badToken(700082, "The refresh token has expired due to inactivity.");
  if (ctx.store.isRevoked(rec.username, rec.issuedAt)) {
    throw badToken(
      50173,
      "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.",
    );
  }
  const user = ctx.findUser(rec.username);
  if (!user) throw badGrant(50034, "The user account does not exist in the directory.");
  const claims = parseClaims(param(form, "claims"));
  const satisfied = !!claims?.acrs?.every((a) => rec.acrs?.includes(a));
  if (stepUpRequired(ctx, claims) && claims && !satisfied) throw interactionRequired(claims);
  const tenant = resolved.tenant ? ctx.tenantForUser(resolved, user) : ctx.findTenant(rec.tenantId);
  if (!tenant) throw badGrant(90002, "The tenant of this refresh token no longer exists.");
  const scopes = parseScopes(param(form, "scope") ?? "openid profile offline_access");
  return issueTokens(ctx, {
    user,
    tenant,
    clientId,
    scopes,
    acrs: rec.acrs,
    xmsCc: claims?.xmsCc ?? rec.xmsCc,
    binding,
    clientAuth,
  });
}

export function deviceCodeGrant({ ctx, form, clientId, binding, clientAuth }: GrantRequest): Record<string, unknown> {
  const code = param(form, "device_code") ?? param(form, "code");
  if (!code) throw new OAuthError("invalid_request", 900144, "The request body must contain the following parameter: 'device_code'.");
  const rec = ctx.store.deviceCodes.get(code);
  if (!rec || rec.clientId !== clientId) {
    throw new OAuthError("bad_verification_code", 70019, "The device code is not valid.");
  }
  if (rec.redeemed) throw badGrant(54005, "The device code was already redeemed.");
  if (rec.status === "declined") {
    throw new OAuthError("authorization_declined", 70020, "The end user declined the authorization request.");
  }
  if (rec.expiresAt < Date.now()) throw new OAuthError("expired_token", 70019, "Verification code expired.");
  if (rec.status === "pending") {
    throw new OAuthError("authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization is pending. Continue polling.");
  }
  const user = ctx.findUser(rec.username);
  const tenant = rec.tenantId ? ctx.findTenant(rec.tenantId) : undefined;
  if (!user || !tenant) throw badGrant(50034, "The user account does not exist.");
  rec.redeemed = true;
  return issueTokens(ctx, {
    user,
    tenant,
    clientId,
    scopes: parseScopes(param(form, "scope") ?? rec.scope),
    acrs: rec.acrs,
    xmsCc: (parseClaims(param(form, "claims")) ?? rec.claims)?.xmsCc,
    binding,
    clientAuth,
  });
}

export function passwordGrant({ ctx, form, clientId, resolved, binding, clientAuth }: GrantRequest): Record<string, unknown> {
  const username = requireParam(form, "username");
  const password = requireParam(form, "password");
  const scopes = parseScopes(requireParam(form, "scope"));
  const user: NormalizedUser | undefined = ctx.findUser(username);
  if (!user)
    throw badGrant(
      50034,
      "The user account does not exist in the directory. To sign into this application, the account must be added to the directory.",
    );
  if (user.password !== password) throw badGrant(50126, "Error validating credentials due to invalid username or password.");
  const claims = parseClaims(param(form, "claims"));
  if (stepUpRequired(ctx, claims) && claims) throw interactionRequired(claims);
  const tenant = ctx.tenantForUser(resolved, user);
  return issueTokens(ctx, { user, tenant, clientId, scopes, xmsCc: claims?.xmsCc, binding, clientAuth });
}
