// Invalid client ids are a TypeError (INVALID_CLIENT_ID) from the constructor: nothing is sent,
// nothing is opened (an empty one used to reach the authority, or open a page and wait 5 minutes).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { DevAuthority } from "entra-broker-devtools";
import {
  AuthorizationCodeCredential,
  DeviceCodeCredential,
  InteractiveBrowserBrokerCredential,
  InteractiveBrowserCredential,
} from "entra-broker";

let authority;
before(async () => {
  authority = await DevAuthority.start();
});
after(() => authority.close());

const INVALID = ["", " ", "a b", "id?x=1", "x".repeat(300), 42];

test("every user credential refuses an invalid clientId up front, and nothing reaches the authority", () => {
  authority.resetCounters();
  const options = {
    authorityHost: authority.url,
    authorityCa: authority.ca,
    tenantId: authority.tenants[0].tenantId,
    openBrowser: () => assert.fail("a browser was opened"),
  };
  for (const clientId of INVALID) {
    for (const make of [
      () => new DeviceCodeCredential({ ...options, clientId, userPromptCallback: () => assert.fail("a device code was shown") }),
      () => new InteractiveBrowserCredential({ ...options, clientId }),
      () => new InteractiveBrowserBrokerCredential({ ...options, clientId }),
      () => new AuthorizationCodeCredential(options.tenantId, clientId, "code", "http://localhost:8400", options),
    ]) {
      assert.throws(make, (e) => e instanceof TypeError && e.code === "INVALID_CLIENT_ID", `clientId ${JSON.stringify(clientId)}`);
    }
  }
  const sent = Object.entries(authority.counters).filter(([k, v]) => typeof v === "number" && v > 0);
  assert.deepEqual(sent, []);
});

test("a GUID and the default client id are accepted", () => {
  assert.doesNotThrow(() => new DeviceCodeCredential({ clientId: "11111111-2222-3333-4444-555555555555" }));
  assert.doesNotThrow(() => new DeviceCodeCredential({}));
});
