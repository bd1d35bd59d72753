import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { azureCliToken } from "../developerTools/azureCli";
import { developerToolFront } from "../developerTools/toolFront";
import { checkSubscription, processTimeout } from "../developerTools/toolInput";
import type { TokenFront, TokenSource } from "../tokens/tokenFront";
import type { AzureCliCredentialOptions } from "./azureCliCredentialOptions";

/**
 * The account signed in to the Azure CLI (`az login`): tokens from `az account get-access-token`.
 * A token is kept in memory until its refresh time, so a second `getToken` runs no `az`.
 */
export class AzureCliCredential implements TokenCredential {
  private readonly front: TokenFront;
  private readonly source: TokenSource;

  constructor(options: AzureCliCredentialOptions = {}) {
    if (options.subscription) checkSubscription(options.subscription);
    const settings = { subscription: options.subscription || undefined, timeoutMs: processTimeout(options.processTimeoutInMs) };
    this.front = developerToolFront("AzureCliCredential", options);
    this.source = (request) => azureCliToken(request, settings);
  }

  /** A token for one scope. `CredentialUnavailableError` when az is missing or not signed in. */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.front.getToken(scopes, options ?? {}, this.source);
  }
}
