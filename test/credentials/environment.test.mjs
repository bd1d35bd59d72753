// EnvironmentCredential's forms against the dev authority, its "nothing set" and "incomplete"
// cases (CredentialUnavailableError naming the variables), and its inner credential's failures
// passed through as they are (AuthenticationError with the authority's error and status).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { DevAuthority } from "entra-broker-devtools";
import { AuthenticationError, CredentialUnavailableError, EnvironmentCredential, InvalidArgumentError } from "entra-broker";
import { ENVIRONMENT_CREDENTIAL_VARIABLES } from "../../dist/internal.js";
import { APP, APP_SECRET, SCOPE, appRegistration, claimsOf, makeCertificates, withEnvironment, refusedByAuthority } from "./helpers.mjs";

let authority, certs;

before(async () => {
  certs = makeCertificates();
  authority = await DevAuthority.start({ clients: [appRegistration(certs)] });
});
after(() => authority.close());

const devAuthority = () => ({ authorityHost: authority.url, authorityCa: authority.ca });

test("nothing set: CredentialUnavailableError ENVIRONMENT_NOT_CONFIGURED listing every variable it looked for", async () => {
  const cred = withEnvironment({}, () => new EnvironmentCredential());
  await assert.rejects(cred.getToken(SCOPE), (e) => {
    assert.ok(e instanceof CredentialUnavailableError);
    assert.equal(e.code, "ENVIRONMENT_NOT_CONFIGURED");
    for (const v of ENVIRONMENT_CREDENTIAL_VARIABLES) assert.ok(e.message.includes(v), `names ${v}`);
    assert.match(
      e.message,
      /Missing: AZURE_TENANT_ID; AZURE_CLIENT_ID; one of AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH, or AZURE_USERNAME and AZURE_PASSWORD/,
    );
    return true;
  });
});

test("incomplete: the message names what is missing and what is set, never a value", async () => {
  const vars = {
    AZURE_TENANT_ID: authority.tenants[0].tenantId,
    AZURE_CLIENT_ID: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
    AZURE_USERNAME: "ada@x.test",
  };
  const cred = withEnvironment(vars, () => new EnvironmentCredential(devAuthority()));
  await assert.rejects(cred.getToken(SCOPE), (e) => {
    assert.equal(e.code, "ENVIRONMENT_NOT_CONFIGURED");
    assert.match(e.message, /Missing: one of AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH, or AZURE_PASSWORD\./);
    assert.match(e.message, /Set: AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_USERNAME\./);
    assert.ok(!e.message.includes("ada@x.test") && !e.message.includes(vars.AZURE_TENANT_ID));
    return true;
  });
});

test("a malformed variable is reported by getToken (the constructor does not throw)", async () => {
  const cred = withEnvironment(
    { AZURE_TENANT_ID: "not/a/tenant", AZURE_CLIENT_ID: "04b07795-8ddb-461a-bbee-02f9e1bf7b46", AZURE_CLIENT_SECRET: "s" },
    () => new EnvironmentCredential(),
  );
  await assert.rejects(cred.getToken(SCOPE), (e) => e instanceof InvalidArgumentError && e.code === "INVALID_TENANT_ID");
});

test("AZURE_USERNAME/AZURE_PASSWORD with AZURE_AUTHORITY_HOST: a token; a wrong password passes through as invalid_grant, status 400", async () => {
  const ada = authority.users[0];
  const base = {
    AZURE_TENANT_ID: authority.tenants[0].tenantId,
    AZURE_CLIENT_ID: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
    AZURE_USERNAME: ada.username,
    AZURE_AUTHORITY_HOST: authority.url,
  };
  const cred = withEnvironment({ ...base, AZURE_PASSWORD: ada.password }, () => new EnvironmentCredential({ authorityCa: authority.ca }));
  const token = await cred.getToken(SCOPE);
  assert.equal(JSON.parse(Buffer.from(token.token.split(".")[1], "base64url")).upn, ada.username);
  const wrong = withEnvironment({ ...base, AZURE_PASSWORD: "wrong" }, () => new EnvironmentCredential({ authorityCa: authority.ca }));
  await assert.rejects(wrong.getToken(SCOPE), refusedByAuthority("invalid_grant", 400));
});

