import { createHash, X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Flags for a root, offline, headless machine: no sandbox, no background traffic. */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface HeadlessUser {
  username: string;
  password: string;
}

/** True when headless Chromium and its driver (playwright-core, a dev tool) are both here. */
export function headlessChromiumAvailable(): boolean {
  if (!existsSync(CHROMIUM_PATH)) return false;
  try {
    require.resolve("playwright-core");
    return true;
  } catch {
    return false;
  }
}

/**
 * Plays the user on the dev authority's sign-in page in headless Chromium: picks or types the
 * account, the password, accepts consent, and waits for the redirect to our loopback server.
 * Only certificates under the dev authority's CA key are accepted (an SPKI pin on a throwaway
 * profile), never certificate errors in general.
 */
export async function signInHeadless(url: string, user: HeadlessUser, ca: string, timeoutMs = 60_000): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require("playwright-core") as typeof import("playwright-core");
  const profile = mkdtempSync(path.join(tmpdir(), "entra-broker-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${spkiHash(ca)}`],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(timeoutMs);
    await page.goto(url);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (page.url().startsWith("http://localhost") || page.url().startsWith("http://127.0.0.1")) return;
      const tile = page.locator(`button[data-account="${user.username}"]`);
      if (await tile.isVisible()) await tile.click();
      else if (await page.locator("#password").isVisible()) {
        if (await page.locator("#username").isVisible()) await page.fill("#username", user.username);
        await page.fill("#password", user.password);
        await page.click("#submit");
      } else if (await page.locator("#username").isVisible()) {
        await page.fill("#username", user.username);
        await page.click("#submit");
      } else if (await page.locator("#use-another").isVisible()) await page.click("#use-another");
      else if (await page.locator("#accept").isVisible()) await page.click("#accept");
      else await page.waitForTimeout(100);
      await page.waitForLoadState();
    }
    throw new Error(`headless sign-in did not reach the redirect within ${timeoutMs} ms (last page: ${new URL(page.url()).pathname})`);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** base64 SHA-256 of the CA's public key, as --ignore-certificate-errors-spki-list takes it. */
function spkiHash(caPem: string): string {
  const der = new X509Certificate(caPem).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("base64");
}
