// Headless Debian Chromium (through playwright-core) that trusts the dev authority's CA and clicks
// through its real pages.
//
// Trust: Chromium on Linux reads trust anchors from an NSS database, which we cannot write without
// certutil. Instead the browser is launched with --ignore-certificate-errors-spki-list set to the
// SHA-256 of the dev authority CA's public key (the server sends the CA in its chain). Only
// certificates chained to THIS CA key are accepted; every other certificate error still fails, so
// this is not `ignoreHTTPSErrors`. Chromium honours that switch only with a --user-data-dir, hence
// a persistent context in a fresh temporary profile: launchChromium resolves to that context
// (it has newPage() and close(), like a Browser; close() also removes the profile).
import { createHash, X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";

export function chromiumAvailable() {
  return existsSync(CHROMIUM_PATH);
}

/** base64 SHA-256 of the CA's SubjectPublicKeyInfo (the form --ignore-certificate-errors-spki-list takes). */
export function spkiHash(caPem) {
  const der = new X509Certificate(caPem).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("base64");
}

export async function launchChromium({ ca } = {}) {
  const profile = mkdtempSync(path.join(tmpdir(), "entra-broker-chromium-"));
  const args = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ];
  if (ca) args.push(`--ignore-certificate-errors-spki-list=${spkiHash(ca)}`);
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args,
      timeout: 60000,
    });
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
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

/** Clicks through whatever sign-in page is showing until `isDone(page)` holds. */
async function clickThrough(page, o, isDone) {
  let lastKind;
  for (let step = 0; step < 30; step++) {
    if (await isDone(page)) return;
    const kind = await page.evaluate(() => {
      const has = (s) => !!document.querySelector(s);
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
    const navigated = () => page.waitForEvent("framenavigated", { timeout: 30000 }).catch(() => {});
    let wait;
    if (kind === "form_post" || kind === "unknown") {
      await page.waitForLoadState("load").catch(() => {});
      await new Promise((r) => setTimeout(r, 100));
      continue;
    } else if (o.cancel) {
      wait = navigated();
      await page.click("#cancel");
    } else if (kind === "picker") {
      wait = navigated();
      if (o.account) await page.click(`button[data-account="${o.account.replace(/"/g, '\\"')}"]`);
      else await page.click("#use-another");
    } else if (kind === "password") {
      if (o.username !== undefined) await page.fill("#username", o.username);
      await page.fill("#password", o.password ?? "");
      wait = navigated();
      await page.click("#submit");
    } else if (kind === "mfa") {
      wait = navigated();
      if (o.mfa === false) {
        await page.click("#cancel");
      } else {
        const code = typeof o.mfa === "string" ? o.mfa : await page.locator("#mfa-display").innerText();
        await page.fill("#mfa-code", code.trim());
        await page.click("#submit");
      }
    } else if (kind === "consent") {
      wait = navigated();
      await page.click(o.consent === false ? "#cancel" : "#accept");
    }
    await wait;
    await page.waitForLoadState("domcontentloaded").catch(() => {});
  }
  throw new Error("too many sign-in steps");
}

/**
 * Opens `url` (an authorize URL) in a new page, signs in, and resolves with the URL the browser
 * lands on outside the dev authority (the redirect URI, with code/state or error for query mode;
 * for form_post the redirect URI the form posted to). The page is closed afterwards.
 */
export async function signInWithChromium(browser, url, options = {}) {
  const o = { consent: true, cancel: false, mfa: true, timeout: 60000, ...options };
  const authorityOrigin = new URL(url).origin;
  const page = await browser.newPage();
  page.setDefaultTimeout(o.timeout);
  try {
    let landed;
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame() && !frame.url().startsWith(authorityOrigin) && frame.url() !== "about:blank") landed ??= frame.url();
    });
    await page.goto(url, { waitUntil: "domcontentloaded" });
    await clickThrough(page, o, async () => landed !== undefined);
    return landed;
  } finally {
    await page.close().catch(() => {});
  }
}

/** Opens the device login page, enters the code, signs in; resolves to { result, text } of the final page (#done). */
export async function completeDeviceCodeWithChromium(browser, verificationUri, userCode, options = {}) {
  const o = { consent: true, cancel: false, mfa: true, timeout: 60000, ...options };
  const page = await browser.newPage();
  page.setDefaultTimeout(o.timeout);
  try {
    await page.goto(verificationUri, { waitUntil: "domcontentloaded" });
    await page.fill("#code", userCode);
    await Promise.all([page.waitForEvent("framenavigated"), page.click("#submit")]);
    if ((await page.locator("#code").count()) > 0) {
      throw new Error(`device code refused: ${await page.locator("#error").innerText().catch(() => "")}`);
    }
    await clickThrough(page, o, async () => (await page.locator("#done").count()) > 0);
    const done = page.locator("#done");
    return { result: await done.getAttribute("data-result"), text: await done.innerText() };
  } finally {
    await page.close().catch(() => {});
  }
}
