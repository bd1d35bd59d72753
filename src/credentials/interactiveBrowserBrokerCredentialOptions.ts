import type { NativeWindowHandle } from "../broker/native";
import type { InteractiveBrowserCredentialNodeOptions } from "./interactiveBrowserCredentialOptions";

/** Options of `InteractiveBrowserBrokerCredential`: the browser credential's, plus the broker's. */
export interface InteractiveBrowserBrokerCredentialOptions extends Omit<
  InteractiveBrowserCredentialNodeOptions,
  "brokerOptions" | "redirectUri"
> {
  /**
   * The window the broker's sign-in is parented to: Electron's `getNativeWindowHandle()` Buffer as
   * is (HWND, NSView*, X11 Window), or the handle as a bigint/number.
   */
  parentWindowHandle?: NativeWindowHandle;
  /** Sign the OS's default account in silently before any prompt, on every platform. */
  useDefaultBrokerAccount?: boolean;
  /** Let personal Microsoft accounts through a work/school app (`msal_request_type=consumer_passthrough`). */
  enableMsaPassthrough?: boolean;
  /**
   * The broker's redirect URI. Defaults: `ms-appx-web://Microsoft.AAD.BrokerPlugin/<clientId>` (Windows),
   * `msauth.com.msauth.unsignedapp://auth` (macOS), `https://login.microsoftonline.com/common/oauth2/nativeclient` (Linux).
   * The browser fallback uses its own loopback redirect.
   */
  redirectUri?: string;
}
