import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ChainedTokenCredential,
  CredentialUnavailableError,
  AuthenticationError,
  AuthenticationRequiredError,
  AggregateAuthenticationError,
} from "entra-broker";

const token = { token: "t", expiresOnTimestamp: Date.now() + 60_000, tokenType: "Bearer" };
const gives = () => ({
  calls: 0,
  async getToken() {
    this.calls++;
    return token;
  },
});
const unavailable = (m) => ({
  calls: 0,
  async getToken() {
    this.calls++;
    throw new CredentialUnavailableError(m);
  },
});
const fails = () => ({
  calls: 0,
  async getToken() {
    this.calls++;
    throw new AuthenticationError(400, { error: "invalid_grant", error_description: "x" });
  },
});

test("unavailable credentials hand over to the next", async () => {
  const a = unavailable("a");
  const b = gives();
  assert.equal(await new ChainedTokenCredential(a, b).getToken("s"), token);
  assert.equal(a.calls, 1);
});

test("an AuthenticationError stops the chain", async () => {
  const b = gives();
  await assert.rejects(new ChainedTokenCredential(fails(), b).getToken("s"), AuthenticationError);
  assert.equal(b.calls, 0);
});

test("all unavailable: AggregateAuthenticationError with every reason", async () => {
  await assert.rejects(new ChainedTokenCredential(unavailable("first"), unavailable("second")).getToken("s"), (e) => {
    assert.ok(e instanceof AggregateAuthenticationError);
    assert.equal(e.errors.length, 2);
    assert.match(e.message, /first[\s\S]*second/);
    return true;
  });
});

test("AuthenticationRequiredError (interaction needed, not allowed) hands over to the next, as in @azure/identity", async () => {
  const needsSignIn = {
    async getToken(scopes) {
      throw new AuthenticationRequiredError({ scopes: [scopes], message: "sign in first" });
    },
  };
  const b = gives();
  assert.equal(await new ChainedTokenCredential(needsSignIn, b).getToken("s"), token);
  await assert.rejects(new ChainedTokenCredential(needsSignIn, unavailable("other")).getToken("s"), (e) => {
    assert.ok(e instanceof AggregateAuthenticationError);
    assert.deepEqual(
      e.errors.map((x) => x.name),
      ["AuthenticationRequiredError", "CredentialUnavailableError"],
    );
    return true;
  });
});
