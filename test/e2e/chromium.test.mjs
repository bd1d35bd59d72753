// End to end in headless Debian Chromium: a person's clicks on the dev authority's real pages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DevAuthority } from "entra-broker-devtools";
import { InteractiveBrowserCredential, DeviceCodeCredential, AuthorizationCodeCredential, AuthenticationError } from "entra-broker";
import { authorizeUrl } from "../devAuthority/util.mjs";
import { launchChromium, signInWithChromium, completeDeviceCodeWithChromium, chromiumAvailable } from "../helpers/chromium.mjs";
import { getLoopback, decodeJwt } from "../helpers/signIn.mjs";

const SCOPE = "https://graph.microsoft.com/.default";
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let authority;
let browser;
let user;
let tenant;

before(async () => {
  assert.ok(chromiumAvailable(), "Debian chromium is not installed (/usr/bin/chromium); run scripts/setup.sh");
  authority = await DevAuthority.start();
  browser = await launchChromium({ ca: authority.ca });
  user = authority.users[0];
  tenant = authority.tenants[0].tenantId;
});
after(async () => {
  await browser?.close();
  await authority?.close();
});

/** The browser lands on our loopback server itself, as a user's browser would. */
function chromiumOpener(options = {}) {
  return async (url) => {
    await signInWithChromium(browser, url, { username: user.username, password: user.password, ...options });
  };
}

test("browser credential: Chromium signs in through the authorize page", async () => {
  const cred = new InteractiveBrowserCredential({
    authorityHost: authority.url,
    authorityCa: authority.ca,
    tenantId: tenant,
    openBrowser: chromiumOpener(),
  });
  const record = await cred.authenticate(SCOPE);
  assert.equal(record.username, user.username);
  const token = await cred.getToken(SCOPE);
  assert.equal(decodeJwt(token.token).tid, tenant);
});

test("browser credential: Cancel on the page is access_denied", async () => {
  const cred = new InteractiveBrowserCredential({
    authorityHost: authority.url,
    authorityCa: authority.ca,
    tenantId: tenant,
    openBrowser: chromiumOpener({ cancel: true }),
  });
  await assert.rejects(cred.getToken(SCOPE), (e) => e instanceof AuthenticationError && e.errorResponse.error === "access_denied");
});

test("device code credential: Chromium enters the code on the verification page", async () => {
  let page;
  const cred = new DeviceCodeCredential({
    authorityHost: authority.url,
    authorityCa: authority.ca,
    tenantId: tenant,
    userPromptCallback: (info) => {
      page = completeDeviceCodeWithChromium(browser, info.verificationUri, info.userCode, {
        username: user.username,
        password: user.password,
      });
    },
  });
  const token = await cred.getToken(SCOPE);
  assert.equal(decodeJwt(token.token).tid, tenant);
  assert.equal((await page).result, "approved");
});

test("authorization code credential: a code obtained through the page in Chromium", async () => {
  const clientId = "11111111-2222-3333-4444-555555555555";
  // The app's own redirect endpoint, where the browser lands with the code.
  const app = http.createServer((req, res) => res.end("ok")).listen(0, "127.0.0.1");
  await new Promise((r) => app.once("listening", r));
  const redirect = `http://localhost:${app.address().port}/`;
  const url = authorizeUrl(authority, {
    tenant,
    clientId,
    redirectUri: redirect,
    scope: `${SCOPE} offline_access openid profile`,
    state: "s1",
  });
  const landed = new URL(await signInWithChromium(browser, url, { username: user.username, password: user.password }));
  const code = landed.searchParams.get("code");
  assert.ok(code);
  const cred = new AuthorizationCodeCredential(tenant, clientId, code, redirect, {
    authorityHost: authority.url,
    authorityCa: authority.ca,
  });
  assert.equal(decodeJwt((await cred.getToken(SCOPE)).token).tid, tenant);
  app.close();
});

test("the demo signs in on a headless machine and serves the second token from memory", () => {
  const env = { ...process.env };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  const run = spawnSync(process.execPath, [path.join(root, "devtools/dist/cli/main.js"), "demo"], {
    env,
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assert.match(out.account.username, /@/);
  assert.equal(out.secondGetToken.servedFrom, "memory");
  assert.ok(!run.stdout.includes("eyJ"), "no token printed");
  assert.match(run.stderr, /headless Chromium/);
  assert.match(run.stderr, /signed in through the browser \(no broker/);
});
