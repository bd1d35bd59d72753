import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { invalidArgument } from "../errors";
import type { ServiceTokens } from "../tokens/serviceTokens";
import type { ClientAssertionCredentialOptions } from "./clientAssertionCredentialOptions";
import { createServiceTokens } from "./createServiceTokens";

/**
 * An app registration's own tokens, with a signed JWT the app obtains itself (a federated token
 * from another identity provider, or its own `private_key_jwt`): `getAssertion` is called for
 * each token request that reaches the authority. The assertion is never logged.
 */
export class ClientAssertionCredential implements TokenCredential {
  private readonly tokens: ServiceTokens;

  /**
   * @param tenantId - The Microsoft Entra tenant (directory) id.
   * @param clientId - The client (application) id of the app registration.
   * @param getAssertion - Resolves to the assertion (a JWT) to present.
   * @param options - Authority, tenants, persistence, logging.
   */
  constructor(tenantId: string, clientId: string, getAssertion: () => Promise<string>, options: ClientAssertionCredentialOptions = {}) {
    if (typeof getAssertion !== "function") {
      throw invalidArgument(
        "INVALID_CLIENT_ASSERTION",
        "ClientAssertionCredential: getAssertion must be a function that resolves to a JWT.",
      );
    }
    this.tokens = createServiceTokens("ClientAssertionCredential", tenantId, clientId, options, () =>
      Promise.resolve({ clientAssertion: () => assertionOf(getAssertion) }),
    );
  }

  /** The app's token for `scopes`; rejects with AuthenticationError carrying the authority's `error` and status. */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.tokens.getToken(scopes, options);
  }
}

/** The callback's assertion, checked: an empty one would be sent and refused, so it is refused here. */
async function assertionOf(getAssertion: () => Promise<string>): Promise<string> {
  const assertion = await getAssertion();
  if (typeof assertion !== "string" || assertion.trim() === "") {
    throw invalidArgument(
      "INVALID_CLIENT_ASSERTION",
      "ClientAssertionCredential: getAssertion resolved to no assertion (expected a JWT string).",
    );
  }
  return assertion.trim();
}
