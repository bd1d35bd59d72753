// The accounts API of the user credentials: getAccounts, selectAccount, signOut.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { DevAuthority } from "entra-broker-devtools";
import { AuthenticationRequiredError, DeviceCodeCredential, InteractiveBrowserCredential } from "entra-broker";
import { completeDeviceCodeOverHttp } from "../helpers/devAuthorityBrowser.mjs";
import { decodeJwt, httpBrowser } from "../helpers/signIn.mjs";

const SCOPE = "https://graph.microsoft.com/.default";
const OTHER = "https://storage.azure.com/.default";
let authority;
let tenant;
before(async () => {
  authority = await DevAuthority.start({ deviceCodeIntervalSeconds: 1 });
  tenant = authority.tenants[0].tenantId;
});
after(() => authority.close());

const username = (token) => {
  const c = decodeJwt(token.token);
  return c.preferred_username ?? c.upn;
};

test("getAccounts lists who signed in; signOut removes them and the next silent getToken needs a sign-in", async () => {
  const [ada] = authority.users;
  let signInAs = ada;
  const cred = new InteractiveBrowserCredential({
    authorityHost: authority.url,
    authorityCa: authority.ca,
    tenantId: tenant,
    disableAutomaticAuthentication: true,
    openBrowser: (url) => httpBrowser(authority, signInAs)(url),
  });
  assert.deepEqual(await cred.getAccounts(), []);
  const record = await cred.authenticate(SCOPE);
  const accounts = await cred.getAccounts();
  assert.equal(accounts.length, 1);
  assert.deepEqual(
    {
      username: accounts[0].username,
      homeAccountId: accounts[0].homeAccountId,
      tenantId: accounts[0].tenantId,
      authority: accounts[0].authority,
      sources: accounts[0].sources,
    },
    {
      username: record.username,
      homeAccountId: record.homeAccountId,
      tenantId: record.tenantId,
      authority: record.authority,
      sources: ["cache"],
    },
  );
  await cred.signOut(accounts[0]);
  assert.deepEqual(await cred.getAccounts(), []);
  await assert.rejects(cred.getToken(OTHER), AuthenticationRequiredError);
});

test("selectAccount makes later tokens silent for that account", async () => {
  const [ada, other] = authority.users;
  assert.ok(other, "the dev authority has a second user");
  let user = ada;
  const prompt = (info) =>
    void completeDeviceCodeOverHttp(info.verificationUri, info.userCode, {
      ca: authority.ca,
      username: user.username,
      password: user.password,
    }).catch(() => {});
  const cred = new DeviceCodeCredential({
    authorityHost: authority.url,
    authorityCa: authority.ca,
    tenantId: tenant,
    userPromptCallback: prompt,
  });
  await cred.authenticate(SCOPE);
  user = other;
  await cred.authenticate(SCOPE);
  assert.equal(username(await cred.getToken(OTHER)), other.username);
  const accounts = await cred.getAccounts();
  assert.deepEqual(accounts.map((a) => a.username).sort(), [ada.username, other.username].sort());
  authority.resetCounters();
  cred.selectAccount(accounts.find((a) => a.username === ada.username));
  assert.equal(username(await cred.getToken(OTHER)), ada.username);
  assert.equal(authority.counters.devicecode, 0, "no sign-in: the refresh token of the selected account");
});
