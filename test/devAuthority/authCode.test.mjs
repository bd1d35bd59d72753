import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { DevAuthority } from "entra-broker-devtools";
import { createCookieJar, signInOverHttp } from "../helpers/devAuthorityBrowser.mjs";
import { authorizeUrl, call, CLIENT, decodeJwt, pkce, redeem, REDIRECT } from "./util.mjs";

let authority;
before(async () => {
  authority = await DevAuthority.start();
});
after(() => authority.close());

const ada = { username: "ada@contoso.example", password: "ada-password" };

test("auth code + PKCE sign-in through the real pages gives tokens with client_info", async () => {
  const { verifier, challenge } = pkce();
  const url = authorizeUrl(authority, { challenge, state: "s-123", extra: { nonce: "n-1" } });
  const final = new URL(await signInOverHttp(url, { ca: authority.ca, ...ada }));
  assert.equal(final.origin + final.pathname, REDIRECT);
  assert.equal(final.searchParams.get("state"), "s-123");
  const code = final.searchParams.get("code");
  assert.ok(code);
  const res = await redeem(authority, { code, verifier });
  assert.equal(res.status, 200, res.text);
  const t = res.json;
  assert.equal(t.token_type, "Bearer");
  assert.equal(t.expires_in, 3600);
  assert.equal(t.refresh_in, 1800);
  assert.ok(t.refresh_token);
  const user = authority.users.find((u) => u.username === "ada@contoso.example");
  assert.deepEqual(JSON.parse(Buffer.from(t.client_info, "base64url")), { uid: user.objectId, utid: user.homeTenantId });
  const id = decodeJwt(t.id_token);
  assert.equal(id.header.alg, "ES256");
  assert.ok(id.header.kid);
  assert.equal(id.payload.aud, CLIENT);
  assert.equal(id.payload.nonce, "n-1");
  assert.equal(id.payload.tid, user.homeTenantId);
  assert.equal(id.payload.iss, `${authority.url}/${user.homeTenantId}/v2.0`);
  assert.equal(id.payload.preferred_username, "ada@contoso.example");
  assert.equal(id.payload.ver, "2.0");
  const at = decodeJwt(t.access_token).payload;
  assert.equal(at.aud, "https://graph.microsoft.com");
  assert.equal(at.scp, "User.Read");
  assert.equal(at.appid, CLIENT);
  assert.equal(at.oid, user.objectId);
  assert.equal(at.exp - at.iat, 3600);
  assert.equal(at.xms_cc, undefined);
});

test("the signature verifies against the JWKS", async () => {
  const { createPublicKey, verify } = await import("node:crypto");
  const { challenge, verifier } = pkce();
  const final = new URL(await signInOverHttp(authorizeUrl(authority, { challenge }), { ca: authority.ca, ...ada }));
  const t = (await redeem(authority, { code: final.searchParams.get("code"), verifier })).json;
  const jwks = (await call(authority, "GET", "/organizations/discovery/v2.0/keys")).json;
  const [h, p, s] = t.access_token.split(".");
  const key = jwks.keys.find((k) => k.kid === decodeJwt(t.access_token).header.kid);
  assert.ok(key);
  const ok = verify(
    "sha256",
    Buffer.from(`${h}.${p}`),
    { key: createPublicKey({ key, format: "jwk" }), dsaEncoding: "ieee-p1363" },
    Buffer.from(s, "base64url"),
  );
  assert.equal(ok, true);
  const tampered = verify(
    "sha256",
    Buffer.from(`${h}.${p}x`),
    { key: createPublicKey({ key, format: "jwk" }), dsaEncoding: "ieee-p1363" },
    Buffer.from(s, "base64url"),
  );
  assert.equal(tampered, false);
});

test("a wrong verifier, a reused code and a wrong redirect_uri are rejected", async () => {
  const { verifier, challenge } = pkce();
  let final = new URL(await signInOverHttp(authorizeUrl(authority, { challenge }), { ca: authority.ca, ...ada }));
  const wrong = await redeem(authority, { code: final.searchParams.get("code"), verifier: pkce().verifier });
  assert.equal(wrong.status, 400);
  assert.equal(wrong.json.error, "invalid_grant");
  assert.deepEqual(wrong.json.error_codes, [50148]);
  assert.match(wrong.json.error_description, /^AADSTS50148: /);
  assert.ok(wrong.json.trace_id && wrong.json.correlation_id && wrong.json.timestamp);

  final = new URL(await signInOverHttp(authorizeUrl(authority, { challenge }), { ca: authority.ca, ...ada }));
  const code = final.searchParams.get("code");
  assert.equal((await redeem(authority, { code, verifier })).status, 200);
  const reuse = await redeem(authority, { code, verifier });
  assert.equal(reuse.status, 400);
  assert.equal(reuse.json.error, "invalid_grant");

  final = new URL(await signInOverHttp(authorizeUrl(authority, { challenge }), { ca: authority.ca, ...ada }));
  const redirect = await redeem(authority, { code: final.searchParams.get("code"), verifier, redirectUri: "http://localhost:9/other" });
  assert.equal(redirect.status, 400);
  assert.equal(redirect.json.error, "invalid_grant");

  final = new URL(await signInOverHttp(authorizeUrl(authority, { challenge }), { ca: authority.ca, ...ada }));
  const noVerifier = await redeem(authority, { code: final.searchParams.get("code") });
  assert.equal(noVerifier.status, 400);

  final = new URL(await signInOverHttp(authorizeUrl(authority, { challenge }), { ca: authority.ca, ...ada }));
  const otherClient = await redeem(authority, {
    code: final.searchParams.get("code"),
    verifier,
    clientId: "99999999-2222-3333-4444-555555555555",
  });
  assert.equal(otherClient.status, 400);
});

