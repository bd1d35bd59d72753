import { CredentialUnavailableError, invalidArgument } from "../errors";

const TENANT_ID = /^[0-9a-zA-Z.-]{1,256}$/;
/** An application (client) id: a GUID on Entra ID; ADFS and private clouds also use plain names. */
const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,255}$/;
const MAX_SCOPE_LENGTH = 1024;
const MAX_SCOPES = 64;

/** Tenant ids and domain names only: a tenant goes into a URL path. */
export function checkTenantId(tenantId: string): void {
  if (typeof tenantId !== "string" || !TENANT_ID.test(tenantId)) {
    throw invalidArgument(
      "INVALID_TENANT_ID",
      "Invalid tenant id provided. You can locate your tenant id by following the instructions listed here: https://learn.microsoft.com/partner-center/find-ids-and-domain-names",
    );
  }
}

/** A client id that can go into the authority's query string as is; thrown before anything is sent. */
export function checkClientId(clientId: unknown): asserts clientId is string {
  if (typeof clientId !== "string" || !CLIENT_ID.test(clientId)) {
    const shown = typeof clientId === "string" ? JSON.stringify(clientId.slice(0, 80)) : typeof clientId;
    throw invalidArgument(
      "INVALID_CLIENT_ID",
      `Invalid client id ${shown}: pass the application (client) id of the app registration, a GUID such as 04b07795-8ddb-461a-bbee-02f9e1bf7b46.`,
    );
  }
}

/** Scopes as `getToken` accepts them (a string or an array), checked and copied. */
export function normalizeScopes(scopes: string | string[]): string[] {
  const list = typeof scopes === "string" ? [scopes] : scopes;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_SCOPES) {
    throw invalidArgument("INVALID_SCOPE", `Scopes must be a non-empty string or an array of 1 to ${MAX_SCOPES} strings.`);
  }
  for (const scope of list) {
    if (typeof scope !== "string" || scope.length === 0 || scope.length > MAX_SCOPE_LENGTH || /[\s"\\\p{Cc}]/u.test(scope)) {
      throw invalidArgument(
        "INVALID_SCOPE",
        `Invalid scope ${JSON.stringify(String(scope).slice(0, 80))}: a scope is a non-empty string of printable characters without spaces or quotes.`,
      );
    }
  }
  return [...list];
}

/** An authority host: an absolute https URL without query or fragment. */
export function normalizeAuthorityHost(host: string): string {
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw invalidArgument("INVALID_AUTHORITY_HOST", `The authority host ${JSON.stringify(host)} is not a URL.`);
  }
  if (url.protocol !== "https:") {
    throw invalidArgument("INVALID_AUTHORITY_HOST", `The authority host must use https (got ${url.protocol}).`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw invalidArgument("INVALID_AUTHORITY_HOST", "The authority host must not carry a query, fragment or credentials.");
  }
  return url.origin + url.pathname.replace(/\/+$/, "");
}

/**
 * The multi-tenant rule: a request for another tenant than the configured one must be allowed by
 * `additionallyAllowedTenants` (or `*`). Returns the tenant to use.
 */
export function resolveTenant(configured: string, requested: string | undefined, allowed: string[]): string {
  if (!requested || requested === configured || configured === "adfs" || process.env.AZURE_IDENTITY_DISABLE_MULTITENANTAUTH) {
    return configured;
  }
  checkTenantId(requested);
  if (allowed.includes("*") || allowed.includes(requested)) return requested;
  throw new CredentialUnavailableError(
    `The current credential is not configured to acquire tokens for tenant ${requested}. To enable acquiring tokens for this tenant add it to the additionallyAllowedTenants on the credential options, or add "*" to additionallyAllowedTenants to allow acquiring tokens for any tenant.`,
    { code: "TENANT_NOT_ALLOWED" },
  );
}

/** A window handle as Electron gives it (a 4- or 8-byte buffer) or as a non-negative integer. */
export function checkWindowHandle(handle: unknown): void {
  if (handle instanceof Uint8Array) {
    if (handle.length !== 4 && handle.length !== 8) {
      throw invalidArgument("INVALID_WINDOW_HANDLE", `parentWindowHandle must be 4 or 8 bytes (got ${handle.length}).`);
    }
    return;
  }
  if (typeof handle === "bigint" ? handle >= 0n && handle < 2n ** 64n : Number.isSafeInteger(handle) && (handle as number) >= 0) return;
  throw invalidArgument(
    "INVALID_WINDOW_HANDLE",
    "parentWindowHandle must be a Buffer/Uint8Array of 4 or 8 bytes, a bigint or a non-negative integer.",
  );
}
