// Headless Chromium clicking through the real dev authority pages.
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, test } from "node:test";
import { DevAuthority } from "entra-broker-devtools";
import { chromiumAvailable, completeDeviceCodeWithChromium, launchChromium, signInWithChromium } from "../helpers/chromium.mjs";
import { authorizeUrl, call, CLIENT, pkce, redeem } from "./util.mjs";

let authority;
let browser;
let loopback;
let hits = [];

before(async () => {
  assert.ok(chromiumAvailable(), "/usr/bin/chromium is not installed (scripts/setup.sh installs Debian's chromium)");
  authority = await DevAuthority.start();
  browser = await launchChromium({ ca: authority.ca });
  loopback = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      hits.push({ method: req.method, url: req.url, body });
      res.setHeader("content-type", "text/html");
      res.end("<p>signed in, you can close this window</p>");
    });
  });
  await new Promise((r) => loopback.listen(0, "127.0.0.1", r));
});

after(async () => {
  await browser?.close();
  loopback?.closeAllConnections();
  await new Promise((r) => (loopback ? loopback.close(r) : r()));
  await authority?.close();
});

const ada = { username: "ada@contoso.example", password: "ada-password" };

test("Chromium signs in through the authorize pages and lands on the redirect URI with a code", { timeout: 120000 }, async () => {
  const redirectUri = `http://localhost:${loopback.address().port}/cb`;
  const { verifier, challenge } = pkce();
  const url = authorizeUrl(authority, { redirectUri, challenge, state: "chromium-1" });
  const final = new URL(await signInWithChromium(browser, url, ada));
  assert.equal(final.pathname, "/cb");
  assert.equal(final.searchParams.get("state"), "chromium-1");
  const code = final.searchParams.get("code");
  assert.ok(code);
  assert.ok(
    hits.some((h) => h.url.includes(encodeURIComponent(code)) || h.url.includes(code)),
    "the browser reached our loopback",
  );
  const tokens = await redeem(authority, { code, verifier, redirectUri });
  assert.equal(tokens.status, 200, tokens.text);

  // Same browser: the picker shows ada; her tile signs in without a password. form_post this time.
  hits = [];
  const post = authorizeUrl(authority, {
    redirectUri: `http://localhost:${loopback.address().port}/`,
    state: "chromium-2",
    extra: { response_mode: "form_post" },
  });
  await signInWithChromium(browser, post, { account: ada.username });
  const posted = hits.find((h) => h.method === "POST");
  assert.ok(posted, "the form_post page posted to the redirect URI");
  assert.equal(new URLSearchParams(posted.body).get("state"), "chromium-2");
  assert.ok(new URLSearchParams(posted.body).get("code"));

  // Cancel.
  const cancelled = new URL(await signInWithChromium(browser, authorizeUrl(authority, { redirectUri, state: "c" }), { cancel: true }));
  assert.equal(cancelled.searchParams.get("error"), "access_denied");
});

test("Chromium completes the device code flow", { timeout: 120000 }, async () => {
  const d = (
    await call(authority, "POST", "/organizations/oauth2/v2.0/devicecode", { client_id: CLIENT, scope: "openid offline_access User.Read" })
  ).json;
  const done = await completeDeviceCodeWithChromium(browser, d.verification_uri, d.user_code, {
    username: "linus@fabrikam.example",
    password: "linus-password",
  });
  assert.equal(done.result, "approved");
  const token = await call(authority, "POST", "/organizations/oauth2/v2.0/token", {
    grant_type: "urn:ietf:params:oauth:grant-type:device_code",
    client_id: CLIENT,
    device_code: d.device_code,
  });
  assert.equal(token.status, 200, token.text);
});

test("Chromium refuses a certificate from another CA", { timeout: 120000 }, async () => {
  const other = await DevAuthority.start();
  try {
    const page = await browser.newPage();
    try {
      await assert.rejects(page.goto(`${other.url}/devicelogin`), /ERR_CERT|net::/);
    } finally {
      await page.close();
    }
  } finally {
    await other.close();
  }
});
