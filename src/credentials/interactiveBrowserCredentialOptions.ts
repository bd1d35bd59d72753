import type { OpenBrowser } from "../browser/openBrowser";
import type { InteractiveCredentialOptions } from "./options";

/** The pages the loopback server shows when the browser comes back. */
export interface BrowserCustomizationOptions {
  browserCustomizationOptions?: {
    successMessage?: string;
    errorMessage?: string;
  };
}

/** `@azure/identity`'s broker switch on the browser credential. */
export type BrokerOptions =
  | {
      enabled: true;
      /** Electron's `BrowserWindow.getNativeWindowHandle()`, or a handle as bigint/number. */
      parentWindowHandle: Uint8Array | bigint | number;
      legacyEnableMsaPassthrough?: boolean;
      useDefaultBrokerAccount?: boolean;
    }
  | { enabled: false; parentWindowHandle?: undefined; legacyEnableMsaPassthrough?: undefined; useDefaultBrokerAccount?: undefined };

export interface InteractiveBrowserCredentialNodeOptions extends InteractiveCredentialOptions, BrowserCustomizationOptions {
  /** Preselects the account on the sign-in page. */
  loginHint?: string;
  /** Loopback redirect URI, `http://localhost:PORT`; default: a random port. */
  redirectUri?: string | (() => string);
  /** Opens the sign-in URL; default: the system browser, without a shell. */
  openBrowser?: OpenBrowser;
  /** With `enabled: true`, behaves as `InteractiveBrowserBrokerCredential`. */
  brokerOptions?: BrokerOptions;
}
