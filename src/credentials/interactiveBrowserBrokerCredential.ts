import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { AuthenticationRecord } from "../authenticationRecord";
import { openSystemBrowser } from "../browser/openBrowser";
import { acquireInteractiveWithBroker, acquireSilentWithBroker, type BrokerFlowOptions } from "../tokens/flows/broker";
import { acquireWithBrowser } from "../tokens/flows/browser";
import { acquireSilent } from "../tokens/flows/silent";
import type { FlowRequest, TokenFlow } from "../tokens/flows/types";
import type { TokenService } from "../tokens/tokenService";
import { normalizeWindowHandle } from "../util/windowHandle";
import type { InteractiveBrowserBrokerCredentialOptions } from "./interactiveBrowserBrokerCredentialOptions";
import { createTokenService } from "./createTokenService";
import { SignedInAccounts } from "./signedInAccounts";

const NAME = "InteractiveBrowserBrokerCredential";

/**
 * Signs a user in through the OS broker (WAM, the macOS SSO extension, the Linux identity broker),
 * parented to the app's window; where there is no broker, through the system browser. Silent
 * first; a broker that is there but fails is an error, never a silent switch to the browser.
 */
export class InteractiveBrowserBrokerCredential extends SignedInAccounts implements TokenCredential {
  private readonly tokens: TokenService;
  protected readonly accounts: TokenService;
  private readonly interactive: TokenFlow;

  constructor(options: InteractiveBrowserBrokerCredentialOptions = {}) {
    super();
    const broker: BrokerFlowOptions = {
      windowHandle: options.parentWindowHandle === undefined ? undefined : normalizeWindowHandle(options.parentWindowHandle),
      redirectUri: options.redirectUri,
      useDefaultBrokerAccount: !!options.useDefaultBrokerAccount,
    };
    const browserOptions = { openBrowser: options.openBrowser ?? openSystemBrowser, ...options.browserCustomizationOptions };
    // The msal layer decides whether a broker is here and hands its plugin in the request.
    const silent: TokenFlow = (request: FlowRequest) =>
      request.broker ? acquireSilentWithBroker(request, broker) : acquireSilent(request);
    this.interactive = (request: FlowRequest) =>
      request.broker ? acquireInteractiveWithBroker(request, broker) : acquireWithBrowser(request, browserOptions);
    this.tokens = this.accounts = createTokenService(NAME, options, {
      loginHint: options.loginHint,
      useBroker: true,
      silentFlow: silent,
      extraQueryParameters: options.enableMsaPassthrough ? { msal_request_type: "consumer_passthrough" } : undefined,
    });
  }

  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.tokens.getToken(scopes, options, this.interactive);
  }

  /** Signs the user in (always interactive) and returns the record, with the broker's account id. */
  authenticate(scopes: string | string[], options: GetTokenOptions = {}): Promise<AuthenticationRecord> {
    return this.tokens.authenticate(scopes, options, this.interactive);
  }
}
