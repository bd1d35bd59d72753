import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { AuthenticationError, invalidArgument } from "../errors";
import { checkClientId } from "../util/validation";
import { redeemAuthorizationCode } from "../tokens/flows/authorizationCode";
import type { TokenFlow } from "../tokens/flows/types";
import type { TokenService } from "../tokens/tokenService";
import type { AuthorizationCodeCredentialOptions } from "./authorizationCodeCredentialOptions";
import { createTokenService } from "./createTokenService";

/**
 * Redeems an authorization code the app obtained itself (its own redirect handling), then keeps
 * the account's tokens fresh silently. With `clientSecret`, a confidential client.
 */
export class AuthorizationCodeCredential implements TokenCredential {
  private readonly tokens: TokenService;
  private readonly redeem: TokenFlow;

  constructor(
    tenantId: string,
    clientId: string,
    clientSecret: string,
    authorizationCode: string,
    redirectUri: string,
    options?: AuthorizationCodeCredentialOptions,
  );
  constructor(
    tenantId: string,
    clientId: string,
    authorizationCode: string,
    redirectUri: string,
    options?: AuthorizationCodeCredentialOptions,
  );
  constructor(
    tenantId: string,
    clientId: string,
    secretOrCode: string,
    codeOrRedirect: string,
    redirectOrOptions?: string | AuthorizationCodeCredentialOptions,
    maybeOptions?: AuthorizationCodeCredentialOptions,
  ) {
    const withSecret = typeof redirectOrOptions === "string";
    const clientSecret = withSecret ? secretOrCode : undefined;
    const code = withSecret ? codeOrRedirect : secretOrCode;
    const redirectUri = withSecret ? redirectOrOptions : codeOrRedirect;
    const options = (withSecret ? maybeOptions : redirectOrOptions) ?? {};
    checkClientId(clientId);
    for (const [name, value] of Object.entries({ authorizationCode: code, redirectUri })) {
      if (typeof value !== "string" || value.length === 0) throw invalidArgument("INVALID_ARGUMENT", `${name} must be a non-empty string.`);
    }
    this.tokens = createTokenService("AuthorizationCodeCredential", { ...options, tenantId, clientId }, { clientSecret });
    let redeemed = false;
    // The code is single use: the first getToken redeems it, later ones are silent. It counts as
    // used only once redeemed: a transient failure or an abort leaves it for the next call.
    // (TokenService runs one such step at a time, so two calls never redeem it together.)
    this.redeem = async (request) => {
      if (redeemed) throw codeUsedUp();
      const result = await redeemAuthorizationCode(request, code, redirectUri);
      redeemed = true;
      return result;
    };
  }

  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.tokens.getToken(scopes, options, this.redeem);
  }
}

/**
 * The code was redeemed and the tokens it gave can no longer be renewed silently: nothing this
 * credential can do. AuthenticationError (not AuthenticationRequiredError), so a chain stops here.
 */
function codeUsedUp(): AuthenticationError {
  return new AuthenticationError(0, {
    error: "invalid_grant",
    error_description:
      "The authorization code was already redeemed, and the account's refresh token no longer renews its tokens: obtain a new authorization code.",
  });
}
