// `entra-broker doctor` lists each DefaultAzureCredential source, whether it gives a token here
// and, if not, why (the credential's own message and code): here with a stand-in az signed in to
// the dev authority, nothing else configured, and IMDS refused on loopback.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DevAuthority, StandInTools } from "entra-broker-devtools";

const CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
let authority, mi, tools, home;

before(async () => {
  authority = await DevAuthority.start();
  mi = await authority.startManagedIdentity();
  mi.injectFault("imds", { kind: "refuse", times: Infinity });
  const user = authority.users[0];
  tools = new StandInTools({
    authority: { url: authority.url, caPath: authority.caPath },
    username: user.username,
    password: user.password,
    tenantId: authority.tenants[0].tenantId,
    tools: ["az"],
  });
  home = mkdtempSync(path.join(tmpdir(), "doctor-sources-"));
});
after(async () => {
  tools?.close();
  await mi?.close();
  await authority?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

test("doctor --json: az works, every other source says why not, with its code; no token is printed", async () => {
  const env = mi.env("imds", { PATH: tools.pathWith(), HOME: home });
  const { stdout } = await new Promise((resolve, reject) =>
    execFile(process.execPath, [CLI, "doctor", "--json"], { env, timeout: 60_000 }, (error, stdout, stderr) =>
      // doctor exits 4 when the addon, broker or secret store is missing: that is not this test's concern.
      error && error.code !== 4 ? reject(new Error(`${error.message}\n${stderr}`)) : resolve({ stdout, stderr }),
    ),
  );
  const report = JSON.parse(stdout);
  const byName = Object.fromEntries(report.defaultAzureCredential.map((s) => [s.name, s]));
  assert.equal(byName.AzureCliCredential.usable, true, JSON.stringify(byName.AzureCliCredential));
  assert.equal(byName.EnvironmentCredential.code, "ENVIRONMENT_NOT_CONFIGURED");
  assert.equal(byName.ManagedIdentityCredential.code, "MANAGED_IDENTITY_UNAVAILABLE");
  assert.equal(byName.AzurePowerShellCredential.code, "AZURE_POWERSHELL_NOT_INSTALLED");
  assert.match(byName.AzurePowerShellCredential.reason, /Connect-AzAccount/);
  assert.equal(byName.AzureDeveloperCliCredential.code, "AZURE_DEVELOPER_CLI_NOT_INSTALLED");
  assert.equal(byName.SharedTokenCacheCredential.excludedByDefault, true);
  assert.ok(!/eyJ[\w-]+\.eyJ/.test(stdout), "no JWT in the report");
});
