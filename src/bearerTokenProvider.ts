import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { CredentialUnavailableError } from "./errors";

/** Options of {@link getBearerTokenProvider}, as `@azure/identity`'s. */
export interface GetBearerTokenProviderOptions {
  /** Ends the provider's pending calls. */
  abortSignal?: GetTokenOptions["abortSignal"];
  /** Passed to `getToken`. */
  tracingOptions?: GetTokenOptions["tracingOptions"];
}

/** Renew this long before expiry when the token names no refresh time (as the anchor's bearer policy). */
const REFRESH_MARGIN_MS = 2 * 60_000;

/**
 * A function that returns a bearer token for `scopes`, for clients that take one (the OpenAI SDK):
 * it keeps the token until its refresh time, shares one request among concurrent calls, and keeps
 * handing out the current token while a renewal fails and it has not expired.
 */
export function getBearerTokenProvider(
  credential: TokenCredential,
  scopes: string | string[],
  options: GetBearerTokenProviderOptions = {},
): () => Promise<string> {
  let current: AccessToken | undefined;
  let pending: Promise<string> | undefined;
  const renewAt = (t: AccessToken) => t.refreshAfterTimestamp ?? t.expiresOnTimestamp - REFRESH_MARGIN_MS;
  const renew = async (): Promise<string> => {
    try {
      const token = await credential.getToken(scopes, { abortSignal: options.abortSignal, tracingOptions: options.tracingOptions });
      if (!token) throw new CredentialUnavailableError("The credential returned no token.");
      current = token;
      return token.token;
    } catch (error) {
      if (current && Date.now() < current.expiresOnTimestamp - 30_000) return current.token;
      throw error;
    }
  };
  return () => {
    if (current && Date.now() < renewAt(current)) return Promise.resolve(current.token);
    pending ??= renew().finally(() => (pending = undefined));
    return pending;
  };
}
