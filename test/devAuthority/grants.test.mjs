import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { DevAuthority } from "entra-broker-devtools";
import { signInOverHttp } from "../helpers/devAuthorityBrowser.mjs";
import { authorizeUrl, call, CLIENT, decodeJwt, pkce, redeem } from "./util.mjs";

let authority;
before(async () => {
  authority = await DevAuthority.start({ clients: [{ clientId: "conf-client", clientSecret: "s3cret" }] });
});
after(() => authority.close());

const ada = { username: "ada@contoso.example", password: "ada-password" };
const tenant = (d) => authority.tenants.find((t) => t.domain === d);

async function signIn(extra = {}, user = ada) {
  const { verifier, challenge } = pkce();
  const final = new URL(await signInOverHttp(authorizeUrl(authority, { challenge, ...extra }), { ca: authority.ca, ...user }));
  const res = await redeem(authority, { code: final.searchParams.get("code"), verifier, ...extra });
  assert.equal(res.status, 200, res.text);
  return res.json;
}

function refresh(
  rt,
  {
    tenantSeg = "organizations",
    scope = "openid profile offline_access https://graph.microsoft.com/User.Read",
    claims,
    clientId = CLIENT,
  } = {},
) {
  const form = { grant_type: "refresh_token", client_id: clientId, refresh_token: rt, scope, client_info: "1" };
  if (claims) form.claims = claims;
  return call(authority, "POST", `/${tenantSeg}/oauth2/v2.0/token`, form);
}

function ropc(form, tenantSeg = "organizations") {
  return call(authority, "POST", `/${tenantSeg}/oauth2/v2.0/token`, {
    grant_type: "password",
    client_id: CLIENT,
    scope: "openid profile offline_access https://graph.microsoft.com/.default",
    ...form,
  });
}

test("refresh token grant rotates, honours scope, and gives tokens for another tenant of the user", async () => {
  const t = await signIn();
  const r1 = await refresh(t.refresh_token, { scope: "openid offline_access api://my-api/Things.Read" });
  assert.equal(r1.status, 200, r1.text);
  assert.notEqual(r1.json.refresh_token, t.refresh_token);
  const at = decodeJwt(r1.json.access_token).payload;
  assert.equal(at.aud, "api://my-api");
  assert.equal(at.scp, "Things.Read");
  assert.equal(at.tid, tenant("contoso.example").tenantId);
  const fabrikam = tenant("fabrikam.example");
  const r2 = await refresh(r1.json.refresh_token, { tenantSeg: fabrikam.tenantId });
  assert.equal(r2.status, 200, r2.text);
  assert.equal(decodeJwt(r2.json.access_token).payload.tid, fabrikam.tenantId);
  assert.equal(decodeJwt(r2.json.id_token).payload.iss, `${authority.url}/${fabrikam.tenantId}/v2.0`);
  // grace is not a member of fabrikam.
  const g = await signIn({}, { username: "grace@contoso.example", password: "grace-password" });
  const r3 = await refresh(g.refresh_token, { tenantSeg: "fabrikam.example" });
  assert.equal(r3.status, 400);
  assert.equal(r3.json.error, "invalid_grant");
  assert.deepEqual(r3.json.error_codes, [50020]);
  // Garbage and another client's token.
  assert.equal((await refresh("garbage")).json.error, "invalid_grant");
  assert.equal((await refresh(t.refresh_token, { clientId: "other-client" })).json.error, "invalid_grant");
  // More than one resource.
  const two = await refresh(t.refresh_token, { scope: "https://graph.microsoft.com/User.Read api://x/y" });
  assert.equal(two.status, 400);
  assert.deepEqual(two.json.error_codes, [28000]);
});

test("no refresh token without offline_access", async () => {
  const res = await ropc({ ...ada, scope: "openid profile https://graph.microsoft.com/User.Read" });
  assert.equal(res.status, 200);
  assert.equal(res.json.refresh_token, undefined);
  assert.ok(res.json.id_token);
});

test("ROPC (password grant)", async () => {
  const ok = await ropc(ada);
  assert.equal(ok.status, 200, ok.text);
  const at = decodeJwt(ok.json.access_token).payload;
  assert.equal(at.upn, ada.username);
  assert.equal(at.scp, "user_impersonation");
  const bad = await ropc({ ...ada, password: "wrong" });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error, "invalid_grant");
  assert.deepEqual(bad.json.error_codes, [50126]);
  assert.match(bad.json.error_description, /^AADSTS50126: /);
  const unknown = await ropc({ username: "nobody@contoso.example", password: "x" });
  assert.deepEqual(unknown.json.error_codes, [50034]);
  const wrongTenant = await ropc({ username: "linus@fabrikam.example", password: "linus-password" }, "contoso.example");
  assert.deepEqual(wrongTenant.json.error_codes, [50020]);
  const missing = await call(authority, "POST", "/organizations/oauth2/v2.0/token", { grant_type: "password", client_id: CLIENT });
  assert.equal(missing.status, 400);
  assert.equal(missing.json.error, "invalid_request");
  const unsupported = await call(authority, "POST", "/organizations/oauth2/v2.0/token", { grant_type: "bogus", client_id: CLIENT });
  assert.equal(unsupported.json.error, "unsupported_grant_type");
});

