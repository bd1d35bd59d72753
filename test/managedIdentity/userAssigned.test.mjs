// User-assigned identities by client id, resource id and object id, ours beside @azure/identity's,
// and the sources that take none at runtime.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { runChild, startManagedIdentity } from "./helpers.mjs";

let world;
before(async () => (world = await startManagedIdentity()));
after(() => world?.close());

const user = () => world.mi.identities.find((i) => !i.systemAssigned);

for (const source of ["imds", "appService"]) {
  for (const by of ["clientId", "resourceId", "objectId"]) {
    for (const impl of ["ours", "anchor"]) {
      test(`${source}, by ${by}: ${impl}`, async () => {
        const run = await runChild(world.mi, source, { impl, options: { [by]: user()[by] } });
        const [line] = run.lines;
        assert.equal(line.ok, true, JSON.stringify(line));
        assert.equal(line.claims.appid, user().clientId);
        assert.equal(line.claims.oid, user().objectId);
      });
    }
  }
}

test("the (clientId, options) overload names a user-assigned identity", async () => {
  const run = await runChild(world.mi, "imds", { impl: "ours", clientId: user().clientId, options: {} });
  assert.equal(run.lines[0].ok, true, JSON.stringify(run.lines[0]));
  assert.equal(run.lines[0].claims.appid, user().clientId);
});

test("Azure ML takes a user-assigned identity by client id", async () => {
  const run = await runChild(world.mi, "machineLearning", { impl: "ours", options: { clientId: user().clientId } });
  assert.equal(run.lines[0].ok, true, JSON.stringify(run.lines[0]));
  assert.equal(run.lines[0].claims.appid, user().clientId);
});

test("an identity not assigned here: AuthenticationError with the endpoint's status and message", async () => {
  const run = await runChild(world.mi, "imds", { impl: "ours", options: { clientId: "00000000-0000-4000-8000-000000000000" } });
  const [line] = run.lines;
  assert.equal(line.name, "AuthenticationError");
  assert.equal(line.statusCode, 400);
  assert.equal(line.errorResponse.error, "invalid_request");
  assert.match(line.errorResponse.errorDescription, /Identity not found/);
});

for (const [source, options] of [
  ["cloudShell", { clientId: "11111111-1111-4111-8111-111111111111" }],
  ["serviceFabric", { resourceId: "/subscriptions/x/rg/y" }],
  ["machineLearning", { objectId: "22222222-2222-4222-8222-222222222222" }],
]) {
  test(`${source} refuses ${Object.keys(options)[0]} at runtime: CredentialUnavailableError, nothing sent`, async () => {
    const before = world.mi.counters[source].requests;
    const run = await runChild(world.mi, source, { impl: "ours", options });
    const [line] = run.lines;
    assert.equal(line.name, "CredentialUnavailableError", JSON.stringify(line));
    assert.equal(line.code, "MANAGED_IDENTITY_USER_ASSIGNED_UNSUPPORTED");
    assert.equal(world.mi.counters[source].requests, before);
  });
}
