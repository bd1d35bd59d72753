import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { AuthenticationRecord } from "../authenticationRecord";
import type { AccountReference, SelectableAccount, SignedInAccount } from "../tokens/accounts";
import { acquireWithDeviceCode, type DeviceCodeInfo } from "../tokens/flows/deviceCode";
import type { TokenFlow } from "../tokens/flows/types";
import type { TokenService } from "../tokens/tokenService";
import type { DeviceCodeCredentialOptions } from "./deviceCodeCredentialOptions";
import { createTokenService } from "./createTokenService";

/** The default prompt: the authority's own instructions, on the console. */
export function defaultDeviceCodePromptCallback(info: DeviceCodeInfo): void {
  console.log(info.message);
}

/** Signs a user in on another device: the user opens a page and types a code. */
export class DeviceCodeCredential implements TokenCredential {
  private readonly tokens: TokenService;
  private readonly deviceCode: TokenFlow;

  constructor(options: DeviceCodeCredentialOptions = {}) {
    this.tokens = createTokenService("DeviceCodeCredential", options);
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

  /**
   * The accounts signed in for this credential's client id: those in its token cache (the
   * persisted one with `tokenCachePersistenceOptions`). Nothing is opened; no token is requested.
   */
  getAccounts(): Promise<SignedInAccount[]> {
    return this.tokens.getAccounts();
  }

  /**
   * Makes later `getToken` calls silent for `account` (one of {@link getAccounts}, or an
   * `AuthenticationRecord`), as `authenticationRecord` given at construction would.
   */
  selectAccount(account: SelectableAccount): void {
    this.tokens.selectAccount(account);
  }

  /**
   * Signs `account` out: removes it from the token cache (the persisted one too). When it is
   * the account this credential uses, the next `getToken` signs in again.
   */
  signOut(account: AccountReference): Promise<void> {
    return this.tokens.signOut(account);
  }
}
