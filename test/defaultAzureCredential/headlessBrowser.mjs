// The "system browser" of the interactive chain tests: xdg-open (the real one, Debian's xdg-utils)
// runs it through BROWSER with the authorize URL. It signs the dev authority's user in with headless
// Chromium on the real pages, and logs "opened" and "done" lines so the test can see it ran and ended.
import { appendFileSync, readFileSync } from "node:fs";
import { launchChromium, signInWithChromium } from "../helpers/chromium.mjs";

const url = process.argv[2];
const { DAC_BROWSER_LOG: log, DAC_BROWSER_CA: caPath, DAC_BROWSER_USER: username, DAC_BROWSER_PASSWORD: password } = process.env;
appendFileSync(log, `${JSON.stringify({ opened: url })}\n`);
const browser = await launchChromium({ ca: readFileSync(caPath, "utf8") });
try {
  const landed = await signInWithChromium(browser, url, { username, password });
  appendFileSync(log, `${JSON.stringify({ done: new URL(landed).origin })}\n`);
} catch (error) {
  appendFileSync(log, `${JSON.stringify({ failed: String(error?.message ?? error) })}\n`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
