// The one builder of an msal account from what a sign-in returned: the id token's claims and the
// authority's client_info (uid.utid is the home account id), with what the broker said as fallback.
import type { AccountInfo } from "@azure/msal-node";

export interface IdTokenAccountParts {
  /** The id token's payload ({} when there was none). */
  claims: Record<string, unknown>;
  /** client_info, decoded (`uid`, `utid`). */
  clientInfo?: Record<string, unknown>;
  /** The authority host the account signed in with. */
  environment: string;
  /** What the broker itself says, used where the tokens are silent. */
  username?: string;
  objectId?: string;
  tenantId?: string;
  nativeAccountId?: string;
}

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

export function accountFromIdToken(parts: IdTokenAccountParts): AccountInfo {
  const { claims, clientInfo = {} } = parts;
  const oid = text(clientInfo.uid) ?? parts.objectId ?? text(claims.oid) ?? "";
  const tid = text(clientInfo.utid) ?? parts.tenantId ?? text(claims.tid) ?? "";
  return {
    homeAccountId: `${oid}.${tid}`,
    environment: parts.environment,
    tenantId: text(claims.tid) ?? tid,
    username: parts.username || (text(claims.preferred_username) ?? text(claims.upn) ?? ""),
    localAccountId: text(claims.oid) ?? oid,
    name: text(claims.name),
    ...(parts.nativeAccountId ? { nativeAccountId: parts.nativeAccountId } : {}),
    idTokenClaims: claims,
  };
}
