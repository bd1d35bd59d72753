import { CredentialUnavailableError, invalidArgument } from "../errors";

/** Opens a URL in the user's browser. Apps may pass their own, e.g. Electron's `shell.openExternal`. */
export type OpenBrowser = (url: string) => Promise<void>;

/** Whether a browser window can appear here: on Linux only with an X or Wayland display. */
export function hasDisplay(): boolean {
  return process.platform !== "linux" || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY;
}

/** The platform's URL opener, run directly (no shell ever sees the URL). */
function opener(url: string): [string, string[]] {
  switch (process.platform) {
    case "darwin":
      return ["open", [url]];
    case "win32":
      // `start` is a cmd built-in and would need a shell; the URL protocol handler does not.
      return ["rundll32.exe", ["url.dll,FileProtocolHandler", url]];
    default:
      return ["xdg-open", [url]];
  }
}

export const openSystemBrowser: OpenBrowser = async (url) => {
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw invalidArgument("INVALID_BROWSER_URL", "Only http(s) URLs are opened in the browser.");
  }
  // Without a display, xdg-open falls back to terminal browsers, and we give them no terminal: the
  // sign-in would wait out its whole timeout for a page nobody sees. BROWSER is the user's own choice.
  if (!hasDisplay() && !process.env.BROWSER) {
    throw new CredentialUnavailableError(
      "No browser can be shown here: there is no display (DISPLAY or WAYLAND_DISPLAY) and BROWSER is not set. Sign in on a desktop session, set BROWSER, or use DeviceCodeCredential.",
      { code: "BROWSER_UNAVAILABLE" },
    );
  }
  const [command, args] = opener(parsed.toString());
  const { spawn } = await import("node:child_process"); // when a browser opens, not at import
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "ignore", detached: true, shell: false });
    child.once("error", (error) =>
      reject(
        new CredentialUnavailableError(
          `Could not open the system browser with ${command}: ${error.message}. Install a browser opener (xdg-utils on Linux) or use DeviceCodeCredential.`,
          {
            cause: error,
            code: "BROWSER_UNAVAILABLE",
          },
        ),
      ),
    );
    child.once("spawn", () => {
      child.unref();
      resolve();
    });
  });
};