test("confidential client: secret checked (body or Basic), 401 invalid_client otherwise", async () => {
  const base = {
    grant_type: "password",
    client_id: "conf-client",
    scope: "openid offline_access https://graph.microsoft.com/.default",
    ...ada,
  };
  const ok = await call(authority, "POST", "/organizations/oauth2/v2.0/token", { ...base, client_secret: "s3cret" });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(decodeJwt(ok.json.access_token).payload.azpacr, "1");
  const basic = await call(authority, "POST", "/organizations/oauth2/v2.0/token", base, {
    authorization: "Basic " + Buffer.from("conf-client:s3cret").toString("base64"),
  });
  assert.equal(basic.status, 200, basic.text);
  const bad = await call(authority, "POST", "/organizations/oauth2/v2.0/token", { ...base, client_secret: "nope" });
  assert.equal(bad.status, 401);
  assert.equal(bad.json.error, "invalid_client");
  assert.deepEqual(bad.json.error_codes, [7000215]);
  const none = await call(authority, "POST", "/organizations/oauth2/v2.0/token", base);
  assert.equal(none.status, 401);
  const publicWithSecret = await ropc({ ...ada, client_secret: "x" });
  assert.equal(publicWithSecret.status, 401);
});

test("revokeSessions: refresh tokens stop working with invalid_grant, and the browser session ends", async () => {
  const t = await signIn();
  assert.equal((await refresh(t.refresh_token)).status, 200);
  authority.revokeSessions(ada.username);
  const res = await refresh(t.refresh_token);
  assert.equal(res.status, 400);
  assert.equal(res.json.error, "invalid_grant");
  assert.deepEqual(res.json.error_codes, [50173]);
  const fresh = await signIn();
  assert.equal((await refresh(fresh.refresh_token)).status, 200, "a sign-in after revocation works");
});

test("token lifetime and refresh_in follow the options and setTokenLifetime", async () => {
  authority.setTokenLifetime(4);
  try {
    const t = (await ropc(ada)).json;
    assert.equal(t.expires_in, 4);
    assert.equal(t.refresh_in, 2);
    const at = decodeJwt(t.access_token).payload;
    assert.equal(at.exp - at.iat, 4);
    authority.setTokenLifetime(10, 3);
    const t2 = (await ropc(ada)).json;
    assert.equal(t2.expires_in, 10);
    assert.equal(t2.refresh_in, 3);
  } finally {
    authority.setTokenLifetime(3600);
  }
  const other = await DevAuthority.start({ accessTokenLifetimeSeconds: 120, refreshInSeconds: 7 });
  try {
    const res = await call(other, "POST", "/organizations/oauth2/v2.0/token", {
      grant_type: "password",
      client_id: CLIENT,
      scope: "openid offline_access User.Read",
      ...ada,
    });
    assert.equal(res.json.expires_in, 120);
    assert.equal(res.json.refresh_in, 7);
  } finally {
    await other.close();
  }
});

test("CAE: xms_cc from the claims request; an nbf claims challenge on refresh just issues a token", async () => {
  const cp1 = JSON.stringify({ access_token: { xms_cc: { values: ["cp1"] } } });
  const t = await signIn({ extra: { claims: cp1 } });
  assert.deepEqual(decodeJwt(t.access_token).payload.xms_cc, ["cp1"]);
  const challenge = JSON.stringify({ access_token: { nbf: { essential: true, value: "1700000000" }, xms_cc: { values: ["cp1"] } } });
  const r = await refresh(t.refresh_token, { claims: challenge });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(decodeJwt(r.json.access_token).payload.xms_cc, ["cp1"]);
  const plain = await ropc(ada);
  assert.equal(decodeJwt(plain.json.access_token).payload.xms_cc, undefined);
  const malformed = await refresh(t.refresh_token, { claims: "{not json" });
  assert.equal(malformed.status, 400);
  assert.equal(malformed.json.error, "invalid_request");
});

test("step-up: acrs claims need the MFA page; refresh with such claims is interaction_required", async () => {
  const acrs = JSON.stringify({ access_token: { acrs: { essential: true, value: "c1" } } });
  const t0 = await signIn();
  authority.stepUp = true;
  try {
    const r = await refresh(t0.refresh_token, { claims: acrs });
    assert.equal(r.status, 400);
    assert.equal(r.json.error, "interaction_required");
    assert.deepEqual(r.json.error_codes, [50076]);
    assert.equal(r.json.claims, acrs);
    assert.equal((await refresh(t0.refresh_token)).status, 200, "without claims refresh still works");
    // A wrong MFA code is refused, then the right one works.
    await assert.rejects(
      signInOverHttp(authorizeUrl(authority, { extra: { claims: acrs } }), { ca: authority.ca, ...ada, mfa: "000000x" }),
      /AADSTS50074/,
    );
    const cancelled = new URL(
      await signInOverHttp(authorizeUrl(authority, { extra: { claims: acrs } }), { ca: authority.ca, ...ada, mfa: false }),
    );
    assert.equal(cancelled.searchParams.get("error"), "access_denied");
    const t = await signIn({ extra: { claims: acrs } });
    assert.deepEqual(decodeJwt(t.access_token).payload.acrs, ["c1"]);
    const r2 = await refresh(t.refresh_token, { claims: acrs });
    assert.equal(r2.status, 200, "a refresh token from a stepped-up sign-in satisfies the claims");
    assert.deepEqual(decodeJwt(r2.json.access_token).payload.acrs, ["c1"]);
  } finally {
    authority.stepUp = false;
  }
  const t2 = await signIn({ extra: { claims: acrs } });
  assert.equal(decodeJwt(t2.access_token).payload.acrs, undefined, "no MFA page and no acrs when step-up mode is off");
});