test("AZURE_ADDITIONALLY_ALLOWED_TENANTS (semicolon-separated) opens per-request tenants", async () => {
  const ada = authority.users[0];
  const other = authority.tenants[1].tenantId;
  const base = {
    AZURE_TENANT_ID: authority.tenants[0].tenantId,
    AZURE_CLIENT_ID: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
    AZURE_USERNAME: ada.username,
    AZURE_PASSWORD: ada.password,
  };
  const closed = withEnvironment(base, () => new EnvironmentCredential(devAuthority()));
  await assert.rejects(closed.getToken(SCOPE, { tenantId: other }), (e) => e.code === "TENANT_NOT_ALLOWED");
  const open = withEnvironment(
    { ...base, AZURE_ADDITIONALLY_ALLOWED_TENANTS: `contoso.test;${other}` },
    () => new EnvironmentCredential(devAuthority()),
  );
  const token = await open.getToken(SCOPE, { tenantId: other });
  assert.equal(JSON.parse(Buffer.from(token.token.split(".")[1], "base64url")).tid, other);
});

test("AZURE_CLIENT_SECRET: the app's token; a wrong secret passes through as invalid_client, status 401 (not re-wrapped)", async () => {
  const base = { AZURE_TENANT_ID: authority.tenants[0].tenantId, AZURE_CLIENT_ID: APP };
  authority.resetCounters();
  const cred = withEnvironment({ ...base, AZURE_CLIENT_SECRET: APP_SECRET }, () => new EnvironmentCredential(devAuthority()));
  assert.equal(claimsOf((await cred.getToken(SCOPE)).token).appid, APP);
  assert.equal(authority.counters.tokenByClientAuth.secret, 1);
  const wrong = withEnvironment({ ...base, AZURE_CLIENT_SECRET: "wrong" }, () => new EnvironmentCredential(devAuthority()));
  await assert.rejects(wrong.getToken(SCOPE), refusedByAuthority("invalid_client", 401, /^AADSTS7000215/));
});

test("AZURE_CLIENT_CERTIFICATE_PATH with AZURE_CLIENT_SEND_CERTIFICATE_CHAIN, and with AZURE_CLIENT_CERTIFICATE_PASSWORD", async () => {
  const base = { AZURE_TENANT_ID: authority.tenants[0].tenantId, AZURE_CLIENT_ID: APP };
  authority.resetCounters();
  const chain = withEnvironment(
    { ...base, AZURE_CLIENT_CERTIFICATE_PATH: certs.at("chain-ca-first.pem"), AZURE_CLIENT_SEND_CERTIFICATE_CHAIN: "true" },
    () => new EnvironmentCredential(devAuthority()),
  );
  assert.equal(claimsOf((await chain.getToken(SCOPE)).token).appid, APP);
  const encrypted = withEnvironment(
    { ...base, AZURE_CLIENT_CERTIFICATE_PATH: certs.at("encrypted.pem"), AZURE_CLIENT_CERTIFICATE_PASSWORD: "pem-password" },
    () => new EnvironmentCredential(devAuthority()),
  );
  await encrypted.getToken(SCOPE);
  assert.equal(authority.counters.tokenByClientAuth.certificate, 2);
  const missing = withEnvironment(
    { ...base, AZURE_CLIENT_CERTIFICATE_PATH: certs.at("absent.pem") },
    () => new EnvironmentCredential(devAuthority()),
  );
  await assert.rejects(missing.getToken(SCOPE), (e) => e instanceof CredentialUnavailableError && e.code === "CERTIFICATE_UNREADABLE");
});

test("with a secret and a certificate both set, the secret is used (the anchor's order)", async () => {
  authority.resetCounters();
  const vars = {
    AZURE_TENANT_ID: authority.tenants[0].tenantId,
    AZURE_CLIENT_ID: APP,
    AZURE_CLIENT_SECRET: APP_SECRET,
    AZURE_CLIENT_CERTIFICATE_PATH: certs.at("both.pem"),
  };
  await withEnvironment(vars, () => new EnvironmentCredential(devAuthority())).getToken(SCOPE);
  assert.deepEqual(authority.counters.tokenByClientAuth, { secret: 1, certificate: 0, federated: 0 });
});
