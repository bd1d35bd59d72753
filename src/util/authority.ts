// The one reader of an authority URL's parts.

/**
 * The tenant of an authority URL: its last path segment (`https://host[/path]/<tenant>`, as
 * `MsalApps.authority()` builds it); "" when there is none or it is not a URL.
 */
export function tenantOfAuthority(authority: string): string {
  try {
    return new URL(authority).pathname.split("/").filter(Boolean).pop() ?? "";
  } catch {
    return "";
  }
}

/** The host (with port) of an authority URL; `fallback` when it is not a URL. */
export function hostOfAuthority(authority: string | undefined, fallback = "login.microsoftonline.com"): string {
  try {
    return authority ? new URL(authority).host || fallback : fallback;
  } catch {
    return fallback;
  }
}
