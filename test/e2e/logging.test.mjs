import { test, before, after } from "node:test";
import assert from "node:assert/strict";
// The ESM build of @azure/logger, as an ESM app imports it: entra-broker's ESM entry logs through it.
import { AzureLogger, setLogLevel } from "@azure/logger";
import { DevAuthority } from "entra-broker-devtools";
import { InteractiveBrowserCredential } from "entra-broker";
import { httpBrowser } from "../helpers/signIn.mjs";

const SCOPE = "https://graph.microsoft.com/.default";
let authority;
let lines = [];
const original = AzureLogger.log;

before(async () => {
  authority = await DevAuthority.start();
  setLogLevel("verbose");
  AzureLogger.log = (...args) => lines.push(args.join(" "));
});
after(async () => {
  AzureLogger.log = original;
  setLogLevel("warning");
  await authority.close();
});

function browserCredential(loggingOptions) {
  return new InteractiveBrowserCredential({
    authorityHost: authority.url,
    authorityCa: authority.ca,
    tenantId: authority.tenants[0].tenantId,
    openBrowser: httpBrowser(authority, authority.users[0]),
    loggingOptions,
  });
}

async function signIn(enableUnsafeSupportLogging, allowLoggingAccountIdentifiers = false) {
  lines = [];
  const user = authority.users[0];
  const token = await browserCredential({ enableUnsafeSupportLogging, allowLoggingAccountIdentifiers }).getToken(SCOPE);
  return { token, user, text: lines.join("\n") };
}

test("no token in the logs and usernames redacted by default", async () => {
  const { token, user, text } = await signIn(false);
  assert.ok(text.length > 0, "something was logged");
  assert.ok(!text.includes(token.token), "no access token");
  assert.ok(!text.includes(token.token.split(".")[2]), "no token signature");
  assert.ok(!text.includes(user.username), "username redacted");
  assert.match(text, /<redacted>/);
});

test("enableUnsafeSupportLogging shows the username, still no token", async () => {
  const { token, user, text } = await signIn(true);
  assert.ok(text.includes(user.username));
  assert.ok(!text.includes(token.token));
});

test("allowLoggingAccountIdentifiers logs who signed in (client, tenant, UPN, object id), still no token", async () => {
  const { token, user, text } = await signIn(false, true);
  const line = text.split("\n").find((l) => l.includes("[Authenticated account]"));
  assert.ok(line, "the account line is logged");
  assert.ok(line.includes(authority.tenants[0].tenantId) && line.includes(user.username), line);
  assert.ok(!text.includes(token.token));
  const { text: quiet } = await signIn(false, false);
  assert.ok(!quiet.includes("[Authenticated account]"), "not without the option");
});

test("verbose, unsafe logging: no authorization code, verifier, refresh token, device code or any JWT through sign-in and refresh", async () => {
  const { DeviceCodeCredential } = await import("entra-broker");
  const { completeDeviceCodeOverHttp } = await import("../helpers/devAuthorityBrowser.mjs");
  const { text: browser } = await signIn(true);
  // A claims request makes msal skip its cached access token and redeem the refresh token.
  lines = [];
  const user = authority.users[0];
  const cred = browserCredential({ enableUnsafeSupportLogging: true });
  await cred.getToken(SCOPE);
  const refreshes = authority.counters.tokenByGrant.refresh_token ?? 0;
  await cred.getToken(SCOPE, { claims: JSON.stringify({ access_token: { nbf: { essential: true, value: "1" } } }) });
  assert.equal(authority.counters.tokenByGrant.refresh_token, refreshes + 1, "the refresh token was redeemed");
  const device = new DeviceCodeCredential({
    authorityHost: authority.url,
    authorityCa: authority.ca,
    tenantId: authority.tenants[0].tenantId,
    loggingOptions: { enableUnsafeSupportLogging: true },
    timeout: 60_000,
    userPromptCallback: (info) =>
      void completeDeviceCodeOverHttp(info.verificationUri, info.userCode, {
        ca: authority.ca,
        username: user.username,
        password: user.password,
      }).catch(() => {}),
  });
  await device.getToken(SCOPE);
  const text = `${browser}\n${lines.join("\n")}`;
  assert.ok(text.includes(user.username), "unsafe logging is on");
  for (const secret of [/dev\.code\./, /dev\.rt\./, /dev\.dc\./, /code_verifier/, /eyJ[\w-]{8,}\.[\w-]{8,}/]) {
    assert.doesNotMatch(text, secret);
  }
});
