// The dev authority's client_credentials grant with a client secret: scopes, tenant, the app-only
// token's claims, counters, faults, run-time registrations, and the password grant's confidential rules.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { DevAuthority } from "entra-broker-devtools";
import { call, decodeJwt } from "./util.mjs";

const APP = "aaaaaaaa-1111-4222-8333-444444444444";
const SECRET = "app-secret~value";
let authority;
let tenantId;

before(async () => {
  authority = await DevAuthority.start({
    clients: [{ clientId: APP, clientSecret: SECRET, roles: ["Things.Read.All"], objectId: "0b0b0b0b-0000-4000-8000-000000000001" }],
  });
  tenantId = authority.tenants[0].tenantId;
});
after(() => authority.close());

function cc(form, tenantSeg = tenantId, headers) {
  return call(authority, "POST", `/${tenantSeg}/oauth2/v2.0/token`, { grant_type: "client_credentials", ...form }, headers);
}
const GRAPH = "https://graph.microsoft.com/.default";

test("a client secret gets an app-only token: service principal oid/sub, appid, azp, idtyp app, roles, tid; no refresh or id token", async () => {
  authority.resetCounters();
  const res = await cc({ client_id: APP, client_secret: SECRET, scope: GRAPH });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.token_type, "Bearer");
  assert.equal(res.json.expires_in, 3600);
  assert.equal(res.json.refresh_token, undefined);
  assert.equal(res.json.id_token, undefined);
  assert.equal(res.json.client_info, undefined);
  const { payload } = decodeJwt(res.json.access_token);
  assert.equal(payload.aud, "https://graph.microsoft.com");
  assert.equal(payload.iss, `${authority.url}/${tenantId}/v2.0`);
  assert.equal(payload.tid, tenantId);
  assert.equal(payload.oid, "0b0b0b0b-0000-4000-8000-000000000001");
  assert.equal(payload.sub, payload.oid);
  assert.equal(payload.appid, APP);
  assert.equal(payload.azp, APP);
  assert.equal(payload.azpacr, "1");
  assert.equal(payload.idtyp, "app");
  assert.deepEqual(payload.roles, ["Things.Read.All"]);
  assert.equal(payload.scp, undefined);
  assert.equal(payload.upn, undefined);
  assert.equal(authority.counters.tokenByGrant.client_credentials, 1);
  assert.equal(authority.counters.tokenByClientAuth.secret, 1);
  assert.equal(authority.counters.tokenByClientAuth.certificate, 0);
});

test("HTTP Basic client authentication works; the tenant may be named by its domain", async () => {
  const basic = "Basic " + Buffer.from(`${encodeURIComponent(APP)}:${encodeURIComponent(SECRET)}`).toString("base64");
  const res = await cc({ scope: "api://my-api/.default" }, authority.tenants[0].domain, { authorization: basic });
  assert.equal(res.status, 200, res.text);
  assert.equal(decodeJwt(res.json.access_token).payload.aud, "api://my-api");
});

test("a wrong or missing secret is invalid_client 401 (AADSTS7000215, 7000216)", async () => {
  const wrong = await cc({ client_id: APP, client_secret: "not-it", scope: GRAPH });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.json.error, "invalid_client");
  assert.deepEqual(wrong.json.error_codes, [7000215]);
  assert.ok(!wrong.text.includes(SECRET), "the reply never echoes the secret");
  const missing = await cc({ client_id: APP, scope: GRAPH });
  assert.equal(missing.status, 401);
  assert.deepEqual(missing.json.error_codes, [7000216]);
});

test("an unregistered client cannot use client_credentials (AADSTS700016); a scope without /.default is AADSTS1002012", async () => {
  const unknown = await cc({ client_id: "bbbbbbbb-1111-4222-8333-444444444444", client_secret: "x", scope: GRAPH });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.json.error, "unauthorized_client");
  assert.deepEqual(unknown.json.error_codes, [700016]);
  for (const scope of ["https://graph.microsoft.com/User.Read", `${GRAPH} openid`, "offline_access"]) {
    const bad = await cc({ client_id: APP, client_secret: SECRET, scope });
    assert.equal(bad.status, 400, scope);
    assert.equal(bad.json.error, "invalid_scope", scope);
    assert.deepEqual(bad.json.error_codes, [1002012], scope);
  }
  const two = await cc({ client_id: APP, client_secret: SECRET, scope: `${GRAPH} https://vault.azure.net/.default` });
  assert.equal(two.status, 400);
  assert.deepEqual(two.json.error_codes, [28000]);
});

test("client_credentials needs a tenant: organizations / common are AADSTS50059", async () => {
  for (const seg of ["organizations", "common"]) {
    const res = await cc({ client_id: APP, client_secret: SECRET, scope: GRAPH }, seg);
    assert.equal(res.status, 400);
    assert.deepEqual(res.json.error_codes, [50059]);
  }
});

