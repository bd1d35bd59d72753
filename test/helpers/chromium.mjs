// Headless Chromium for the tests: the driver the demo uses (devtools/src/chromium/headlessChromium.ts),
// which trusts only the dev authority's CA key and clicks through its real pages.
import { createRequire } from "node:module";

const driver = createRequire(import.meta.url)("entra-broker-devtools/chromium");

export const { CHROMIUM_PATH, spkiHash, launchChromium, signInWithChromium, completeDeviceCodeWithChromium } = driver;
export const chromiumAvailable = driver.headlessChromiumAvailable;
