// ClientAssertionCredential and WorkloadIdentityCredential against the dev authority, which
// trusts its own federated issuer for the app: the assertion asked for only when a request goes
// out, a subject the app does not trust refused with the authority's error and status, the token
// file read from options or the environment and re-read once 5 minutes old, missing configuration.
import { test, before, after, mock } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DevAuthority } from "entra-broker-devtools";
import { AuthenticationError, ClientAssertionCredential, CredentialUnavailableError, WorkloadIdentityCredential } from "entra-broker";
import { APP, CLAIMS, SCOPE, SUBJECT, appRegistration, claimsOf, makeCertificates, withEnvironment } from "./helpers.mjs";

let authority, tenant, opts, dir;
before(async () => {
  authority = await DevAuthority.start({ clients: [appRegistration(makeCertificates())] });
  tenant = authority.tenants[0].tenantId;
  opts = { authorityHost: authority.url, authorityCa: authority.ca };
  dir = mkdtempSync(path.join(tmpdir(), "eb-workload-"));
});
after(() => authority.close());

test("getAssertion is called for each request that reaches the authority, not for memory hits", async () => {
  authority.resetCounters();
  let calls = 0;
  const cred = new ClientAssertionCredential(
    tenant,
    APP,
    async () => {
      calls++;
      return authority.issueFederatedToken({ subject: SUBJECT });
    },
    opts,
  );
  const token = await cred.getToken(SCOPE);
  assert.equal(claimsOf(token.token).appid, APP);
  await cred.getToken(SCOPE);
  assert.equal(calls, 1);
  await cred.getToken(SCOPE, { claims: CLAIMS });
  assert.equal(calls, 2);
  assert.equal(authority.counters.tokenByClientAuth.federated, 2);
});

test("an assertion for a subject the app does not trust: AuthenticationError with the authority's error and status", async () => {
  const cred = new ClientAssertionCredential(tenant, APP, async () => authority.issueFederatedToken({ subject: "someone-else" }), opts);
  await assert.rejects(cred.getToken(SCOPE), (e) => {
    assert.ok(e instanceof AuthenticationError, `${e.name}: ${e.message}`);
    assert.match(e.code, /^invalid_/);
    assert.ok(e.statusCode >= 400 && e.statusCode < 500, String(e.statusCode));
    assert.match(e.errorResponse.errorDescription, /AADSTS\d+/);
    return true;
  });
});

test("getAssertion's own failure reaches the caller; nothing is sent", async () => {
  authority.resetCounters();
  const cred = new ClientAssertionCredential(
    tenant,
    APP,
    async () => {
      throw new Error("the identity provider is down");
    },
    opts,
  );
  await assert.rejects(cred.getToken(SCOPE), /the identity provider is down/);
  assert.equal(authority.counters.token, 0);
});

test("WorkloadIdentityCredential: the token file from options, and from AZURE_* variables", async () => {
  const file = path.join(dir, "token");
  writeFileSync(file, `${authority.issueFederatedToken({ subject: SUBJECT })}\n`);
  const fromOptions = new WorkloadIdentityCredential({ ...opts, tenantId: tenant, clientId: APP, tokenFilePath: file });
  assert.equal(claimsOf((await fromOptions.getToken(SCOPE)).token).appid, APP);
  const vars = { AZURE_TENANT_ID: tenant, AZURE_CLIENT_ID: APP, AZURE_FEDERATED_TOKEN_FILE: file, AZURE_AUTHORITY_HOST: authority.url };
  const fromEnv = withEnvironment(vars, () => new WorkloadIdentityCredential({ authorityCa: authority.ca }));
  assert.equal(claimsOf((await fromEnv.getToken(SCOPE)).token).tid, tenant);
});

test("WorkloadIdentityCredential re-reads the token file once its copy is 5 minutes old", async (t) => {
  const file = path.join(dir, "rotating");
  writeFileSync(file, authority.issueFederatedToken({ subject: SUBJECT }));
  const cred = new WorkloadIdentityCredential({ ...opts, tenantId: tenant, clientId: APP, tokenFilePath: file });
  await cred.getToken(SCOPE);
  // Kubernetes rotates the file; here the new content is one the authority refuses, so its use shows.
  writeFileSync(file, authority.issueFederatedToken({ subject: "rotated-to-an-untrusted-subject" }));
  await cred.getToken(SCOPE, { claims: CLAIMS });
  const now = Date.now();
  t.mock.method(Date, "now", () => now + 5 * 60_000 + 1000);
  await assert.rejects(cred.getToken(SCOPE, { claims: CLAIMS }), AuthenticationError);
  mock.restoreAll();
});

test("WorkloadIdentityCredential without configuration, or with a missing or empty file: CredentialUnavailableError, nothing sent", async () => {
  authority.resetCounters();
  const none = withEnvironment({}, () => new WorkloadIdentityCredential(opts));
  await assert.rejects(none.getToken(SCOPE), (e) => {
    assert.ok(e instanceof CredentialUnavailableError);
    assert.equal(e.code, "WORKLOAD_IDENTITY_NOT_CONFIGURED");
    for (const v of ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_FEDERATED_TOKEN_FILE"]) assert.ok(e.message.includes(v), v);
    return true;
  });
  const partial = withEnvironment({ AZURE_TENANT_ID: tenant }, () => new WorkloadIdentityCredential({ ...opts, clientId: APP }));
  await assert.rejects(partial.getToken(SCOPE), (e) => {
    assert.match(e.message, /missing tokenFilePath \(AZURE_FEDERATED_TOKEN_FILE\)\./);
    return e.code === "WORKLOAD_IDENTITY_NOT_CONFIGURED";
  });
  const empty = path.join(dir, "empty");
  writeFileSync(empty, "  \n");
  for (const tokenFilePath of [path.join(dir, "absent"), empty]) {
    const cred = new WorkloadIdentityCredential({ ...opts, tenantId: tenant, clientId: APP, tokenFilePath });
    await assert.rejects(cred.getToken(SCOPE), (e) => e instanceof CredentialUnavailableError && e.code === "FEDERATED_TOKEN_UNREADABLE");
  }
  assert.equal(authority.counters.token, 0);
});
