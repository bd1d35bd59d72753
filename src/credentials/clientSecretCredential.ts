import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { invalidArgument } from "../errors";
import type { ServiceTokens } from "../tokens/serviceTokens";
import type { ClientSecretCredentialOptions } from "./clientSecretCredentialOptions";
import { createServiceTokens } from "./createServiceTokens";

/**
 * An app registration's own tokens, with one of its client secrets (the client credentials
 * grant). Tokens are kept in memory (and, with `tokenCachePersistenceOptions`, in the OS secret
 * store) until due for renewal. The secret is never logged.
 */
export class ClientSecretCredential implements TokenCredential {
  private readonly tokens: ServiceTokens;

  /**
   * @param tenantId - The Microsoft Entra tenant (directory) id.
   * @param clientId - The client (application) id of the app registration.
   * @param clientSecret - A client secret of that app registration.
   * @param options - Authority, tenants, persistence, logging.
   * @throws InvalidArgumentError (`INVALID_CLIENT_SECRET`, `INVALID_TENANT_ID`, `INVALID_CLIENT_ID`, ...) before anything is sent.
   */
  constructor(tenantId: string, clientId: string, clientSecret: string, options: ClientSecretCredentialOptions = {}) {
    if (typeof clientSecret !== "string" || clientSecret.trim() === "") {
      throw invalidArgument(
        "INVALID_CLIENT_SECRET",
        "ClientSecretCredential: clientSecret must be a non-empty string: a secret of the app registration.",
      );
    }
    this.tokens = createServiceTokens("ClientSecretCredential", tenantId, clientId, options, () => Promise.resolve({ clientSecret }));
  }

  /** The app's token for `scopes`; rejects with AuthenticationError carrying the authority's `error` and status. */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.tokens.getToken(scopes, options);
  }
}
