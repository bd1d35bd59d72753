// Bad input: a typed error, nothing sent, never a synchronous throw from getToken. Tenants: a call
// may name one (checked, then ignored: the identity's tenant issues). Logs: never a token or secret.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { after, before, test } from "node:test";
import { CredentialUnavailableError, InvalidArgumentError, ManagedIdentityCredential } from "entra-broker";
import { runChild, startManagedIdentity } from "./helpers.mjs";

const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes("msal-node"));

let world;
before(async () => (world = await startManagedIdentity()));
after(() => world?.close());

test("constructing the credential loads nothing of msal-node", () => {
  new ManagedIdentityCredential();
  new ManagedIdentityCredential("11111111-1111-4111-8111-111111111111");
  new ManagedIdentityCredential({ resourceId: "/subscriptions/x/resourceGroups/y" });
  assert.equal(loaded(), false);
});

test("more than one of clientId, resourceId, objectId: InvalidArgumentError at construction", () => {
  assert.throws(
    () => new ManagedIdentityCredential({ clientId: "a", objectId: "b" }),
    (e) => e instanceof InvalidArgumentError && e.code === "INVALID_MANAGED_IDENTITY_ID" && /only one/.test(e.message),
  );
  assert.throws(
    () => new ManagedIdentityCredential("a b"),
    (e) => e.code === "INVALID_MANAGED_IDENTITY_ID",
  );
  assert.throws(
    () => new ManagedIdentityCredential({ probeTimeoutMs: -1 }),
    (e) => e.code === "INVALID_TIMEOUT",
  );
  // Empty ids count as absent, as @azure/identity's do.
  new ManagedIdentityCredential({ clientId: "", resourceId: "/subscriptions/x" });
});

test("two scopes, an empty scope, a bad tenant: typed errors from a rejected promise, nothing sent", async () => {
  const credential = new ManagedIdentityCredential();
  const pending = credential.getToken(["https://management.azure.com/.default", "https://vault.azure.net/.default"]);
  assert.ok(pending instanceof Promise);
  await assert.rejects(pending, (e) => e instanceof InvalidArgumentError && e.code === "INVALID_SCOPE");
  await assert.rejects(credential.getToken(""), (e) => e instanceof InvalidArgumentError && e.code === "INVALID_SCOPE");
  await assert.rejects(
    credential.getToken("https://management.azure.com/.default", { tenantId: "not a tenant!" }),
    (e) => e instanceof InvalidArgumentError && e.code === "INVALID_TENANT_ID",
  );
  assert.equal(loaded(), false, "nothing was attempted");
  assert.ok(CredentialUnavailableError);
});

test("a call naming a tenant gets the identity's token", async () => {
  const run = await runChild(world.mi, "imds", {
    impl: "ours",
    getTokenOptions: { tenantId: world.authority.tenants[1].tenantId },
    scopes: ["https://vault.azure.net/.default"],
  });
  assert.equal(run.lines[0].ok, true, JSON.stringify(run.lines[0]));
  assert.equal(run.lines[0].claims.aud, "https://vault.azure.net", ".default is turned into the resource");
});

test("an unknown resource: the endpoint's invalid_resource as AuthenticationError 400", async () => {
  const run = await runChild(world.mi, "imds", { impl: "ours", scopes: "not-a-resource" });
  assert.equal(run.lines[0].statusCode, 400, JSON.stringify(run.lines[0]));
  assert.equal(run.lines[0].errorResponse.error, "invalid_resource");
});

for (const source of ["imds", "appService", "azureArc"]) {
  test(`${source}: verbose logs name the credential and never hold the token or the endpoint's secret`, async () => {
    const extraEnv = { AZURE_LOG_LEVEL: "verbose" };
    const run = await runChild(world.mi, source, { impl: "ours", rawToken: true, calls: 2 }, { extraEnv });
    const [line] = run.lines;
    if (source === "azureArc") {
      // Off the agent's folder msal-node refuses the key file; the challenge still happened.
      assert.equal(line.ok, false);
    } else {
      assert.equal(line.ok, true, JSON.stringify(line));
      assert.ok(!run.stderr.includes(line.token.split(".")[2]), "the token's signature is not in the logs");
      assert.ok(!run.stderr.includes(line.token.split(".")[1]), "the token's payload is not in the logs");
    }
    assert.match(run.stderr, /ManagedIdentityCredential =>/);
    assert.ok(!run.stderr.includes(world.mi.secret), "the endpoint's secret is not in the logs");
  });
}
