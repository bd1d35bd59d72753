import type { GetTokenOptions } from "@azure/core-auth";
import { CredentialUnavailableError, invalidArgument } from "../../errors";
import type { PopRequest } from "./types";

const HTTP_METHOD = /^[A-Za-z]{1,16}$/;

/**
 * `proofOfPossessionOptions` checked and in msal's names; undefined for a Bearer request.
 * The URL must be absolute http(s): the token is bound to its host and path.
 */
export function popRequest(options: GetTokenOptions["proofOfPossessionOptions"]): PopRequest | undefined {
  if (options === undefined || options === null) return undefined;
  const { resourceRequestMethod: method, resourceRequestUrl: url, nonce } = options as Partial<typeof options>;
  if (typeof method !== "string" || !HTTP_METHOD.test(method)) {
    throw invalidArgument("INVALID_POP_OPTIONS", "proofOfPossessionOptions.resourceRequestMethod must be an HTTP method such as GET or POST.");
  }
  let parsed: URL | undefined;
  try {
    parsed = typeof url === "string" ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== "https:" && parsed.protocol !== "http:") || parsed.username || parsed.password) {
    throw invalidArgument("INVALID_POP_OPTIONS", "proofOfPossessionOptions.resourceRequestUrl must be the absolute http(s) URL of the resource request.");
  }
  if (nonce !== undefined && (typeof nonce !== "string" || nonce.length === 0 || nonce.length > 4096)) {
    throw invalidArgument("INVALID_POP_OPTIONS", "proofOfPossessionOptions.nonce must be the non-empty nonce the resource gave.");
  }
  return { resourceRequestMethod: method.toUpperCase(), resourceRequestUri: parsed.href, ...(nonce ? { shrNonce: nonce } : {}) };
}

/** The request a PoP token is bound to, as part of a key: two different requests never share one. */
export function popKey(pop: PopRequest): string {
  return JSON.stringify([pop.resourceRequestMethod, pop.resourceRequestUri, pop.shrNonce ?? ""]);
}

/** Where no broker can bind the token: say why, and what would. */
export function popUnsupported(why: string): CredentialUnavailableError {
  return new CredentialUnavailableError(
    `Proof-of-possession tokens need an OS broker that makes them (WAM on Windows, the identity broker on Linux) through InteractiveBrowserBrokerCredential; ${why}`,
    { code: "POP_UNSUPPORTED" },
  );
}
