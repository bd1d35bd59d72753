import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { DevAuthority } from "entra-broker-devtools";
import { DeviceCodeCredential, AuthenticationError, AuthenticationRequiredError } from "entra-broker";
import { codeEnteredBy } from "../helpers/devAuthorityBrowser.mjs";
import { decodeJwt } from "../helpers/signIn.mjs";

const SCOPE = "https://graph.microsoft.com/.default";
let authority;
let user;
let tenant;

before(async () => {
  authority = await DevAuthority.start({ deviceCodeIntervalSeconds: 1 });
  user = authority.users[0];
  tenant = authority.tenants[0].tenantId;
});
after(() => authority.close());
beforeEach(() => {
  authority.clearFaults();
  authority.resetCounters();
});

function credential(options = {}, extra = {}) {
  const prompts = [];
  const cred = new DeviceCodeCredential({
    authorityHost: authority.url,
    authorityCa: authority.ca,
    tenantId: tenant,
    userPromptCallback: extra.noUser ? (info) => prompts.push(info) : codeEnteredBy(user, { ca: authority.ca, prompts, ...extra }),
    ...options,
  });
  return { cred, prompts };
}

test("the user enters the code on the verification page and the app gets a token", async () => {
  const { cred, prompts } = credential();
  const token = await cred.getToken(SCOPE);
  assert.equal(decodeJwt(token.token).tid, tenant);
  assert.equal(prompts.length, 1);
  assert.match(prompts[0].message, new RegExp(prompts[0].userCode));
  assert.equal(new URL(prompts[0].verificationUri).host, authority.host);
  const again = await cred.getToken(SCOPE);
  assert.equal(again, token);
  assert.equal(authority.counters.devicecode, 1);
});

test("authenticate returns a record and later tokens are silent", async () => {
  const { cred, prompts } = credential();
  const record = await cred.authenticate(SCOPE);
  assert.equal(record.username, user.username);
  await cred.getToken("https://storage.azure.com/.default");
  assert.equal(prompts.length, 1, "the second scope came from the refresh token");
});

test("declining on the verification page is an AuthenticationError", async () => {
  const { cred } = credential({}, { cancel: true });
  await assert.rejects(cred.getToken(SCOPE), (e) => e instanceof AuthenticationError && /declined|denied/.test(e.errorResponse.error));
});

test("an aborted signal requests no device code; an abort during polling ends it", async () => {
  const { cred, prompts } = credential({}, { noUser: true });
  await assert.rejects(cred.getToken(SCOPE, { abortSignal: AbortSignal.abort() }), { name: "AbortError" });
  assert.equal(authority.counters.devicecode, 0);
  const controller = new AbortController();
  const started = Date.now();
  const pending = cred.getToken(SCOPE, { abortSignal: controller.signal });
  while (prompts.length === 0) await new Promise((r) => setTimeout(r, 20));
  controller.abort();
  await assert.rejects(pending, { name: "AbortError" });
  assert.ok(Date.now() - started < 5_000);
});

test("disableAutomaticAuthentication never shows a code", async () => {
  const { cred, prompts } = credential({ disableAutomaticAuthentication: true });
  await assert.rejects(cred.getToken(SCOPE), AuthenticationRequiredError);
  assert.equal(prompts.length, 0);
});

test("a device code endpoint error surfaces with the server's code", async () => {
  authority.injectFault({ endpoint: "devicecode", error: "invalid_client", errorDescription: "AADSTS7000218: nope", status: 401 });
  const { cred } = credential();
  await assert.rejects(cred.getToken(SCOPE), (e) => e instanceof AuthenticationError || e.name === "AuthenticationError");
});

test("timeout ends a device code sign-in nobody completes, with the same timed_out code as the other flows", async () => {
  const { cred, prompts } = credential({ timeout: 1_000 }, { noUser: true });
  await assert.rejects(cred.getToken(SCOPE), (e) => {
    assert.ok(e instanceof AuthenticationError, `${e?.name}: ${e?.message}`);
    assert.equal(e.errorResponse.error, "timed_out");
    assert.ok(e.cause, "msal's error is kept as cause");
    return true;
  });
  assert.equal(prompts.length, 1);
});

test("an authenticationRecord supplies the clientId, tenantId and authority host the options leave out", async () => {
  const both = authority.users.find((u) => !u.tenants || u.tenants.length > 1) ?? user;
  const other = authority.tenants[1].tenantId;
  const record = {
    authority: authority.host,
    homeAccountId: "00000000-0000-0000-0000-000000000000.x",
    clientId: "11111111-2222-3333-4444-555555555555",
    tenantId: other,
    username: both.username,
  };
  const saved = process.env.AZURE_AUTHORITY_HOST;
  process.env.AZURE_AUTHORITY_HOST = "https://127.0.0.1:9"; // the record's authority, not the environment's, must be used
  try {
    const cred = new DeviceCodeCredential({
      authorityCa: authority.ca,
      authenticationRecord: record,
      userPromptCallback: codeEnteredBy(both, { ca: authority.ca }),
    });
    const claims = decodeJwt((await cred.getToken(SCOPE)).token);
    assert.equal(claims.azp, record.clientId);
    assert.equal(claims.tid, other);
    // Options still win over the record.
    const mine = new DeviceCodeCredential({
      authorityHost: authority.url,
      authorityCa: authority.ca,
      tenantId: tenant,
      clientId: "22222222-2222-3333-4444-555555555555",
      authenticationRecord: record,
      userPromptCallback: codeEnteredBy(both, { ca: authority.ca }),
    });
    const mineClaims = decodeJwt((await mine.getToken(SCOPE)).token);
    assert.equal(mineClaims.azp, "22222222-2222-3333-4444-555555555555");
    assert.equal(mineClaims.tid, tenant);
  } finally {
    if (saved === undefined) delete process.env.AZURE_AUTHORITY_HOST;
    else process.env.AZURE_AUTHORITY_HOST = saved;
  }
});

test(
  "timeout defaults to the device code's validity (expires_in), which also prevails over a longer one; the prompt gets expiresOn",
  { timeout: 30_000 },
  async () => {
    const shortLived = await DevAuthority.start({ deviceCodeIntervalSeconds: 1, deviceCodeLifetimeSeconds: 3 });
    try {
      for (const timeout of [undefined, 60_000]) {
        const prompts = [];
        const cred = new DeviceCodeCredential({
          authorityHost: shortLived.url,
          authorityCa: shortLived.ca,
          tenantId: shortLived.tenants[0].tenantId,
          timeout,
          userPromptCallback: (info) => prompts.push({ ...info, at: Date.now() }),
        });
        const started = Date.now();
        await assert.rejects(cred.getToken(SCOPE), (e) => e instanceof AuthenticationError);
        const waited = Date.now() - started;
        assert.ok(waited < 8_000, `timeout ${timeout}: waited ${waited} ms for a code valid 3 s`);
        assert.equal(prompts.length, 1);
        assert.ok(prompts[0].expiresOn instanceof Date);
        assert.ok(Math.abs(prompts[0].expiresOn.getTime() - (prompts[0].at + 3_000)) < 1_000, "expiresOn is expires_in from now");
      }
    } finally {
      await shortLived.close();
    }
  },
);
