import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { azureDeveloperCliToken } from "../developerTools/azureDeveloperCli";
import { developerToolFront } from "../developerTools/toolFront";
import { processTimeout } from "../developerTools/toolInput";
import type { TokenFront, TokenSource } from "../tokens/tokenFront";
import type { AzureDeveloperCliCredentialOptions } from "./azureDeveloperCliCredentialOptions";

/**
 * The account signed in to the Azure Developer CLI (`azd auth login`): tokens from `azd auth token`,
 * kept in memory until their refresh time.
 */
export class AzureDeveloperCliCredential implements TokenCredential {
  private readonly front: TokenFront;
  private readonly source: TokenSource;

  constructor(options: AzureDeveloperCliCredentialOptions = {}) {
    const timeoutMs = processTimeout(options.processTimeoutInMs);
    this.front = developerToolFront("AzureDeveloperCliCredential", options);
    this.source = (request) => azureDeveloperCliToken(request, timeoutMs);
  }

  /** A token for one scope. `CredentialUnavailableError` when azd is missing or not signed in. */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.front.getToken(scopes, options ?? {}, this.source);
  }
}
