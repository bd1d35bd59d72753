import { test } from "node:test";
import assert from "node:assert/strict";
import { normalizeScopes, resolveTenant, normalizeAuthorityHost, checkTenantId } from "../../dist/internal.js";
import { CredentialUnavailableError } from "entra-broker";

test("scopes are validated", () => {
  assert.deepEqual(normalizeScopes("https://graph.microsoft.com/.default"), ["https://graph.microsoft.com/.default"]);
  for (const bad of ["", [], ["a b"], [42], ['a"'], ["x".repeat(2000)], null, {}]) {
    assert.throws(() => normalizeScopes(bad), { code: "INVALID_SCOPE" });
  }
});

test("tenant ids are validated", () => {
  checkTenantId("72f988bf-86f1-41af-91ab-2d7cd011db47");
  checkTenantId("contoso.example");
  for (const bad of ["../x", "a/b", "", "a b", "x?y"]) assert.throws(() => checkTenantId(bad), { code: "INVALID_TENANT_ID" });
});

test("the multi-tenant rule", () => {
  assert.equal(resolveTenant("home", undefined, []), "home");
  assert.equal(resolveTenant("home", "home", []), "home");
  assert.equal(resolveTenant("home", "other", ["other"]), "other");
  assert.equal(resolveTenant("home", "other", ["*"]), "other");
  assert.throws(
    () => resolveTenant("home", "other", []),
    (e) => e instanceof CredentialUnavailableError && e.code === "TENANT_NOT_ALLOWED",
  );
  assert.throws(() => resolveTenant("home", "../evil", ["*"]), { code: "INVALID_TENANT_ID" });
});

test("authority hosts must be https", () => {
  assert.equal(normalizeAuthorityHost("https://login.microsoftonline.com/"), "https://login.microsoftonline.com");
  for (const bad of ["http://login.microsoftonline.com", "nope", "https://x/?a=b", "https://user:pw@x"]) {
    assert.throws(() => normalizeAuthorityHost(bad), { code: "INVALID_AUTHORITY_HOST" });
  }
});
