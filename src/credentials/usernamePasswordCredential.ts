import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { invalidArgument } from "../errors";
import { acquireByUsernamePassword } from "../tokens/flows/usernamePassword";
import type { TokenFlow } from "../tokens/flows/types";
import type { TokenService } from "../tokens/tokenService";
import { createTokenService } from "./createTokenService";
import type { UsernamePasswordCredentialOptions } from "./usernamePasswordCredentialOptions";

/**
 * A user's tokens with their username and password (the resource owner password grant), silently
 * from msal's cache and refresh token once signed in. It needs a high degree of trust and works
 * only for accounts without MFA: use it only where no other credential can be used. The password
 * is never logged.
 * @deprecated UsernamePasswordCredential is deprecated. Use a more secure credential. See https://aka.ms/azsdk/identity/mfa for details.
 */
export class UsernamePasswordCredential implements TokenCredential {
  private readonly tokens: TokenService;
  private readonly signIn: TokenFlow;

  /**
   * @param tenantId - The Microsoft Entra tenant (directory) id.
   * @param clientId - The client (application) id of an app registration that allows public client flows.
   * @param username - The user's e-mail address (user principal name).
   * @param password - The user's password.
   * @param options - Authority, tenants, persistence, logging.
   */
  constructor(tenantId: string, clientId: string, username: string, password: string, options: UsernamePasswordCredentialOptions = {}) {
    for (const [name, value] of Object.entries({ tenantId, username, password })) {
      if (typeof value !== "string" || value === "") {
        throw invalidArgument(
          name === "tenantId" ? "INVALID_TENANT_ID" : "INVALID_ARGUMENT",
          `UsernamePasswordCredential: ${name} is required.`,
        );
      }
    }
    this.tokens = createTokenService("UsernamePasswordCredential", { ...options, tenantId, clientId });
    this.signIn = (request) => acquireByUsernamePassword(request, username, password);
  }

  /** The user's token for `scopes`: from memory, msal's cache or refresh token, else the password grant. */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.tokens.getToken(scopes, options, this.signIn);
  }
}
