// AzureCliCredential against the STAND-IN az, for what the real az cannot be made to do here
// (hang, print garbage) and the shared behaviour; the real az: azureCliCredential.realAz.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AzureCliCredential, InvalidArgumentError } from "entra-broker";
import { credentialSuite } from "./credentialSuite.mjs";
import { SCOPE } from "./world.mjs";

const flag = (run, name) => (run.args.includes(name) ? run.args[run.args.indexOf(name) + 1] : undefined);
const world = credentialSuite({
  Credential: AzureCliCredential,
  tool: "az",
  tenantOf: (run) => flag(run, "--tenant"),
  notInstalled: "AZURE_CLI_NOT_INSTALLED",
  notSignedIn: "AZURE_CLI_NOT_SIGNED_IN",
  signInHint: /run az login/,
});

test("az: the exact command: the resource (scope without /.default), the subscription as one argument", async () => {
  await new AzureCliCredential({ subscription: "My Subscription 1" }).getToken(SCOPE);
  assert.deepEqual(world.tools.runs("az").at(-1).args, [
    "account",
    "get-access-token",
    "--output",
    "json",
    "--resource",
    "https://management.azure.com",
    "--subscription",
    "My Subscription 1",
  ]);
});

test("az: a subscription that could be read as syntax or an option is refused by the constructor", () => {
  for (const subscription of ["a;b", "$(id)", "--debug", 'x"y']) {
    assert.throws(
      () => new AzureCliCredential({ subscription }),
      (e) => e instanceof InvalidArgumentError && e.code === "INVALID_SUBSCRIPTION",
    );
  }
});

test("az: a claims challenge names az login --claims-challenge, and runs nothing", async () => {
  const before = world.tools.runs("az").length;
  await assert.rejects(new AzureCliCredential().getToken(SCOPE, { claims: "{}", tenantId: world.tenants[1] }), (e) => {
    assert.equal(e.code, "DEVELOPER_TOOL_CLAIMS_CHALLENGE");
    assert.match(e.message, new RegExp(`az login --claims-challenge e30= --scope ${SCOPE} --tenant ${world.tenants[1]}`));
    return true;
  });
  assert.equal(world.tools.runs("az").length, before);
});
