// getBearerTokenProvider: the token until its refresh time, one request for concurrent calls,
// the current token while a renewal fails, and errors passed on once it has expired.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { getBearerTokenProvider, CredentialUnavailableError } = require("../../dist/index.js");

/** A credential whose answers the test sets; counts its calls. */
function scripted() {
  const calls = [];
  const credential = {
    next: undefined,
    async getToken(scopes, options) {
      calls.push({ scopes, options });
      const next = credential.next;
      if (next instanceof Error) throw next;
      return typeof next === "function" ? next() : next;
    },
  };
  return { credential, calls };
}

const token = (name, { expiresIn = 3600_000, refreshIn } = {}) => ({
  token: name,
  expiresOnTimestamp: Date.now() + expiresIn,
  ...(refreshIn === undefined ? {} : { refreshAfterTimestamp: Date.now() + refreshIn }),
  tokenType: "Bearer",
});

test("the provider returns the token string and asks the credential once while it is fresh", async () => {
  const { credential, calls } = scripted();
  credential.next = token("t1");
  const provider = getBearerTokenProvider(credential, "https://cognitiveservices.azure.com/.default");
  assert.equal(await provider(), "t1");
  credential.next = token("t2");
  assert.equal(await provider(), "t1");
  assert.equal(calls.length, 1);
  assert.equal(calls[0].scopes, "https://cognitiveservices.azure.com/.default");
});

test("concurrent calls share one getToken", async () => {
  const { credential, calls } = scripted();
  let release;
  credential.next = () => new Promise((r) => (release = () => r(token("shared"))));
  const provider = getBearerTokenProvider(credential, ["s"]);
  const all = Promise.all([provider(), provider(), provider()]);
  await new Promise((r) => setImmediate(r));
  release();
  assert.deepEqual(await all, ["shared", "shared", "shared"]);
  assert.equal(calls.length, 1);
});

test("past its refresh time the token is renewed; a failed renewal keeps the unexpired token", async () => {
  const { credential, calls } = scripted();
  credential.next = token("old", { refreshIn: -1 });
  const provider = getBearerTokenProvider(credential, "s");
  assert.equal(await provider(), "old");
  credential.next = new Error("authority down");
  assert.equal(await provider(), "old", "the current token is still valid");
  credential.next = token("new");
  assert.equal(await provider(), "new");
  assert.equal(calls.length, 3);
});

test("a failure with no usable token reaches the caller; a credential returning null is unavailable", async () => {
  const { credential } = scripted();
  credential.next = new Error("boom");
  const provider = getBearerTokenProvider(credential, "s");
  await assert.rejects(provider(), /boom/);
  credential.next = null;
  await assert.rejects(provider(), (e) => e instanceof CredentialUnavailableError);
});

test("abortSignal and tracingOptions reach getToken", async () => {
  const { credential, calls } = scripted();
  credential.next = token("t");
  const controller = new AbortController();
  await getBearerTokenProvider(credential, "s", { abortSignal: controller.signal })();
  assert.equal(calls[0].options.abortSignal, controller.signal);
});
