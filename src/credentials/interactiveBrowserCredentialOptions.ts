import type { OpenBrowser } from "../browser/openBrowser";
import type { InteractiveCredentialOptions } from "./options";

/** The pages the loopback server shows when the browser comes back. */
export interface BrowserCustomizationOptions {
  /** Text of the page the browser shows after sign-in. */
  browserCustomizationOptions?: {
    /** Shown when sign-in succeeded. */
    successMessage?: string;
    /** Shown when it failed; the error's description follows. */
    errorMessage?: string;
  };
}

/** `@azure/identity`'s broker switch on the browser credential. */
export type BrokerOptions =
  | {
      /** Sign in through the OS broker, falling back to the browser where there is none. */
      enabled: true;
      /** Electron's `BrowserWindow.getNativeWindowHandle()`, or a handle as bigint/number. */
      parentWindowHandle: Uint8Array | bigint | number;
      /** Let personal Microsoft accounts through a work/school app. */
      legacyEnableMsaPassthrough?: boolean;
      /** Sign the OS's default account in silently before any prompt. */
      useDefaultBrokerAccount?: boolean;
    }
  | {
      /** The browser flow only. */
      enabled: false;
      /** Not used without the broker. */
      parentWindowHandle?: undefined;
      /** Not used without the broker. */
      legacyEnableMsaPassthrough?: undefined;
      /** Not used without the broker. */
      useDefaultBrokerAccount?: undefined;
    };

/** Options of `InteractiveBrowserCredential`. */
export interface InteractiveBrowserCredentialNodeOptions extends InteractiveCredentialOptions, BrowserCustomizationOptions {
  /** Preselects the account on the sign-in page. */
  loginHint?: string;
  /** Loopback redirect URI, `http://localhost:PORT` or `http://127.0.0.1:PORT`, sent to the authority with that host; default: a random port on localhost. */
  redirectUri?: string | (() => string);
  /** Opens the sign-in URL; default: the system browser, without a shell. */
  openBrowser?: OpenBrowser;
  /** With `enabled: true`, behaves as `InteractiveBrowserBrokerCredential`. */
  brokerOptions?: BrokerOptions;
}
