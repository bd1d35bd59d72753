import type { AccessToken, GetTokenOptions } from "@azure/core-auth";
import { AbortError } from "../errors";

/** msal-node renews tokens this long before expiry; so do we, capped at half a short lifetime. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

interface Entry {
  token: AccessToken;
  /** From here on the token is renewed before use (refresh_in, or close to expiry). */
  renewAt: number;
  /** Past this the token is not handed out even when renewal fails. */
  unusableAt: number;
}

/**
 * The fast path in front of msal: tokens by (account, tenant, CAE, scopes) answered with no msal
 * call and no I/O, and one shared request per key while a token is being acquired.
 */
export class MemoryTokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Shared>();

  /** A token that needs no renewal yet. */
  fresh(key: string, now = Date.now()): AccessToken | undefined {
    const entry = this.entries.get(key);
    return entry && now < entry.renewAt ? entry.token : undefined;
  }

  /** A token due for renewal but still usable: the answer when renewal fails transiently. */
  usable(key: string, now = Date.now()): AccessToken | undefined {
    const entry = this.entries.get(key);
    return entry && now < entry.unusableAt ? entry.token : undefined;
  }

  store(key: string, token: AccessToken, now = Date.now()): void {
    const lifetime = token.expiresOnTimestamp - now;
    const unusableAt = token.expiresOnTimestamp - Math.min(EXPIRY_MARGIN_MS, Math.max(lifetime, 0) / 2);
    const renewAt = Math.min(unusableAt, token.refreshAfterTimestamp ?? Infinity);
    this.entries.set(key, { token, renewAt, unusableAt });
  }

  /**
   * Runs `acquire` once per key at a time; concurrent callers share it. Each caller's signal ends
   * only that caller's wait; the shared work is aborted when every waiting caller has given up.
   */
  coalesce(key: string, signal: AbortSignalLike | undefined, acquire: (signal: AbortSignal) => Promise<AccessToken>): Promise<AccessToken> {
    let shared = this.inflight.get(key);
    if (!shared) {
      const controller = new AbortController();
      const forget = () => {
        if (this.inflight.get(key) === entry) this.inflight.delete(key);
      };
      const entry: Shared = { promise: acquire(controller.signal).finally(forget), controller, waiters: 0, forget };
      shared = entry;
      this.inflight.set(key, shared);
    }
    return waitFor(shared, signal);
  }

  clear(): void {
    this.entries.clear();
  }
}

type AbortSignalLike = NonNullable<GetTokenOptions["abortSignal"]>;

interface Shared {
  promise: Promise<AccessToken>;
  controller: AbortController;
  waiters: number;
  /** Drops it from the in-flight table: a caller after an abort starts afresh, never joins work being torn down. */
  forget(): void;
}

function waitFor(shared: Shared, signal: AbortSignalLike | undefined): Promise<AccessToken> {
  shared.waiters++;
  if (!signal) return shared.promise;
  if (signal.aborted) {
    release(shared);
    return Promise.reject(new AbortError());
  }
  return new Promise<AccessToken>((resolve, reject) => {
    const onAbort = () => {
      release(shared);
      reject(new AbortError());
    };
    signal.addEventListener("abort", onAbort);
    shared.promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function release(shared: Shared): void {
  if (--shared.waiters > 0) return;
  shared.forget();
  shared.controller.abort();
}

/** The cache key of a token request; scopes in any order name the same token. */
export function tokenKey(parts: { account?: string; tenant: string; enableCae: boolean; scopes: string[] }): string {
  return [parts.account ?? "", parts.tenant, parts.enableCae ? "cae" : "nocae", [...parts.scopes].sort().join(" ")].join("|");
}
