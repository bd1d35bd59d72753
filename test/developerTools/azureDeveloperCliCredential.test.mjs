// AzureDeveloperCliCredential against the STAND-IN azd (azd cannot be installed here).
import { test } from "node:test";
import assert from "node:assert/strict";
import { AuthenticationError, AzureDeveloperCliCredential } from "entra-broker";
import { credentialSuite } from "./credentialSuite.mjs";
import { SCOPE } from "./world.mjs";

const world = credentialSuite({
  Credential: AzureDeveloperCliCredential,
  tool: "azd",
  tenantOf: (run) =>
    run.args[run.args.indexOf("--tenant-id") + 1] && run.args.includes("--tenant-id")
      ? run.args[run.args.indexOf("--tenant-id") + 1]
      : undefined,
  notInstalled: "AZURE_DEVELOPER_CLI_NOT_INSTALLED",
  notSignedIn: "AZURE_DEVELOPER_CLI_NOT_SIGNED_IN",
  signInHint: /run azd auth login/,
});

test("azd: the exact command, with the scope as given", async () => {
  await new AzureDeveloperCliCredential().getToken(SCOPE);
  assert.deepEqual(world.tools.runs("azd").at(-1).args, ["auth", "token", "--output", "json", "--no-prompt", "--scope", SCOPE]);
});

test("azd: a claims challenge goes to azd as --claims (base64)", async () => {
  const claims = '{"access_token":{"nbf":{"essential":true}}}';
  await new AzureDeveloperCliCredential().getToken(SCOPE, { claims });
  const args = world.tools.runs("azd").at(-1).args;
  assert.equal(Buffer.from(args[args.indexOf("--claims") + 1], "base64").toString(), claims);
});

test("azd: another failure is an AuthenticationError carrying azd's own message", async () => {
  world.tools.setMode("failing", "azd");
  await assert.rejects(new AzureDeveloperCliCredential().getToken(SCOPE), (e) => {
    assert.ok(e instanceof AuthenticationError);
    assert.equal(e.code, "developer_tool_failed");
    assert.match(e.message, /AADSTS70043/);
    return true;
  });
});
