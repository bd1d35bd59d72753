import { homedir } from "node:os";
import path from "node:path";
import { invalidArgument } from "../../errors";

/** `@azure/identity`'s default cache name. */
export const DEFAULT_CACHE_NAME = "msal.cache";
/** The secret-store service `@azure/identity-cache-persistence` uses (Keychain and libsecret). */
export const SECRET_SERVICE = "Microsoft.Developer.IdentityService";
/** Its secret-store account: where a user moving from `@azure/identity` has their sign-in. */
const IDENTITY_ACCOUNT = "MSALCache";
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Where one cache lives: its file (the data, or the change marker of a secret-store entry) and its entry. */
export interface CacheLocation {
  /** `<dir>/.IdentityService/<name>.cae|.nocae`, as `@azure/identity` names them. */
  file: string;
  service: string;
  /** The entry of the cache in the Keychain / Secret Service. */
  account: string;
}

/** A cache name that is one plain file name: no folders, no `..`, at most 100 characters. */
export function checkCacheName(name: unknown): string {
  if (name === undefined) return DEFAULT_CACHE_NAME;
  if (typeof name !== "string" || !NAME_PATTERN.test(name) || name.includes("..")) {
    throw invalidArgument(
      "INVALID_CACHE_NAME",
      "tokenCachePersistenceOptions.name must be 1-100 characters of letters, digits, '.', '_' or '-', starting with a letter or digit.",
    );
  }
  return name;
}

/**
 * `~/.IdentityService` (Windows: `%LOCALAPPDATA%\.IdentityService`), derived exactly as
 * `@azure/identity-cache-persistence` derives it, so both find the same files.
 */
export function cacheDirectory(): string {
  const base = process.env.APPDATA?.replace(/(.Roaming)*$/, "\\Local") ?? process.env.HOME ?? homedir();
  return path.join(base, ".IdentityService");
}

/**
 * Each (name, CAE) pair has its own file and its own secret-store entry, so names isolate for
 * real. The default name's non-CAE cache keeps `@azure/identity`'s entry (which it shares between
 * its two caches); every other cache's entry is named after its file.
 */
export function cacheLocation(name: string, enableCae: boolean): CacheLocation {
  const fileName = `${name}.${enableCae ? "cae" : "nocae"}`;
  return {
    file: path.join(cacheDirectory(), fileName),
    service: SECRET_SERVICE,
    account: name === DEFAULT_CACHE_NAME && !enableCae ? IDENTITY_ACCOUNT : fileName,
  };
}