test("authorize validates its input: plain PKCE, bad redirect_uri, unknown tenant", async () => {
  const plain = new URL(authorizeUrl(authority, { extra: { code_challenge: "x".repeat(43), code_challenge_method: "plain" } }));
  const res = await call(authority, "GET", plain.pathname + plain.search);
  assert.equal(res.status, 302);
  const loc = new URL(res.headers.location);
  assert.equal(loc.searchParams.get("error"), "invalid_request");

  const bad = new URL(authorizeUrl(authority, { redirectUri: "javascript:alert(1)" }));
  const r2 = await call(authority, "GET", bad.pathname + bad.search);
  assert.equal(r2.status, 400);
  assert.equal(r2.headers.location, undefined);
  assert.match(r2.text, /id="error"/);

  const unknown = new URL(authorizeUrl(authority, { tenant: "nobody.example" }));
  const r3 = await call(authority, "GET", unknown.pathname + unknown.search);
  assert.equal(r3.status, 400);
  assert.match(r3.text, /AADSTS90002/);
});

test("wrong password shows the form again with an error and no redirect", async () => {
  await assert.rejects(
    signInOverHttp(authorizeUrl(authority, { challenge: pkce().challenge }), {
      ca: authority.ca,
      username: ada.username,
      password: "nope",
    }),
    /AADSTS50126/,
  );
  const first = new URL(authorizeUrl(authority, { challenge: pkce().challenge }));
  const page = await call(authority, "GET", first.pathname + first.search);
  const flow = page.text.match(/name="flow" value="([^"]+)"/)[1];
  const post = await call(authority, "POST", "/signin", { flow, username: ada.username, password: "bad", action: "sign-in" });
  assert.equal(post.status, 200);
  assert.equal(post.headers.location, undefined);
  assert.match(post.text, /id="error"/);
  assert.match(post.text, /id="password"/);
});

test("a user outside the tenant cannot sign in there", async () => {
  const contoso = authority.tenants.find((t) => t.domain === "contoso.example");
  await assert.rejects(
    signInOverHttp(authorizeUrl(authority, { tenant: contoso.tenantId, challenge: pkce().challenge }), {
      ca: authority.ca,
      username: "linus@fabrikam.example",
      password: "linus-password",
    }),
    /AADSTS50020/,
  );
});

test("cancel on any page redirects with access_denied and the state", async () => {
  const final = new URL(await signInOverHttp(authorizeUrl(authority, { state: "c-1" }), { ca: authority.ca, cancel: true }));
  assert.equal(final.searchParams.get("error"), "access_denied");
  assert.equal(final.searchParams.get("state"), "c-1");
  assert.ok(final.searchParams.get("error_description"));
  assert.equal(final.searchParams.get("code"), null);
  const declined = new URL(
    await signInOverHttp(authorizeUrl(authority, { clientId: "cccccccc-0000-0000-0000-000000000001", state: "c-2" }), {
      ca: authority.ca,
      ...ada,
      consent: false,
    }),
  );
  assert.equal(declined.searchParams.get("error"), "access_denied");
  assert.match(declined.searchParams.get("error_description"), /AADSTS65004/);
});

test("consent is remembered per user, client and scopes; prompt=consent forces it", async () => {
  const clientId = "dddddddd-0000-0000-0000-000000000001";
  const pages = [];
  const jar = createCookieJar();
  const run = async (extra = {}, scope) => {
    const before = authority.counters.authorize;
    const url = authorizeUrl(authority, { clientId, challenge: pkce().challenge, extra, ...(scope ? { scope } : {}) });
    // consent: false cancels if a consent page appears, so a code means no consent page was shown.
    const final = new URL(await signInOverHttp(url, { ca: authority.ca, ...ada, consent: false, cookieJar: jar }));
    pages.push(authority.counters.authorize - before);
    return final.searchParams;
  };
  assert.equal((await run()).get("error"), "access_denied"); // never consented
  const ok = new URL(await signInOverHttp(authorizeUrl(authority, { clientId }), { ca: authority.ca, ...ada, consent: true }));
  assert.ok(ok.searchParams.get("code"));
  assert.ok((await run()).get("code"), "consent remembered");
  assert.equal((await run({ prompt: "consent" })).get("error"), "access_denied", "prompt=consent forces the page");
  assert.equal(
    (await run({}, "openid offline_access https://graph.microsoft.com/Mail.Read")).get("error"),
    "access_denied",
    "new scope asks again",
  );
  assert.equal(pages.length, 4);
});

