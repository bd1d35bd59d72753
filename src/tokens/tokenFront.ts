import type { AccessToken, GetTokenOptions } from "@azure/core-auth";
import type { AuthenticationResult } from "@azure/msal-node";
import { MemoryTokenCache, tokenKey } from "../cache/memory";
import { AbortError, invalidArgument, summarize } from "../errors";
import { Failure } from "../failure";
import type { CredentialLogger } from "../logging";
import { checkTenantId, normalizeScopes, resolveTenant } from "../util/validation";
import { toCredentialError } from "./errors";
import { popKey, popRequest } from "./flows/pop";
import type { PopRequest } from "./flows/types";
import { authorityReply } from "./networkClient";

/** One token request as a credential's source sees it: checked, tenant resolved. */
export interface TokenRequest {
  scopes: string[];
  /** The tenant the tenant rule resolved; `undefined` when neither the credential nor the call named one. */
  tenant: string | undefined;
  claims?: string;
  enableCae: boolean;
  /** `proofOfPossessionOptions`, checked; only the broker can honour it. */
  pop?: PopRequest;
  /** The caller's options, as given. */
  options: GetTokenOptions;
  /** Ends when every caller waiting for this token has given up. */
  signal: AbortSignal;
  /** A still-usable token is in memory and due for renewal: the source should bypass its own cache. */
  renewing: boolean;
}

/** Where a credential's tokens come from (msal, a managed identity endpoint, a developer tool). */
export type TokenSource = (request: TokenRequest) => Promise<AccessToken>;

export interface TokenFrontOptions {
  /** The configured tenant; `undefined` lets each call name its own (developer tools' rule). */
  tenantId: string | undefined;
  additionallyAllowedTenants: string[];
  logger: CredentialLogger;
  /** Sources that take one scope per request (managed identity, developer tools). */
  singleScope?: boolean;
}

/** Whose tokens the memory holds (a user's account id), read before and after each request: a sign-in changes it. */
export type Partition = () => string | undefined;

/**
 * Every credential's front: arguments checked, the tenant rule, the in-memory fast path, one
 * request per token for concurrent callers, the still-valid token when renewal fails, and errors
 * mapped to the public classes. A credential only says where tokens come from.
 */
export class TokenFront {
  private readonly memory = new MemoryTokenCache();

  constructor(private readonly options: TokenFrontOptions) {}

  /** A token for `scopes`: from memory, else from `source`. Never throws synchronously. */
  getToken(
    scopesIn: string | string[],
    getTokenOptions: GetTokenOptions,
    source: TokenSource,
    partition?: Partition,
  ): Promise<AccessToken> {
    try {
      return this.getTokenOrThrow(scopesIn, getTokenOptions ?? {}, source, partition);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Checks a call's arguments the way `getToken` does; for credentials that also sign in. */
  resolve(scopesIn: string | string[], getTokenOptions: GetTokenOptions): { scopes: string[]; tenant: string | undefined } {
    const scopes = normalizeScopes(scopesIn);
    if (this.options.singleScope && scopes.length !== 1) {
      throw invalidArgument("INVALID_SCOPE", `This credential takes one scope per request (got ${scopes.length}).`);
    }
    const { tenantId, additionallyAllowedTenants } = this.options;
    if (tenantId !== undefined) return { scopes, tenant: resolveTenant(tenantId, getTokenOptions.tenantId, additionallyAllowedTenants) };
    // No tenant configured: the call's own, if any (the developer tools' rule, as the anchor's).
    if (getTokenOptions.tenantId) checkTenantId(getTokenOptions.tenantId);
    return { scopes, tenant: getTokenOptions.tenantId || undefined };
  }

  /** Remembers a token got outside `getToken` (an interactive `authenticate()`). */
  remember(scopes: string[], tenant: string | undefined, enableCae: boolean, token: AccessToken, partition?: Partition): void {
    if (token.tokenType === "pop") return;
    this.memory.store(this.keyFor(partition, tenant, enableCae, scopes), token);
  }

  /** Forgets every token (another account signed in, or one signed out). */
  clear(): void {
    this.memory.clear();
  }

  private keyFor(partition: Partition | undefined, tenant: string | undefined, enableCae: boolean, scopes: string[]): string {
    return tokenKey({ account: partition?.(), tenant: tenant ?? "", enableCae, scopes });
  }

  private getTokenOrThrow(scopesIn: string | string[], getTokenOptions: GetTokenOptions, source: TokenSource, partition?: Partition) {
    if (getTokenOptions.abortSignal?.aborted) throw new AbortError();
    const { scopes, tenant } = this.resolve(scopesIn, getTokenOptions);
    const enableCae = !!getTokenOptions.enableCae;
    const claims = getTokenOptions.claims;
    const pop = popRequest(getTokenOptions.proofOfPossessionOptions);
    const key = this.keyFor(partition, tenant, enableCae, scopes);
    // A PoP token is bound to one request (method, URL, nonce) and signed at a time (`ts`): it never
    // comes from the memory layer, never goes into it, and only identical concurrent requests share one.
    const bearer = !pop;
    const cacheable = !claims && bearer;
    if (cacheable) {
      const hit = this.memory.fresh(key);
      if (hit) return Promise.resolve(hit);
    }
    const sharedKey = `${key}|${claims ?? ""}${pop ? `|pop|${popKey(pop)}` : ""}`;
    const log = this.options.logger;
    return this.memory.coalesce(sharedKey, getTokenOptions.abortSignal, async (signal) => {
      const renewing = cacheable && !!this.memory.usable(key);
      try {
        const token = await source({ scopes, tenant, claims, enableCae, pop, options: getTokenOptions, signal, renewing });
        // Keyed again: a sign-in during the request may have made another account current.
        if (cacheable && token.tokenType !== "pop") this.memory.store(this.keyFor(partition, tenant, enableCae, scopes), token);
        log.info(`getToken() => SUCCESS. Scopes: ${scopes.join(", ")}.`);
        return token;
      } catch (error) {
        const mapped = toCredentialError(error, scopes, getTokenOptions);
        const previous = cacheable && !(mapped instanceof AbortError) ? this.memory.usable(key) : undefined;
        if (previous) {
          log.warning(`Renewing a token failed (${summarize(mapped)}); using the current one until it expires.`);
          return previous;
        }
        log.info(`getToken() => ERROR. Scopes: ${scopes.join(", ")}. ${mapped.name}: ${summarize(mapped)}`);
        throw mapped;
      }
    });
  }
}

/** msal's result as core-auth's token; a reply without a token is a bad reply. */
export function toAccessToken(result: AuthenticationResult | null): AccessToken {
  if (!result?.accessToken || !result.expiresOn) {
    // The status the authority sent with it (a malformed 200), when the reply came over our client.
    const statusCode = authorityReply(result?.correlationId)?.status;
    throw new Failure("bad_reply", "no_access_token", "The authority returned no access token.", {
      reason: "the reply had no access token or expiry",
      statusCode,
    });
  }
  return {
    token: result.accessToken,
    expiresOnTimestamp: result.expiresOn.getTime(),
    refreshAfterTimestamp: result.refreshOn?.getTime(),
    tokenType: result.tokenType?.toLowerCase() === "pop" ? "pop" : "Bearer",
  };
}
