import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { DevAuthority } from "entra-broker-devtools";
import { DeviceCodeCredential, AuthenticationError, AuthenticationRequiredError } from "entra-broker";
import { completeDeviceCodeOverHttp } from "../helpers/devAuthorityBrowser.mjs";
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
    userPromptCallback: (info) => {
      prompts.push(info);
      if (!extra.noUser) {
        completeDeviceCodeOverHttp(info.verificationUri, info.userCode, { ca: authority.ca, username: user.username, password: user.password, ...extra }).catch(() => {});
      }
    },
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
