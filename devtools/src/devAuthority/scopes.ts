// Scope parsing as Entra v2 does it: OIDC scopes, one resource per request, permissions of it.
import { OAuthError } from "./http";

export const OIDC_SCOPES = ["openid", "profile", "offline_access", "email"];
export const GRAPH = "https://graph.microsoft.com";

export interface ScopeRequest {
  /** Every requested scope, deduplicated, in the order given. */
  requested: string[];
  /** The audience of the access token. */
  resource: string;
  /** Permissions granted on the resource (the `scp` claim). */
  permissions: string[];
  offlineAccess: boolean;
  openid: boolean;
  /** The `scope` to send back: resource scopes and OIDC scopes, without offline_access. */
  responseScope: string;
}

const SCOPE_RE = /^[\x21\x23-\x3b\x3d\x3f-\x5b\x5d-\x7e]{1,256}$/; // printable, no space " < > \

function splitResource(scope: string): { resource: string; permission: string } {
  const slash = scope.lastIndexOf("/");
  const looksLikeResource = scope.includes("://") || /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(scope);
  if (slash > 0 && looksLikeResource) {
    return { resource: scope.slice(0, slash), permission: scope.slice(slash + 1) };
  }
  return { resource: GRAPH, permission: scope };
}

export function parseScopes(raw: string | undefined): ScopeRequest {
  const parts = (raw ?? "").split(/\s+/).filter((s) => s.length > 0);
  if (parts.length === 0) {
    throw new OAuthError("invalid_scope", 70011, "The provided request must include a 'scope' input parameter.");
  }
  if (parts.length > 100) throw new OAuthError("invalid_scope", 70011, "The provided value for the input parameter 'scope' is not valid.");
  const requested: string[] = [];
  for (const p of parts) {
    if (!SCOPE_RE.test(p)) {
      throw new OAuthError("invalid_scope", 70011, "The provided value for the input parameter 'scope' is not valid.");
    }
    if (!requested.some((r) => r.toLowerCase() === p.toLowerCase())) requested.push(p);
  }
  const lower = requested.map((s) => s.toLowerCase());
  const resourceScopes = requested.filter((s) => !OIDC_SCOPES.includes(s.toLowerCase()));
  const resources = new Map<string, string[]>();
  for (const s of resourceScopes) {
    const { resource, permission } = splitResource(s);
    if (!permission) throw new OAuthError("invalid_scope", 70011, "The provided value for the input parameter 'scope' is not valid.");
    const key = resource.toLowerCase().replace(/\/+$/, "");
    const list = resources.get(key) ?? [];
    list.push(permission);
    resources.set(key, list);
  }
  if (resources.size > 1) {
    throw new OAuthError(
      "invalid_request",
      28000,
      "Provided value for the input parameter scope is not valid because it contains more than one resource.",
    );
  }
  const [resource, perms] = resources.size === 1 ? [...resources.entries()][0] : [GRAPH, ["User.Read"]];
  const permissions = perms.map((p) => (p === ".default" ? "user_impersonation" : p));
  const responseScope = requested.filter((s) => s.toLowerCase() !== "offline_access").join(" ");
  return {
    requested,
    resource,
    permissions: [...new Set(permissions)],
    offlineAccess: lower.includes("offline_access"),
    openid: lower.includes("openid"),
    responseScope: responseScope || "openid profile",
  };
}