test("the service principal's default oid is stable per tenant", async () => {
  authority.addClient({ clientId: "cccccccc-1111-4222-8333-444444444444", clientSecret: "s" });
  const [a, b] = await Promise.all(
    authority.tenants.map((t) => cc({ client_id: "cccccccc-1111-4222-8333-444444444444", client_secret: "s", scope: GRAPH }, t.tenantId)),
  );
  const oidA = decodeJwt(a.json.access_token).payload.oid;
  const oidB = decodeJwt(b.json.access_token).payload.oid;
  assert.notEqual(oidA, oidB);
  assert.match(oidA, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const again = await cc(
    { client_id: "cccccccc-1111-4222-8333-444444444444", client_secret: "s", scope: GRAPH },
    authority.tenants[0].tenantId,
  );
  assert.equal(decodeJwt(again.json.access_token).payload.oid, oidA, "the same id on every call");
  authority.removeClient("cccccccc-1111-4222-8333-444444444444");
});

test("registrations change at run time: addClient, replace, removeClient (public again)", async () => {
  const id = "dddddddd-1111-4222-8333-444444444444";
  assert.equal((await cc({ client_id: id, client_secret: "one", scope: GRAPH })).json.error_codes[0], 700016);
  authority.addClient({ clientId: id, clientSecret: "one" });
  assert.equal((await cc({ client_id: id, client_secret: "one", scope: GRAPH })).status, 200);
  authority.addClient({ clientId: id, clientSecret: "two" });
  assert.equal((await cc({ client_id: id, client_secret: "one", scope: GRAPH })).json.error_codes[0], 7000215);
  assert.equal((await cc({ client_id: id, client_secret: "two", scope: GRAPH })).status, 200);
  assert.ok(authority.clients.some((c) => c.clientId === id));
  assert.equal(authority.removeClient(id), true);
  assert.equal(authority.removeClient(id), false);
  assert.equal((await cc({ client_id: id, client_secret: "two", scope: GRAPH })).json.error_codes[0], 700016);
  assert.throws(() => authority.addClient({ clientId: id, certificates: ["not a certificate"] }), TypeError);
  assert.throws(() => authority.addClient({ clientId: id, clientSecret: "" }), TypeError);
  assert.throws(() => authority.addClient({ clientId: id, federatedCredentials: [{ issuer: "x" }] }), TypeError);
});

test("faults with grantType client_credentials apply to it only", async () => {
  authority.injectFault({ endpoint: "token", grantType: "client_credentials", status: 503, times: 1 });
  authority.injectFault({
    endpoint: "token",
    grantType: "client_credentials",
    error: "invalid_client",
    status: 401,
    errorCodes: [7000222],
  });
  const pw = await call(authority, "POST", `/${tenantId}/oauth2/v2.0/token`, {
    grant_type: "password",
    client_id: "11111111-2222-3333-4444-555555555555",
    username: "ada@contoso.example",
    password: "ada-password",
    scope: "openid https://graph.microsoft.com/User.Read",
  });
  assert.equal(pw.status, 200, "another grant is not affected");
  const first = await cc({ client_id: APP, client_secret: SECRET, scope: GRAPH });
  assert.equal(first.status, 503);
  assert.equal(first.json.error, "temporarily_unavailable");
  const second = await cc({ client_id: APP, client_secret: SECRET, scope: GRAPH });
  assert.equal(second.status, 401);
  assert.deepEqual(second.json.error_codes, [7000222]);
  assert.equal((await cc({ client_id: APP, client_secret: SECRET, scope: GRAPH })).status, 200);
});

test("password grant: a confidential client must authenticate (7000218, 7000215); with its secret it works, azpacr 1", async () => {
  const form = {
    grant_type: "password",
    client_id: APP,
    username: "ada@contoso.example",
    password: "ada-password",
    scope: "openid https://graph.microsoft.com/User.Read",
  };
  const none = await call(authority, "POST", `/${tenantId}/oauth2/v2.0/token`, form);
  assert.equal(none.status, 401);
  assert.deepEqual(none.json.error_codes, [7000218]);
  const wrong = await call(authority, "POST", `/${tenantId}/oauth2/v2.0/token`, { ...form, client_secret: "nope" });
  assert.equal(wrong.status, 401);
  assert.deepEqual(wrong.json.error_codes, [7000215]);
  const ok = await call(authority, "POST", `/${tenantId}/oauth2/v2.0/token`, { ...form, client_secret: SECRET });
  assert.equal(ok.status, 200, ok.text);
  const { payload } = decodeJwt(ok.json.access_token);
  assert.equal(payload.upn, "ada@contoso.example");
  assert.equal(payload.azpacr, "1");
  const pub = await call(authority, "POST", `/${tenantId}/oauth2/v2.0/token`, {
    ...form,
    client_id: "11111111-2222-3333-4444-555555555555",
    client_secret: "x",
  });
  assert.equal(pub.status, 401);
  assert.deepEqual(pub.json.error_codes, [700025], "a public client presents no secret");
});
