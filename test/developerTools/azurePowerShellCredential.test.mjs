// AzurePowerShellCredential against the STAND-IN pwsh (PowerShell cannot be installed here).
import { test } from "node:test";
import assert from "node:assert/strict";
import { AzurePowerShellCredential, CredentialUnavailableError } from "entra-broker";
import { credentialSuite } from "./credentialSuite.mjs";
import { SCOPE } from "./world.mjs";

const world = credentialSuite({
  Credential: AzurePowerShellCredential,
  tool: "pwsh",
  tenantOf: (run) => /\$tenantId = "([^"]*)"/.exec(run.args[3])?.[1] || undefined,
  notInstalled: "AZURE_POWERSHELL_NOT_INSTALLED",
  notSignedIn: "AZURE_POWERSHELL_NOT_SIGNED_IN",
  signInHint: /run Connect-AzAccount/,
});

test("pwsh: one process per token, running the Get-AzAccessToken script for the resource", async () => {
  const before = world.tools.runs("pwsh").length;
  await new AzurePowerShellCredential().getToken(SCOPE);
  const runs = world.tools.runs("pwsh").slice(before);
  assert.equal(runs.length, 1);
  assert.deepEqual(runs[0].args.slice(0, 3), ["-NoProfile", "-NonInteractive", "-Command"]);
  assert.match(runs[0].args[3], /ResourceUrl = "https:\/\/management\.azure\.com"/);
});

test("pwsh: Az.Accounts missing: CredentialUnavailableError saying how to install it", async () => {
  world.tools.setMode("module-missing", "pwsh");
  await assert.rejects(new AzurePowerShellCredential().getToken(SCOPE), (e) => {
    assert.ok(e instanceof CredentialUnavailableError);
    assert.equal(e.code, "AZURE_POWERSHELL_MODULE_MISSING");
    assert.match(e.message, /Install-Module -Name Az/);
    return true;
  });
});

test("pwsh: a claims challenge names the sign-in command, and runs nothing", async () => {
  const before = world.tools.runs("pwsh").length;
  await assert.rejects(new AzurePowerShellCredential().getToken(SCOPE, { claims: '{"access_token":{}}' }), (e) => {
    assert.equal(e.code, "DEVELOPER_TOOL_CLAIMS_CHALLENGE");
    assert.match(e.message, /Connect-AzAccount -ClaimsChallenge /);
    return true;
  });
  assert.equal(world.tools.runs("pwsh").length, before);
});
