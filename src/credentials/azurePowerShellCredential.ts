import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { azurePowerShellToken } from "../developerTools/azurePowerShell";
import { developerToolFront } from "../developerTools/toolFront";
import { processTimeout } from "../developerTools/toolInput";
import type { TokenFront, TokenSource } from "../tokens/tokenFront";
import type { AzurePowerShellCredentialOptions } from "./azurePowerShellCredentialOptions";

/**
 * The account signed in to Azure PowerShell (`Connect-AzAccount`): tokens from `Get-AzAccessToken`
 * through `pwsh` (then `powershell` on Windows), one process per token, kept in memory until
 * its refresh time.
 */
export class AzurePowerShellCredential implements TokenCredential {
  private readonly front: TokenFront;
  private readonly source: TokenSource;

  constructor(options: AzurePowerShellCredentialOptions = {}) {
    const timeoutMs = processTimeout(options.processTimeoutInMs);
    this.front = developerToolFront("AzurePowerShellCredential", options);
    this.source = (request) => azurePowerShellToken(request, timeoutMs);
  }

  /** A token for one scope. `CredentialUnavailableError` when PowerShell or Az.Accounts is missing, or nobody signed in. */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.front.getToken(scopes, options ?? {}, this.source);
  }
}
