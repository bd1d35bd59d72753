import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { AccountInfo, AuthenticationResult } from "@azure/msal-node";
import { chooseAccount } from "../developerTools/sharedCacheAccounts";
import { invalidArgument } from "../errors";
import { Failure } from "../failure";
import { needsInteraction } from "../tokens/errors";
import { acquireSilent } from "../tokens/flows/silent";
import type { FlowRequest } from "../tokens/flows/types";
import type { TokenService } from "../tokens/tokenService";
import { createTokenService } from "./createTokenService";
import type { SharedTokenCacheCredentialOptions } from "./sharedTokenCacheCredentialOptions";

const NAME = "SharedTokenCacheCredential";

/**
 * A user signed in earlier by a Microsoft developer tool, from the persistent token cache those
 * tools share (`msal.cache`, in the OS secret store): the one cached account, or the one the
 * `username` / `tenantId` / `authenticationRecord` options name. Silent only: no account, several,
 * or one whose sign-in lapsed, is `CredentialUnavailableError` saying which accounts exist and what to do.
 */
export class SharedTokenCacheCredential implements TokenCredential {
  private readonly tokens: TokenService;

  constructor(private readonly options: SharedTokenCacheCredentialOptions = {}) {
    if (options.username !== undefined && (typeof options.username !== "string" || !options.username.trim())) {
      throw invalidArgument("INVALID_ARGUMENT", "username must be the account's sign-in name, e.g. ada@contoso.example.");
    }
    this.tokens = createTokenService(
      NAME,
      {
        ...options,
        disableAutomaticAuthentication: true,
        tokenCachePersistenceOptions: { ...options.tokenCachePersistenceOptions, enabled: true },
      },
      { silentFlow: (request) => this.silent(request) },
    );
  }

  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.tokens.getToken(scopes, options);
  }

  /** msal's cache and refresh token, for the chosen account: chosen on first use, then kept. */
  private async silent(request: FlowRequest): Promise<AuthenticationResult> {
    const account = request.account ?? (await this.choose(request));
    try {
      return await acquireSilent({ ...request, account });
    } catch (error) {
      if (!needsInteraction(error)) throw error;
      throw new Failure(
        "unavailable",
        "SHARED_CACHE_SIGN_IN_REQUIRED",
        "The cached sign-in of this account can no longer be used silently.",
        {
          reason: "the cached account needs to sign in again",
          fix: ["sign in again with the tool that signed it in (or an app using tokenCachePersistenceOptions: { enabled: true })"],
          cause: error,
        },
      );
    }
  }

  private async choose(request: FlowRequest): Promise<AccountInfo> {
    const cached = await this.tokens.getAccounts();
    const chosen = chooseAccount(cached, {
      username: this.options.username,
      tenantId: this.options.tenantId,
      host: new URL(request.authority).host,
    });
    return this.tokens.selectAccount(chosen);
  }
}
