import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { DevAuthority } from "entra-broker-devtools";
import { completeDeviceCodeOverHttp } from "../helpers/devAuthorityBrowser.mjs";
import { call, CLIENT, decodeJwt } from "./util.mjs";

let authority;
before(async () => {
  authority = await DevAuthority.start({ deviceCodeIntervalSeconds: 2, deviceCodeLifetimeSeconds: 60 });
});
after(() => authority.close());

const ada = { username: "ada@contoso.example", password: "ada-password" };
const SCOPE = "openid profile offline_access https://graph.microsoft.com/User.Read";

const start = (tenant = "organizations", extra = {}) =>
  call(authority, "POST", `/${tenant}/oauth2/v2.0/devicecode`, { client_id: CLIENT, scope: SCOPE, ...extra });
const poll = (deviceCode, tenant = "organizations") =>
  call(authority, "POST", `/${tenant}/oauth2/v2.0/token`, {
    grant_type: "urn:ietf:params:oauth:grant-type:device_code",
    client_id: CLIENT,
    device_code: deviceCode,
    client_info: "1",
  });

test("device code: pending, approved through the page, then redeemed once", async () => {
  const dc = await start();
  assert.equal(dc.status, 200, dc.text);
  const d = dc.json;
  assert.equal(d.verification_uri, `${authority.url}/devicelogin`);
  assert.equal(d.interval, 2);
  assert.equal(d.expires_in, 60);
  assert.match(d.user_code, /^[A-Z0-9]{6,}$/);
  assert.equal(
    d.message,
    `To sign in, use a web browser to open the page ${authority.url}/devicelogin and enter the code ${d.user_code} to authenticate.`,
  );
  const pending = await poll(d.device_code);
  assert.equal(pending.status, 400);
  assert.equal(pending.json.error, "authorization_pending");
  const done = await completeDeviceCodeOverHttp(d.verification_uri, d.user_code, { ca: authority.ca, ...ada });
  assert.equal(done.result, "approved");
  assert.match(done.text, /close this window/);
  const ok = await poll(d.device_code);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(decodeJwt(ok.json.id_token).payload.preferred_username, ada.username);
  assert.ok(ok.json.refresh_token && ok.json.client_info);
  const again = await poll(d.device_code);
  assert.equal(again.status, 400);
  // The same user code cannot be used twice.
  await assert.rejects(completeDeviceCodeOverHttp(d.verification_uri, d.user_code, { ca: authority.ca, ...ada }), /AADSTS70019/);
});

test("device code: declined, bad code, bad verification code, expired", async () => {
  const d = (await start()).json;
  const declined = await completeDeviceCodeOverHttp(d.verification_uri, d.user_code, { ca: authority.ca, cancel: true });
  assert.equal(declined.result, "declined");
  assert.equal((await poll(d.device_code)).json.error, "authorization_declined");
  await assert.rejects(completeDeviceCodeOverHttp(d.verification_uri, "NOPE12345", { ca: authority.ca, ...ada }), /AADSTS70018/);
  assert.equal((await poll("not-a-device-code")).json.error, "bad_verification_code");
  const declinedConsent = (await start()).json;
  const r = await completeDeviceCodeOverHttp(declinedConsent.verification_uri, declinedConsent.user_code, {
    ca: authority.ca,
    username: "grace@contoso.example",
    password: "grace-password",
    consent: false,
  });
  assert.equal(r.result, "declined");

  const short = await DevAuthority.start({ deviceCodeLifetimeSeconds: 1 });
  try {
    const s = (await call(short, "POST", "/organizations/oauth2/v2.0/devicecode", { client_id: CLIENT, scope: SCOPE })).json;
    await sleep(1200);
    const res = await call(short, "POST", "/organizations/oauth2/v2.0/token", {
      grant_type: "urn:ietf:params:oauth:grant-type:device_code",
      client_id: CLIENT,
      device_code: s.device_code,
    });
    assert.equal(res.json.error, "expired_token");
    await assert.rejects(completeDeviceCodeOverHttp(s.verification_uri, s.user_code, { ca: short.ca, ...ada }), /expired/);
  } finally {
    await short.close();
  }
});

test("device code at a tenant: a user from elsewhere is refused; the token is for that tenant", async () => {
  const fabrikam = authority.tenants.find((t) => t.domain === "fabrikam.example");
  const d = (await start("fabrikam.example")).json;
  await assert.rejects(
    completeDeviceCodeOverHttp(d.verification_uri, d.user_code, {
      ca: authority.ca,
      username: "grace@contoso.example",
      password: "grace-password",
    }),
    /AADSTS50020/,
  );
  const done = await completeDeviceCodeOverHttp(d.verification_uri, d.user_code, { ca: authority.ca, ...ada });
  assert.equal(done.result, "approved");
  const ok = await poll(d.device_code, "fabrikam.example");
  assert.equal(decodeJwt(ok.json.access_token).payload.tid, fabrikam.tenantId);
  const bad = await start("organizations", { scope: "" });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error, "invalid_scope");
});
