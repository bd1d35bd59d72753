import { test } from "node:test";
import assert from "node:assert/strict";
import {
  AuthenticationError,
  AuthenticationRequiredError,
  CredentialUnavailableError,
  AggregateAuthenticationError,
  AzureAuthorityHosts,
} from "entra-broker";
import * as identity from "@azure/identity";

test("AuthenticationError parses an OAuth body as @azure/identity does", () => {
  const body = {
    error: "invalid_grant",
    error_description: "AADSTS70000: bad",
    error_codes: [70000],
    correlation_id: "c",
    trace_id: "t",
    timestamp: "now",
  };
  const ours = new AuthenticationError(400, body);
  const theirs = new identity.AuthenticationError(400, body);
  assert.equal(ours.message, theirs.message);
  assert.deepEqual({ ...ours.errorResponse }, { ...theirs.errorResponse });
  assert.equal(ours.code, "invalid_grant");
  assert.equal(ours.name, "AuthenticationError");
  const fromText = new AuthenticationError(502, "<html>bad gateway</html>");
  assert.equal(fromText.errorResponse.error, "unknown_error");
});

test("error classes keep names, codes and cause", () => {
  const cause = new Error("root");
  const unavailable = new CredentialUnavailableError("no", { cause, code: "X" });
  assert.equal(unavailable.name, "CredentialUnavailableError");
  assert.equal(unavailable.code, "X");
  assert.equal(unavailable.cause, cause);
  const required = new AuthenticationRequiredError({ scopes: ["a"], getTokenOptions: { claims: "c" }, message: "m" });
  assert.deepEqual(required.scopes, ["a"]);
  assert.equal(required.getTokenOptions.claims, "c");
  const aggregate = new AggregateAuthenticationError([unavailable], "all failed");
  assert.equal(aggregate.errors[0], unavailable);
});

test("AzureAuthorityHosts match @azure/identity", () => {
  assert.deepEqual({ ...AzureAuthorityHosts }, { ...identity.AzureAuthorityHosts });
});

test("a connection or TLS failure reaching the authority is CredentialUnavailableError AUTHORITY_UNAVAILABLE, cause kept", async () => {
  const { toCredentialError } = await import("../../dist/internal.js");
  for (const code of ["ECONNREFUSED", "ENOTFOUND", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "ERR_TLS_CERT_ALTNAME_INVALID"]) {
    const raw = Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });
    const mapped = toCredentialError(raw, ["s"]);
    assert.ok(mapped instanceof CredentialUnavailableError, code);
    assert.equal(mapped.code, "AUTHORITY_UNAVAILABLE");
    assert.equal(mapped.cause, raw);
    assert.match(mapped.message, new RegExp(code));
  }
  // An msal error that happens to carry a code is still msal's: mapped by its errorCode.
  const msal = Object.assign(new Error("x"), { name: "ServerError", errorCode: "invalid_grant", code: "EPIPE", errorMessage: "bad" });
  assert.ok(toCredentialError(msal, ["s"]) instanceof AuthenticationError);
});
