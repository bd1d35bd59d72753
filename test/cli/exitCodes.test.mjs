// Every error class the CLI can end with maps to the exit code --help documents.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import {
  AbortError,
  AggregateAuthenticationError,
  AuthenticationError,
  AuthenticationRequiredError,
  CredentialUnavailableError,
  InvalidArgumentError,
} from "entra-broker";

const require = createRequire(import.meta.url);
const { EXIT, exitCodeFor } = require("../../dist/internal.js");
const { CliError } = require("../../dist/internal.js");

test("errors map to the documented exit codes", () => {
  const cases = [
    [new CliError("bad", "CLI_INVALID_OPTION"), EXIT.usage],
    [new CliError("gone", "CLI_ACCOUNT_NOT_FOUND", EXIT.failure), EXIT.failure],
    [new InvalidArgumentError("INVALID_SCOPE", "bad scope"), EXIT.usage],
    [Object.assign(new TypeError("Invalid URL"), { code: "ERR_INVALID_URL" }), EXIT.failure], // Node's own, not the caller's usage
    [new TypeError("a bug, not an argument"), EXIT.failure],
    [new AuthenticationRequiredError({ scopes: ["s"] }), EXIT.authenticationRequired],
    [new AuthenticationError(400, { error: "access_denied", error_description: "the user said no" }), EXIT.authenticationRequired],
    [new AuthenticationError(0, { error: "user_canceled", error_description: "closed" }), EXIT.authenticationRequired],
    [new AuthenticationError(400, { error: "authorization_declined", error_description: "declined" }), EXIT.authenticationRequired],
    [new AuthenticationError(400, { error: "invalid_grant", error_description: "expired" }), EXIT.failure],
    [new AuthenticationError(0, { error: "timed_out", error_description: "slow" }), EXIT.failure],
    [new CredentialUnavailableError("no store", { code: "PERSISTENCE_UNAVAILABLE" }), EXIT.unavailable],
    [new AggregateAuthenticationError([new CredentialUnavailableError("x")], "none"), EXIT.unavailable],
    [new Error("anything else"), EXIT.failure],
    [undefined, EXIT.failure],
  ];
  for (const [error, code] of cases) assert.equal(exitCodeFor(error, false), code, `${error?.name}: ${error?.message}`);
});

test("an abort is a cancellation, or an interruption after Ctrl+C", () => {
  assert.equal(exitCodeFor(new AbortError(), false), EXIT.authenticationRequired);
  assert.equal(exitCodeFor(new AbortError(), true), EXIT.interrupted);
  assert.deepEqual(EXIT, { ok: 0, failure: 1, usage: 2, authenticationRequired: 3, unavailable: 4, interrupted: 130 });
});
