import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { AuthenticationRecord } from "../authenticationRecord";
import { acquireWithDeviceCode, type DeviceCodeInfo } from "../tokens/flows/deviceCode";
import type { TokenFlow } from "../tokens/flows/types";
import type { TokenService } from "../tokens/tokenService";
import type { DeviceCodeCredentialOptions } from "./deviceCodeCredentialOptions";
import { createTokenService } from "./createTokenService";
import { SignedInAccounts } from "./signedInAccounts";

/** The default prompt: the authority's own instructions, on the console. */
export function defaultDeviceCodePromptCallback(info: DeviceCodeInfo): void {
  console.log(info.message);
}

/** Signs a user in on another device: the user opens a page and types a code. */
export class DeviceCodeCredential extends SignedInAccounts implements TokenCredential {
  private readonly tokens: TokenService;
  protected readonly accounts: TokenService;
  private readonly deviceCode: TokenFlow;

  constructor(options: DeviceCodeCredentialOptions = {}) {
    super();
    this.tokens = this.accounts = createTokenService("DeviceCodeCredential", options);
    const prompt = options.userPromptCallback ?? defaultDeviceCodePromptCallback;
    // Without a timeout of the app's, the code's own validity is the limit (as azure-identity's).
    this.deviceCode = (request) => acquireWithDeviceCode(request, prompt, options.timeout);
  }

  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.tokens.getToken(scopes, options, this.deviceCode);
  }

  /** Signs the user in with a device code (always interactive) and returns the account's record. */
  authenticate(scopes: string | string[], options: GetTokenOptions = {}): Promise<AuthenticationRecord> {
    return this.tokens.authenticate(scopes, options, this.deviceCode);
  }
}