test("session cookie: account picker, SSO by tile, prompt=none and login_hint", async () => {
  const jar = createCookieJar();
  const none = new URL(await signInOverHttp(authorizeUrl(authority, { extra: { prompt: "none" } }), { ca: authority.ca, cookieJar: jar }));
  assert.equal(none.searchParams.get("error"), "login_required");
  const first = new URL(await signInOverHttp(authorizeUrl(authority), { ca: authority.ca, ...ada, cookieJar: jar }));
  assert.ok(first.searchParams.get("code"));
  // Second time: the picker shows ada's tile; picking it needs no password.
  const second = new URL(await signInOverHttp(authorizeUrl(authority), { ca: authority.ca, account: ada.username, cookieJar: jar }));
  assert.ok(second.searchParams.get("code"));
  const silent = new URL(
    await signInOverHttp(authorizeUrl(authority, { extra: { prompt: "none" } }), { ca: authority.ca, cookieJar: jar }),
  );
  assert.ok(silent.searchParams.get("code"));
  const hinted = new URL(
    await signInOverHttp(authorizeUrl(authority, { extra: { login_hint: ada.username } }), { ca: authority.ca, cookieJar: jar }),
  );
  assert.ok(hinted.searchParams.get("code"), "login_hint of a signed-in account signs in without a page");
  // A tile for an account not in the session does not exist.
  await assert.rejects(
    signInOverHttp(authorizeUrl(authority), { ca: authority.ca, account: "grace@contoso.example", cookieJar: jar }),
    /no account tile/,
  );
  // "Use another account" and grace's password.
  const grace = new URL(
    await signInOverHttp(authorizeUrl(authority), {
      ca: authority.ca,
      username: "grace@contoso.example",
      password: "grace-password",
      cookieJar: jar,
    }),
  );
  const { verifier, challenge } = pkce();
  const g = new URL(
    await signInOverHttp(authorizeUrl(authority, { challenge, extra: { login_hint: "grace@contoso.example" } }), {
      ca: authority.ca,
      cookieJar: jar,
    }),
  );
  const tokens = await redeem(authority, { code: g.searchParams.get("code"), verifier });
  assert.equal(decodeJwt(tokens.json.id_token).payload.preferred_username, "grace@contoso.example");
  assert.ok(grace.searchParams.get("code"));
  // prompt=login always asks for the password.
  await assert.rejects(
    signInOverHttp(authorizeUrl(authority, { extra: { prompt: "login" } }), { ca: authority.ca, cookieJar: jar }),
    /password/,
  );
});

test("form_post response mode posts code and state to the redirect URI", async () => {
  const http = await import("node:http");
  let posted;
  const server = http.createServer((req, res) => {
    let b = "";
    req.on("data", (d) => (b += d));
    req.on("end", () => {
      posted = { method: req.method, type: req.headers["content-type"], body: new URLSearchParams(b) };
      res.end("ok");
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  try {
    const redirectUri = `http://localhost:${server.address().port}/`;
    const url = authorizeUrl(authority, { redirectUri, state: "fp-1", extra: { response_mode: "form_post" } });
    const final = new URL(await signInOverHttp(url, { ca: authority.ca, ...ada }));
    assert.equal(posted.method, "POST");
    assert.equal(posted.type, "application/x-www-form-urlencoded");
    assert.equal(posted.body.get("state"), "fp-1");
    assert.equal(posted.body.get("code"), final.searchParams.get("code"));
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

test("input is never echoed unescaped into the pages", async () => {
  const evil = `"><script>alert(1)</script>`;
  const url = new URL(authorizeUrl(authority, { extra: { login_hint: evil } }));
  const page = await call(authority, "GET", url.pathname + url.search);
  assert.equal(page.status, 200);
  assert.ok(!page.text.includes("<script>alert(1)"));
  assert.match(page.text, /&lt;script&gt;/);
  assert.match(page.headers["content-security-policy"], /default-src 'none'/);
  const flow = page.text.match(/name="flow" value="([^"]+)"/)[1];
  const post = await call(authority, "POST", "/signin", { flow, username: evil, password: "x", action: "sign-in" });
  assert.ok(!post.text.includes("<script>alert(1)"));
  const forged = await call(authority, "POST", "/signin", { flow: "<b>nope</b>", action: "sign-in" });
  assert.equal(forged.status, 400);
  assert.ok(!forged.text.includes("<b>nope"));
});
