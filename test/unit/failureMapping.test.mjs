// src/msal/errors.ts, the one mapper: by type and kind, never by message text; cause kept.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { toCredentialError, needsInteraction } = require("../../dist/internal.js");
const { Failure } = require("../../dist/internal.js");
const { PersistenceFailure } = require("../../dist/internal.js");
const {
  AbortError,
  AuthenticationError,
  AuthenticationRequiredError,
  CredentialUnavailableError,
  InvalidArgumentError,
  invalidArgument,
} = require("../../dist/internal.js");

test("Node's own TypeErrors (ERR_INVALID_URL) are not taken for bad usage: only our InvalidArgumentError passes", () => {
  let nodeError;
  try {
    new URL("not a url");
  } catch (e) {
    nodeError = e;
  }
  assert.equal(nodeError.code, "ERR_INVALID_URL");
  const mapped = toCredentialError(nodeError, ["s"]);
  assert.ok(!(mapped instanceof TypeError), "a TypeError from inside is not the caller's mistake");
  assert.ok(mapped instanceof AuthenticationError);
  assert.equal(mapped.cause, nodeError);
  const ours = invalidArgument("INVALID_SCOPE", "bad scope");
  assert.ok(ours instanceof InvalidArgumentError && ours instanceof TypeError);
  assert.equal(ours.name, "TypeError");
  assert.equal(toCredentialError(ours, ["s"]), ours);
});

test("each kind maps to its public error, with the Failure as cause", () => {
  const cases = [
    [new Failure("interaction_needed", "no_account_found", "m"), AuthenticationRequiredError, "AUTHENTICATION_REQUIRED"],
    [new Failure("cancelled", "BROKER_CANCELLED", "m"), AbortError, "ABORT_ERR"],
    [new Failure("cancelled", "user_canceled", "m"), AuthenticationError, "user_canceled"],
    [new Failure("timed_out", "BROKER_TIMEOUT", "m"), AuthenticationError, "timed_out"],
    [new Failure("unavailable", "BROKER_UNAVAILABLE", "m"), CredentialUnavailableError, "BROKER_UNAVAILABLE"],
    [new Failure("unsupported", "POP_UNSUPPORTED", "m"), CredentialUnavailableError, "POP_UNSUPPORTED"],
    [new Failure("unreachable", "BROKER_NO_REPLY", "m"), AuthenticationError, "broker_no_reply"],
    [new Failure("bad_reply", "BROKER_BAD_REPLY", "m"), AuthenticationError, "broker_bad_reply"],
    [new Failure("invalid_request", "BROKER_INVALID_REQUEST", "m"), AuthenticationError, "broker_invalid_request"],
    [
      new Failure("server_refused", "invalid_client", "m", {
        statusCode: 401,
        serverError: { error: "invalid_client", description: "AADSTS7000218: nope", errorCodes: [7000218] },
      }),
      AuthenticationError,
      "invalid_client",
    ],
  ];
  for (const [failure, type, code] of cases) {
    const mapped = toCredentialError(failure, ["s"]);
    assert.ok(mapped instanceof type, `${failure.kind} ${failure.code}: ${mapped.name}`);
    assert.equal(mapped.code, code, `${failure.kind} ${failure.code}`);
    assert.equal(mapped.cause, failure);
  }
  const refused = toCredentialError(cases.at(-1)[0], ["s"]);
  assert.equal(refused.statusCode, 401);
  assert.equal(refused.errorResponse.errorDescription, "AADSTS7000218: nope");
  assert.deepEqual(refused.errorResponse.errorCodes, [7000218]);
  assert.ok(needsInteraction(cases[0][0]));
  assert.ok(!needsInteraction(cases[2][0]));
});

test("a fix travels as a field and is told after the message", () => {
  const mapped = toCredentialError(
    new Failure("server_refused", "platform_broker_error", "WAM failed (0xCAA10001)", {
      fix: ["register the redirect URI"],
      osError: "0xCAA10001",
    }),
    ["s"],
  );
  assert.match(mapped.errorResponse.errorDescription, /^WAM failed \(0xCAA10001\) To fix this, register the redirect URI\./);
});

test("PersistenceFailure is a Failure of a kind; it becomes CredentialUnavailableError with the same code", () => {
  for (const [code, kind] of [
    ["PERSISTENCE_UNAVAILABLE", "unavailable"],
    ["PERSISTENCE_LOCK_TIMEOUT", "timed_out"],
    ["PERSISTENCE_FAILED", "unavailable"],
  ]) {
    const failure = new PersistenceFailure(code, "The cache failed.", "the keyring is locked", "unlock it");
    assert.ok(failure instanceof Failure);
    assert.equal(failure.kind, kind);
    assert.equal(failure.reason, "the keyring is locked");
    assert.deepEqual(failure.fix, ["unlock it"]);
    const mapped = toCredentialError(failure, ["s"]);
    assert.ok(mapped instanceof CredentialUnavailableError, code);
    assert.equal(mapped.code, code);
    assert.equal(mapped.message, "The cache failed. To fix this, unlock it.");
    assert.equal(mapped.cause, failure);
  }
});

test("msal's errors by class and errorCode; a server error's text is not parsed", () => {
  const server = Object.assign(new Error("x"), {
    name: "ServerError",
    errorCode: "invalid_grant",
    errorMessage: "Error(s): 70000 - Description: trap - Correlation ID: c",
    correlationId: "no-such-request",
    status: 400,
  });
  const mapped = toCredentialError(server, ["s"]);
  assert.ok(mapped instanceof AuthenticationError);
  assert.equal(mapped.code, "invalid_grant");
  assert.equal(mapped.statusCode, 400);
  assert.equal(mapped.errorResponse.errorDescription, server.errorMessage, "msal's own text, whole: no regex over it");
  const interaction = Object.assign(new Error("x"), { name: "InteractionRequiredAuthError", errorCode: "whatever" });
  assert.ok(toCredentialError(interaction, ["s"]) instanceof AuthenticationRequiredError);
  const noTokens = Object.assign(new Error("x"), { name: "ClientAuthError", errorCode: "no_tokens_found" });
  assert.ok(needsInteraction(noTokens));
});
