// The broker tests' credential: InteractiveBrowserBrokerCredential on the test authority, where a
// browser opening means the broker was not used and fails the test.
import assert from "node:assert/strict";
import { InteractiveBrowserBrokerCredential } from "entra-broker";

/** On `authority` (its first tenant), zero window handle unless `options` say otherwise; opening a browser fails. */
export function brokerCredential(authority, options = {}) {
  return new InteractiveBrowserBrokerCredential({
    authorityHost: authority.url,
    authorityCa: authority.ca,
    tenantId: authority.tenants[0].tenantId,
    parentWindowHandle: Buffer.alloc(8),
    openBrowser: async () => assert.fail("a browser opened: the sign-in did not go through the broker"),
    ...options,
  });
}
