import type { AccessToken } from "@azure/core-auth";

/** msal-node refreshes an access token this long before it expires (`tokenRenewalOffsetSeconds`). */
const RENEWAL_OFFSET_S = 300;
/** Scopes msal leaves out of a lookup (unless they are all there is). */
const OIDC_SCOPES = new Set(["openid", "profile", "offline_access"]);

/** What msal's `acquireTokenSilent` looks an access token up by, for a Bearer token without claims. */
export interface AccessTokenQuery {
  homeAccountId: string;
  /** The account's environment (the authority's host), as msal keeps it. */
  environment: string;
  clientId: string;
  /** The tenant the token is for: the requested one, or the account's when the request names none. */
  realm: string;
  scopes: string[];
}

/** An access token entry of msal's cache JSON (msal-node's serializer's field names). */
interface CachedAccessToken {
  home_account_id?: unknown;
  environment?: unknown;
  credential_type?: unknown;
  client_id?: unknown;
  secret?: unknown;
  realm?: unknown;
  target?: unknown;
  expires_on?: unknown;
  refresh_on?: unknown;
  token_type?: unknown;
  key_id?: unknown;
  requestedClaimsHash?: unknown;
  additionalCacheKeyComponents?: unknown;
}

/**
 * The token msal-node would hand out from this cache without a network call, read without msal:
 * a fresh process's silent `getToken` then never loads msal-node. Anything msal would decide
 * otherwise (no match, several, near expiry, due for refresh, an entry of a kind we do not read)
 * gives `undefined`, and msal decides.
 */
export function findAccessToken(cacheText: string, query: AccessTokenQuery, nowMs = Date.now()): AccessToken | undefined {
  let cache: { AccessToken?: Record<string, CachedAccessToken> };
  try {
    cache = JSON.parse(cacheText) as typeof cache;
  } catch {
    return undefined; // msal's plugin moves a corrupt cache aside and says so
  }
  const entries = cache?.AccessToken;
  if (typeof entries !== "object" || entries === null) return undefined;
  const wanted = searchScopes(query.scopes);
  const matches = Object.values(entries).filter((e) => matchesQuery(e, query, wanted));
  if (matches.length !== 1) return undefined; // msal clears several matches and asks again
  const [entry] = matches;
  const expiresOn = Number(entry.expires_on);
  const refreshOn = entry.refresh_on === undefined ? undefined : Number(entry.refresh_on);
  const now = nowMs / 1000;
  if (!Number.isFinite(expiresOn) || expiresOn - RENEWAL_OFFSET_S <= now) return undefined;
  if (refreshOn !== undefined && !(Number.isFinite(refreshOn) && refreshOn > now)) return undefined;
  return {
    token: entry.secret as string,
    expiresOnTimestamp: expiresOn * 1000,
    refreshAfterTimestamp: refreshOn === undefined ? undefined : refreshOn * 1000,
    tokenType: "Bearer",
  };
}

function matchesQuery(e: CachedAccessToken, q: AccessTokenQuery, wanted: Set<string>): boolean {
  if (typeof e !== "object" || e === null) return false;
  if (e.credential_type !== "AccessToken" || typeof e.secret !== "string" || !e.secret) return false;
  if (e.token_type !== undefined && (typeof e.token_type !== "string" || e.token_type.toLowerCase() !== "bearer")) return false;
  if (e.key_id !== undefined || e.requestedClaimsHash !== undefined || e.additionalCacheKeyComponents !== undefined) return false;
  if (e.home_account_id !== q.homeAccountId || e.client_id !== q.clientId) return false;
  // msal compares environment through the cloud's aliases and realm without case; exact is stricter, never wrong.
  if (e.environment !== q.environment || typeof e.realm !== "string" || e.realm.toLowerCase() !== q.realm.toLowerCase()) return false;
  if (typeof e.target !== "string") return false;
  const target = searchScopes(e.target.split(" "));
  return wanted.size > 0 && [...wanted].every((scope) => target.has(scope));
}

/** Scopes as msal compares them: lower case, OIDC scopes left out unless they are all there is. */
function searchScopes(scopes: string[]): Set<string> {
  const all = new Set(scopes.map((s) => s.trim().toLowerCase()).filter(Boolean));
  const rest = [...all].filter((s) => !OIDC_SCOPES.has(s));
  return rest.length ? new Set(rest) : (all.delete("offline_access"), all);
}
