import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { AuthenticationRecord } from "../authenticationRecord";
import { openSystemBrowser } from "../browser/openBrowser";
import { invalidArgument } from "../errors";
import { acquireWithBrowser, type BrowserFlowOptions } from "../msal/flows/browser";
import type { InteractiveFlow } from "../msal/flows/types";
import type { MsalClient } from "../msal/msalClient";
import type { InteractiveBrowserCredentialNodeOptions } from "./interactiveBrowserCredentialOptions";
import { createMsalClient } from "./userCredential";

/**
 * Signs a user in through the system browser: authorization code with PKCE and a loopback
 * redirect on 127.0.0.1. Silent first; the browser opens only when needed and allowed.
 */
export class InteractiveBrowserCredential implements TokenCredential {
  private readonly msal: MsalClient;
  private readonly browser: InteractiveFlow;

  constructor(options: InteractiveBrowserCredentialNodeOptions = {}) {
    this.msal = createMsalClient("InteractiveBrowserCredential", options, { loginHint: options.loginHint });
    const flowOptions: BrowserFlowOptions = {
      port: loopbackPort(options.redirectUri),
      openBrowser: options.openBrowser ?? openSystemBrowser,
      ...options.browserCustomizationOptions,
    };
    this.browser = (request) => acquireWithBrowser(request, flowOptions);
  }

  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.msal.getToken(scopes, options, this.browser);
  }

  /** Signs the user in (always interactive) and returns the record for later silent use. */
  authenticate(scopes: string | string[], options: GetTokenOptions = {}): Promise<AuthenticationRecord> {
    return this.msal.authenticate(scopes, options, this.browser);
  }
}

/** The port of a `http://localhost:PORT` redirect URI; anything else is refused. */
function loopbackPort(redirectUri: string | (() => string) | undefined): number | undefined {
  if (redirectUri === undefined) return undefined;
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
  return url.port ? Number(url.port) : undefined;
}
