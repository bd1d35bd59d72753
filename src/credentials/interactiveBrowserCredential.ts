import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { AuthenticationRecord } from "../authenticationRecord";
import { openSystemBrowser } from "../browser/openBrowser";
import { invalidArgument } from "../errors";
import { acquireWithBrowser, type BrowserFlowOptions } from "../tokens/flows/browser";
import type { TokenFlow } from "../tokens/flows/types";
import type { InteractiveBrowserCredentialNodeOptions } from "./interactiveBrowserCredentialOptions";
import { InteractiveBrowserBrokerCredential } from "./interactiveBrowserBrokerCredential";
import { createTokenService } from "./createTokenService";
import { SignedInAccounts, type AccountMethods } from "./signedInAccounts";

/**
 * Signs a user in through the system browser: authorization code with PKCE and a loopback
 * redirect on 127.0.0.1. Silent first; the browser opens only when needed and allowed.
 */
export class InteractiveBrowserCredential extends SignedInAccounts implements TokenCredential {
  /** The browser flow over our msal layer, or, with `brokerOptions.enabled`, the broker credential. */
  private readonly impl: Pick<InteractiveBrowserBrokerCredential, "getToken" | "authenticate">;
  protected readonly accounts: AccountMethods;

  constructor(options: InteractiveBrowserCredentialNodeOptions = {}) {
    super();
    const { brokerOptions, redirectUri, ...rest } = options;
    if (brokerOptions?.enabled) {
      if (brokerOptions.parentWindowHandle === undefined) {
        throw invalidArgument(
          "INVALID_WINDOW_HANDLE",
          "In order to do WAM authentication, `parentWindowHandle` under `brokerOptions` is a required parameter",
        );
      }
      this.impl = this.accounts = new InteractiveBrowserBrokerCredential({
        ...rest,
        parentWindowHandle: brokerOptions.parentWindowHandle,
        enableMsaPassthrough: brokerOptions.legacyEnableMsaPassthrough,
        useDefaultBrokerAccount: brokerOptions.useDefaultBrokerAccount,
      });
      return;
    }
    const msal = (this.accounts = createTokenService("InteractiveBrowserCredential", rest, { loginHint: options.loginHint }));
    const flowOptions: BrowserFlowOptions = {
      ...loopbackRedirect(redirectUri),
      openBrowser: options.openBrowser ?? openSystemBrowser,
      ...options.browserCustomizationOptions,
    };
    const browser: TokenFlow = (request) => acquireWithBrowser(request, flowOptions);
    this.impl = {
      getToken: (scopes, getTokenOptions) => msal.getToken(scopes, getTokenOptions, browser),
      authenticate: (scopes, getTokenOptions = {}) => msal.authenticate(scopes, getTokenOptions, browser),
    };
  }

  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.impl.getToken(scopes, options);
  }

  /** Signs the user in (always interactive) and returns the record for later silent use. */
  authenticate(scopes: string | string[], options: GetTokenOptions = {}): Promise<AuthenticationRecord> {
    return this.impl.authenticate(scopes, options);
  }
}

/** The host and port of a `http://localhost:PORT` (or 127.0.0.1) redirect URI; anything else is refused. */
function loopbackRedirect(redirectUri: string | (() => string) | undefined): Pick<BrowserFlowOptions, "port" | "redirectHost"> {
  if (redirectUri === undefined) return {};
  const value = typeof redirectUri === "function" ? redirectUri() : redirectUri;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidArgument("INVALID_REDIRECT_URI", `redirectUri ${JSON.stringify(value)} is not a URL.`);
  }
  if (url.protocol !== "http:" || !["localhost", "127.0.0.1"].includes(url.hostname) || (url.pathname !== "/" && url.pathname !== "")) {
    throw invalidArgument("INVALID_REDIRECT_URI", "redirectUri must be a loopback address such as http://localhost:8400.");
  }
  return { port: url.port ? Number(url.port) : undefined, redirectHost: url.hostname as "localhost" | "127.0.0.1" };
}
