// Headless Debian Chromium (through playwright-core, a development tool loaded only when used) that
// trusts the dev authority's CA and clicks through its real pages: for the demo and for tests.
//
// Trust: Chromium on Linux reads trust anchors from an NSS database we cannot write without
// certutil. Instead it is launched with --ignore-certificate-errors-spki-list set to the SHA-256 of
// the dev authority CA's public key (the server sends the CA in its chain): only certificates under
// THIS key are accepted, every other certificate error still fails. Chromium honours that switch
// only with a --user-data-dir, hence a persistent context in a fresh profile that close() removes.
import { createHash, X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";

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

export interface SignInScript {
  username?: string;
  password?: string;
  /** Pick this signed-in account's tile instead of typing. */
  account?: string;
  consent?: boolean;
  cancel?: boolean;
  /** true: type the code the page shows; false: cancel; a string: type that. */
  mfa?: boolean | string;
  timeout?: number;
}

/** True when Chromium and its driver (playwright-core, a dev tool) are both here. */
export function headlessChromiumAvailable(): boolean {
  if (!existsSync(CHROMIUM_PATH)) return false;
  try {
    require.resolve("playwright-core");
    return true;
  } catch {
    return false;
  }
}

/** base64 SHA-256 of the CA's SubjectPublicKeyInfo, as --ignore-certificate-errors-spki-list takes it. */
export function spkiHash(caPem: string): string {
  const der = new X509Certificate(caPem).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("base64");
}

/** A fresh headless Chromium trusting `ca`; `close()` also removes its profile. */
export async function launchChromium(options: { ca?: string } = {}): Promise<BrowserContext> {
  const { chromium } = require("playwright-core") as typeof import("playwright-core");
  const profile = mkdtempSync(path.join(tmpdir(), "entra-broker-chromium-"));
  const args = options.ca ? [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${spkiHash(options.ca)}`] : CHROMIUM_ARGS;
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args, timeout: 60_000 });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const close = context.close.bind(context);
  context.close = async (...a) => {
    try {
      await close(...a);
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  };
  return context;
}

type PageKind = "mfa" | "consent" | "picker" | "password" | "form_post" | "unknown";

/** Clicks through whatever sign-in page is showing until `isDone(page)` holds. */
async function clickThrough(page: Page, o: SignInScript, isDone: () => Promise<boolean>): Promise<void> {
  let lastKind: PageKind | undefined;
  for (let step = 0; step < 30; step++) {
    if (await isDone()) return;
    const kind = await page.evaluate((): PageKind => {
      const has = (s: string) => !!document.querySelector(s);
      if (has("#mfa-code")) return "mfa";
      if (has("#accept")) return "consent";
      if (has("#use-another")) return "picker";
      if (has("#password")) return "password";
      if (has("#form-post")) return "form_post";
      return "unknown";
    });
    const error = (await page.locator("#error").count()) > 0 ? await page.locator("#error").innerText() : undefined;
    if (error && (kind === lastKind || kind === "unknown")) throw new Error(`sign-in failed: ${error}`);
    lastKind = kind;
    if (kind === "form_post" || kind === "unknown") {
      await page.waitForLoadState("load").catch(() => {});
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    const navigated = page.waitForEvent("framenavigated", { timeout: 30_000 }).catch(() => {});
    if (o.cancel) await page.click("#cancel");
    else if (kind === "picker") await page.click(o.account ? `button[data-account="${o.account.replace(/"/g, '\\"')}"]` : "#use-another");
    else if (kind === "password") {
      if (o.username !== undefined) await page.fill("#username", o.username);
      await page.fill("#password", o.password ?? "");
      await page.click("#submit");
    } else if (kind === "mfa") {
      if (o.mfa === false) await page.click("#cancel");
      else {
        const code = typeof o.mfa === "string" ? o.mfa : await page.locator("#mfa-display").innerText();
        await page.fill("#mfa-code", code.trim());
        await page.click("#submit");
      }
    } else await page.click(o.consent === false ? "#cancel" : "#accept");
    await navigated;
    await page.waitForLoadState("domcontentloaded").catch(() => {});
  }
  throw new Error("too many sign-in steps");
}

/**
 * Opens `url` (an authorize URL) in a new page, signs in, and resolves with the URL the browser
 * lands on outside the dev authority (the redirect URI with code/state or error; for form_post
 * the URI the form posted to). The page is closed afterwards.
 */
export async function signInWithChromium(browser: BrowserContext, url: string, options: SignInScript = {}): Promise<string> {
  const o: SignInScript = { consent: true, cancel: false, mfa: true, timeout: 60_000, ...options };
  const authorityOrigin = new URL(url).origin;
  const page = await browser.newPage();
  page.setDefaultTimeout(o.timeout!);
  try {
    let landed: string | undefined;
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame() && !frame.url().startsWith(authorityOrigin) && frame.url() !== "about:blank") landed ??= frame.url();
    });
    await page.goto(url, { waitUntil: "domcontentloaded" });
    await clickThrough(page, o, () => Promise.resolve(landed !== undefined));
    return landed!;
  } finally {
    await page.close().catch(() => {});
  }
}

/** Opens the device login page, enters the code, signs in; resolves to the final page's result and text. */
export async function completeDeviceCodeWithChromium(
  browser: BrowserContext,
  verificationUri: string,
  userCode: string,
  options: SignInScript = {},
): Promise<{ result: string | null; text: string }> {
  const o: SignInScript = { consent: true, cancel: false, mfa: true, timeout: 60_000, ...options };
  const page = await browser.newPage();
  page.setDefaultTimeout(o.timeout!);
  try {
    await page.goto(verificationUri, { waitUntil: "domcontentloaded" });
    await page.fill("#code", userCode);
    await Promise.all([page.waitForEvent("framenavigated"), page.click("#submit")]);
    if ((await page.locator("#code").count()) > 0) {
      throw new Error(
        `device code refused: ${await page
          .locator("#error")
          .innerText()
          .catch(() => "")}`,
      );
    }
    await clickThrough(page, o, async () => (await page.locator("#done").count()) > 0);
    const done = page.locator("#done");
    return { result: await done.getAttribute("data-result"), text: await done.innerText() };
  } finally {
    await page.close().catch(() => {});
  }
}
