import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

// In a child process: a failed browser opener must end the sign-in and leave nothing running,
// so the process exits on its own instead of waiting out the 5-minute sign-in timeout.
const child = `
import { DevAuthority } from "entra-broker-devtools";
import { InteractiveBrowserCredential } from "entra-broker";
const authority = await DevAuthority.start();
const opener = Object.assign(new Error("no browser here"), { name: "CredentialUnavailableError" });
const cred = new InteractiveBrowserCredential({
  authorityHost: authority.url, authorityCa: authority.ca, tenantId: authority.tenants[0].tenantId,
  openBrowser: async () => { throw opener; },
});
try {
  await cred.getToken("https://graph.microsoft.com/.default");
  console.log("resolved");
} catch (e) {
  console.log(e === opener || e.cause === opener ? "rejected with the opener's error" : "rejected: " + e.message);
}
await authority.close();
`;

test("a browser opener that fails ends the sign-in and the process exits on its own", async () => {
  const proc = spawn(process.execPath, ["--input-type=module", "-e", child], {
    cwd: fileURLToPath(new URL("../..", import.meta.url)), // bare specifiers resolve from the package root
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  proc.stdout.on("data", (d) => (out += d));
  // Far above a normal run; far below the 5-minute sign-in timeout a leftover wait would hold.
  const guard = setTimeout(() => proc.kill("SIGKILL"), 60_000);
  const [code, signal] = await new Promise((resolve) => proc.on("exit", (c, s) => resolve([c, s])));
  clearTimeout(guard);
  assert.equal(signal, null, `the process did not exit on its own; output: ${out}`);
  assert.equal(code, 0);
  assert.equal(out.trim(), "rejected with the opener's error");
});
