import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import tls from "node:tls";
import { after, before, test } from "node:test";
import { X509Certificate } from "node:crypto";
import { DevAuthority } from "entra-broker-devtools";
import { call, CLIENT } from "./util.mjs";

let authority;
before(async () => {
  authority = await DevAuthority.start();
});
after(() => authority.close());

const ada = { username: "ada@contoso.example", password: "ada-password" };

test("defaults: two tenants, three users (one in both tenants), https on 127.0.0.1", async () => {
  assert.match(authority.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(authority.host, authority.url.slice("https://".length));
  assert.deepEqual(
    authority.tenants.map((t) => t.domain),
    ["contoso.example", "fabrikam.example"],
  );
  assert.ok(authority.users.length >= 3);
  assert.ok(authority.users.some((u) => u.tenants.length === 2));
  assert.equal(readFileSync(authority.caPath, "utf8"), authority.ca);
  const second = await DevAuthority.start();
  assert.deepEqual(second.tenants, authority.tenants, "tenant ids are deterministic");
  assert.notEqual(second.ca, authority.ca, "a new CA per start");
  await second.close();
});

test("the server certificate is for 127.0.0.1 and localhost, signed by the CA, and nothing else is trusted", async () => {
  const port = Number(authority.host.split(":")[1]);
  const cert = await new Promise((resolve, reject) => {
    const s = tls.connect({ host: "127.0.0.1", port, ca: authority.ca, servername: "localhost" }, () => {
      resolve(s.getPeerX509Certificate());
      s.end();
    });
    s.on("error", reject);
  });
  assert.match(cert.subjectAltName, /IP Address:127\.0\.0\.1/);
  assert.match(cert.subjectAltName, /DNS:localhost/);
  assert.equal(cert.verify(new X509Certificate(authority.ca).publicKey), true);
  await assert.rejects(
    new Promise((resolve, reject) => {
      const s = tls.connect({ host: "127.0.0.1", port }, resolve);
      s.on("error", reject);
    }),
    /self[- ]signed|unable to (get|verify)/i,
  );
});

test("openid-configuration by tenant id, domain, organizations, common; v1 path; unknown tenant", async () => {
  const contoso = authority.tenants[0];
  for (const seg of [contoso.tenantId, "contoso.example"]) {
    const r = await call(authority, "GET", `/${seg}/v2.0/.well-known/openid-configuration`);
    assert.equal(r.status, 200);
    assert.equal(r.json.issuer, `${authority.url}/${contoso.tenantId}/v2.0`);
    assert.equal(r.json.token_endpoint, `${authority.url}/${contoso.tenantId}/oauth2/v2.0/token`);
    assert.equal(r.json.device_authorization_endpoint, `${authority.url}/${contoso.tenantId}/oauth2/v2.0/devicecode`);
    assert.ok(r.json.jwks_uri && r.json.end_session_endpoint && r.json.response_types_supported.includes("code"));
  }
  for (const seg of ["organizations", "common"]) {
    const r = await call(authority, "GET", `/${seg}/v2.0/.well-known/openid-configuration`);
    assert.equal(r.json.issuer, `${authority.url}/{tenantid}/v2.0`);
    assert.equal(r.json.authorization_endpoint, `${authority.url}/${seg}/oauth2/v2.0/authorize`);
  }
  const v1 = await call(authority, "GET", "/fabrikam.example/.well-known/openid-configuration");
  assert.equal(v1.status, 200);
  const unknown = await call(authority, "GET", "/nowhere.example/v2.0/.well-known/openid-configuration");
  assert.equal(unknown.status, 400);
  assert.equal(unknown.json.error, "invalid_tenant");
  assert.deepEqual(unknown.json.error_codes, [90002]);
  const evil = await call(authority, "GET", "/%3Cscript%3E/v2.0/.well-known/openid-configuration");
  assert.equal(evil.status, 400);
  assert.ok(!evil.text.includes("<script>"));
});

test("instance discovery and jwks", async () => {
  const q = new URLSearchParams({ "api-version": "1.1", authorization_endpoint: `${authority.url}/common/oauth2/v2.0/authorize` });
  const r = await call(authority, "GET", `/common/discovery/instance?${q}`);
  assert.equal(r.status, 200);
  assert.equal(r.json["api-version"], "1.1");
  assert.equal(r.json.tenant_discovery_endpoint, `${authority.url}/common/v2.0/.well-known/openid-configuration`);
  assert.deepEqual(r.json.metadata, [{ preferred_network: authority.host, preferred_cache: authority.host, aliases: [authority.host] }]);
  const other = new URLSearchParams({
    "api-version": "1.1",
    authorization_endpoint: "https://login.example.com/common/oauth2/v2.0/authorize",
  });
  assert.equal((await call(authority, "GET", `/common/discovery/instance?${other}`)).json.error, "invalid_instance");
  const jwks = await call(authority, "GET", "/contoso.example/discovery/v2.0/keys");
  assert.equal(jwks.status, 200);
  assert.equal(jwks.json.keys.length, 1);
  assert.ok(jwks.json.keys[0].kid);
  assert.equal(jwks.json.keys[0].d, undefined, "no private key material");
});

test("unknown paths 404, wrong methods 405, malformed bodies 400, never a crash", async () => {
  assert.equal((await call(authority, "GET", "/nothing/here")).status, 404);
  assert.equal((await call(authority, "GET", "/")).status, 404);
  assert.equal((await call(authority, "GET", "/organizations/oauth2/v2.0/token")).status, 405);
  const json = await call(authority, "POST", "/organizations/oauth2/v2.0/token", undefined, { "content-type": "application/json" });
  assert.equal(json.status, 400);
  const huge = await call(authority, "POST", "/organizations/oauth2/v2.0/token", { grant_type: "password", x: "a".repeat(100000) });
  assert.equal(huge.status, 400);
  const dup = await call(authority, "POST", "/organizations/oauth2/v2.0/token", "grant_type=password&grant_type=refresh_token&client_id=x");
  assert.equal(dup.status, 400);
  const badPct = await call(authority, "GET", "/%E0%A4%A/v2.0/.well-known/openid-configuration");
  assert.equal(badPct.status, 404);
  assert.equal((await call(authority, "GET", "/common/v2.0/.well-known/openid-configuration")).status, 200, "still alive");
});

test("counters count every request per endpoint and token requests per grant", async () => {
  authority.resetCounters();
  assert.deepEqual(authority.counters.tokenByGrant, {});
  await call(authority, "GET", "/common/v2.0/.well-known/openid-configuration");
  await call(authority, "GET", "/common/discovery/v2.0/keys");
  await call(authority, "POST", "/organizations/oauth2/v2.0/token", { grant_type: "password", client_id: CLIENT, scope: "openid", ...ada });
  await call(authority, "POST", "/organizations/oauth2/v2.0/token", { grant_type: "refresh_token", client_id: CLIENT, refresh_token: "x" });
  await call(authority, "POST", "/organizations/oauth2/v2.0/devicecode", { client_id: CLIENT, scope: "openid" });
  await call(authority, "GET", "/devicelogin");
  assert.equal(authority.counters.openidConfiguration, 1);
  assert.equal(authority.counters.jwks, 1);
  assert.equal(authority.counters.token, 2);
  assert.deepEqual(authority.counters.tokenByGrant, { password: 1, refresh_token: 1 });
  assert.equal(authority.counters.devicecode, 1);
  assert.equal(authority.counters.deviceLogin, 1);
  assert.equal(authority.counters.authorize, 0);
  authority.resetCounters();
  assert.equal(authority.counters.token, 0);
});

test("fault injection: 5xx, OAuth error, grant filter, delay, times, counted", async () => {
  authority.resetCounters();
  const password = { grant_type: "password", client_id: CLIENT, scope: "openid", ...ada };
  const token = (form = password) => call(authority, "POST", "/organizations/oauth2/v2.0/token", form);

  authority.injectFault({ endpoint: "token", status: 503, times: 2 });
  const f1 = await token();
  assert.equal(f1.status, 503);
  assert.equal(f1.json.error, "temporarily_unavailable");
  assert.match(f1.json.error_description, /^AADSTS\d+: /);
  assert.equal((await token()).status, 503);
  assert.equal((await token()).status, 200, "only the next two");

  authority.injectFault({ endpoint: "token", error: "invalid_grant", errorDescription: "AADSTS70000: injected.", errorCodes: [70000] });
  const f2 = await token();
  assert.equal(f2.status, 400);
  assert.equal(f2.json.error, "invalid_grant");
  assert.deepEqual(f2.json.error_codes, [70000]);

  authority.injectFault({ endpoint: "token", status: 500, grantType: "refresh_token" });
  assert.equal((await token()).status, 200, "a password request is not hit by a refresh_token fault");
  assert.equal((await token({ grant_type: "refresh_token", client_id: CLIENT, refresh_token: "x" })).status, 500);

  authority.injectFault({ endpoint: "openidConfiguration", delayMs: 400 });
  const t0 = Date.now();
  const slow = await call(authority, "GET", "/common/v2.0/.well-known/openid-configuration");
  assert.equal(slow.status, 200);
  assert.ok(Date.now() - t0 >= 380, "delayed");

  authority.injectFault({ endpoint: "jwks", status: 500, times: Infinity });
  for (let i = 0; i < 3; i++) assert.equal((await call(authority, "GET", "/common/discovery/v2.0/keys")).status, 500);
  authority.clearFaults();
  assert.equal((await call(authority, "GET", "/common/discovery/v2.0/keys")).status, 200);

  authority.injectFault({ endpoint: "authorize", status: 502 });
  const page = await call(
    authority,
    "GET",
    `/organizations/oauth2/v2.0/authorize?client_id=${CLIENT}&response_type=code&redirect_uri=http://localhost:1/&scope=openid`,
  );
  assert.equal(page.status, 502);
  assert.match(page.headers["content-type"], /text\/html/);
  authority.injectFault({ endpoint: "authorize", error: "server_error" });
  const redir = await call(
    authority,
    "GET",
    `/organizations/oauth2/v2.0/authorize?client_id=${CLIENT}&response_type=code&redirect_uri=http://localhost:1/&scope=openid&state=z`,
  );
  assert.equal(redir.status, 302);
  const loc = new URL(redir.headers.location);
  assert.equal(loc.searchParams.get("error"), "server_error");
  assert.equal(loc.searchParams.get("state"), "z");

  assert.equal(authority.counters.token, 6, "faulted requests are counted too");
  assert.equal(authority.counters.tokenByGrant.refresh_token, 1);
  assert.equal(authority.counters.jwks, 4);
  assert.throws(() => authority.injectFault({ endpoint: "nope" }), TypeError);
});

test("close() ends keep-alive sockets, a pending delay, and removes the CA file", async () => {
  const a = await DevAuthority.start();
  const https = await import("node:https");
  const agent = new https.Agent({ keepAlive: true, ca: a.ca });
  await new Promise((resolve, reject) =>
    https
      .get(`${a.url}/common/v2.0/.well-known/openid-configuration`, { agent }, (res) => res.resume().on("end", resolve))
      .on("error", reject),
  );
  a.injectFault({ endpoint: "jwks", delayMs: 60000 });
  const pending = new Promise((resolve) =>
    https.get(`${a.url}/common/discovery/v2.0/keys`, { agent }, (res) => res.resume().on("end", resolve)).on("error", resolve),
  );
  await new Promise((r) => setTimeout(r, 100));
  const t0 = Date.now();
  await a.close();
  await pending;
  assert.ok(Date.now() - t0 < 2000);
  assert.equal(existsSync(a.caPath), false);
  agent.destroy();
});
