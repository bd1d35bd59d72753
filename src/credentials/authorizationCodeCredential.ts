import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { invalidArgument } from "../errors";
import { checkClientId } from "../util/validation";
import { redeemAuthorizationCode } from "../msal/flows/authorizationCode";
import type { TokenFlow } from "../msal/flows/types";
import type { MsalClient } from "../msal/msalClient";
import type { AuthorizationCodeCredentialOptions } from "./authorizationCodeCredentialOptions";
import { createMsalClient } from "./userCredential";

/**
 * Redeems an authorization code the app obtained itself (its own redirect handling), then keeps
 * the account's tokens fresh silently. With `clientSecret`, a confidential client.
 */
export class AuthorizationCodeCredential implements TokenCredential {
  private readonly msal: MsalClient;
  private readonly redeem: TokenFlow;

  constructor(tenantId: string | "common", clientId: string, clientSecret: string, authorizationCode: string, redirectUri: string, options?: AuthorizationCodeCredentialOptions);
  constructor(tenantId: string | "common", clientId: string, authorizationCode: string, redirectUri: string, options?: AuthorizationCodeCredentialOptions);
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
    const redirectUri = withSecret ? (redirectOrOptions as string) : codeOrRedirect;
    const options = (withSecret ? maybeOptions : (redirectOrOptions as AuthorizationCodeCredentialOptions | undefined)) ?? {};
    checkClientId(clientId);
    for (const [name, value] of Object.entries({ authorizationCode: code, redirectUri })) {
      if (typeof value !== "string" || value.length === 0) throw invalidArgument("INVALID_ARGUMENT", `${name} must be a non-empty string.`);
    }
    this.msal = createMsalClient("AuthorizationCodeCredential", { ...options, tenantId, clientId }, { clientSecret });
    let redeemed = false;
    // The code is single use: the first getToken redeems it, later ones are silent.
    this.redeem = (request) => {
      if (redeemed) throw Object.assign(new Error("The authorization code was already redeemed."), { name: "InteractionRequiredAuthError", errorCode: "interaction_required" });
      redeemed = true;
      return redeemAuthorizationCode(request, code, redirectUri);
    };
  }

  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.msal.getToken(scopes, options, this.redeem);
  }
}
