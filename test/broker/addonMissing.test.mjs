// No loadable addon: the broker credential signs in through the browser, logs why at info, and
// brokerStatus() says the same. In a child process: the loader caches its outcome per process.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const child = `
import { AzureLogger, setLogLevel } from "@azure/logger";
import { DevAuthority } from "entra-broker-devtools";
import { InteractiveBrowserBrokerCredential, brokerStatus } from "entra-broker";
import { httpBrowser } from ${JSON.stringify(path.join(here, "..", "helpers", "signIn.mjs"))};
const lines = [];
setLogLevel("info");
AzureLogger.log = (...args) => lines.push(args.join(" "));
const authority = await DevAuthority.start();
const open = httpBrowser(authority, authority.users[0]);
const cred = new InteractiveBrowserBrokerCredential({
  authorityHost: authority.url, authorityCa: authority.ca, tenantId: authority.tenants[0].tenantId,
  parentWindowHandle: Buffer.alloc(8), openBrowser: open,
});
const token = await cred.getToken("https://graph.microsoft.com/.default");
await authority.close();
console.log(JSON.stringify({ token: !!token.token, opened: open.opened.length, status: brokerStatus(), logged: lines.filter((l) => l.includes("No OS broker")) }));
`;

test("no loadable addon: the browser fallback, the reason logged and in brokerStatus()", () => {
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", child], {
    env: { ...process.env, ENTRA_BROKER_NATIVE_PATH: "/nonexistent/entra_broker.node" },
    cwd: path.join(here, "..", ".."), // bare specifiers resolve from the package root
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout.trim().split("\n").at(-1));
  assert.equal(out.token, true);
  assert.equal(out.opened, 1, "signed in through the browser");
  assert.equal(out.status.addonLoaded, false);
  assert.equal(out.status.available, false);
  // reason: one line; detail: the loader's whole text (what was looked for, what to do).
  assert.equal(out.status.reason, "The entra-broker native addon could not be loaded: no such module /nonexistent/entra_broker.node");
  assert.equal(out.status.code, "ADDON_NOT_LOADED");
  assert.match(
    out.status.detail,
    /^The entra-broker native addon could not be loaded: no such module \/nonexistent\/entra_broker\.node\n[\s\S]*ENTRA_BROKER_NATIVE_PATH=\/nonexistent/,
  );
  assert.ok(
    out.status.looked.some((l) => l.startsWith("ENTRA_BROKER_NATIVE_PATH=/nonexistent")),
    JSON.stringify(out.status.looked),
  );
  assert.ok(
    out.status.fix.some((f) => /ENTRA_BROKER_NATIVE_PATH/.test(f)),
    JSON.stringify(out.status.fix),
  );
  assert.equal(out.logged.length, 1, JSON.stringify(out.logged));
  assert.ok(
    out.logged[0].includes("The entra-broker native addon could not be loaded: no such module /nonexistent/entra_broker.node"),
    out.logged[0],
  );
  assert.ok(!out.logged[0].includes("Looked for"), "the log line has the reason, not the whole advice");
});
