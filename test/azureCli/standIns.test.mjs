// What az needs besides the authority, without az: the discovery proxy refuses every CONNECT but
// login.microsoftonline.com and answers discovery only for the dev authority; the resource-manager
// stand-in serves only valid bearer tokens the dev authority issued, for its audience.
import assert from "node:assert/strict";
import http from "node:http";
import https from "node:https";
import tls from "node:tls";
import { after, before, test } from "node:test";
import { ArmStandIn, DevAuthority, DISCOVERY_HOST, DiscoveryProxy, makeCertificates } from "entra-broker-devtools";
import { call } from "../devAuthority/util.mjs";

const APP = { clientId: "0c9d8e7f-6a5b-4c3d-8e1f-2a3b4c5d6e7f", clientSecret: "stand-in-secret" };
let authority;
let certs;
let proxy;
let arm;

before(async () => {
  authority = await DevAuthority.start({ clients: [APP] });
  certs = await makeCertificates([DISCOVERY_HOST]);
  const pair = { keyPem: certs.keyPem, certPem: certs.certPem + certs.caPem };
  proxy = await DiscoveryProxy.start(authority.url, pair);
  arm = await ArmStandIn.start(authority, pair);
});
after(async () => {
  await proxy?.close();
  await arm?.close();
  await authority?.close();
});

function connect(target) {
  return new Promise((resolve, reject) => {
    const req = http.request(proxy.url, { method: "CONNECT", path: target, agent: false });
    req.on("connect", (res, socket) => resolve({ status: res.statusCode, socket }));
    req.on("response", (res) => resolve({ status: res.statusCode }));
    req.on("error", reject);
    req.end();
  });
}

/** GET https://login.microsoftonline.com<path> through the proxy, trusting only the proxy's CA. */
async function throughProxy(path) {
  const { status, socket } = await connect(`${DISCOVERY_HOST}:443`);
  assert.equal(status, 200);
  const secure = tls.connect({ socket, servername: DISCOVERY_HOST, ca: certs.caPem });
  return new Promise((resolve, reject) => {
    // HTTP over the TLS socket already made: no DNS lookup, nothing but the proxy.
    const req = http.request({ host: DISCOVERY_HOST, path, headers: { connection: "close" }, createConnection: () => secure }, (res) => {
      let text = "";
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode, json: JSON.parse(text) }));
    });
    req.on("error", reject);
    req.end();
  });
}

test("discovery proxy: other CONNECTs and plain requests refused; discovery answered for the dev authority only", async () => {
  for (const target of ["example.com:443", "management.azure.com:443", `${DISCOVERY_HOST}:80`, "127.0.0.1:1"]) {
    assert.equal((await connect(target)).status, 403, target);
  }
  const plain = await new Promise((resolve) => http.get(`${proxy.url}/`, { agent: false }, (res) => resolve(res.statusCode)));
  assert.equal(plain, 403);

  const tenant = authority.tenants[0].tenantId;
  const port = new URL(authority.url).port;
  const ask = (endpoint) =>
    throughProxy(`/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(endpoint)}`);
  // MSAL Python sends the authority without its port.
  const ours = await ask(`https://127.0.0.1/${tenant}/oauth2/v2.0/authorize`);
  assert.equal(ours.status, 200);
  assert.equal(ours.json.tenant_discovery_endpoint, `${authority.url}/${tenant}/v2.0/.well-known/openid-configuration`);
  assert.equal((await ask(`https://127.0.0.1:${port}/${tenant}/oauth2/v2.0/authorize`)).status, 200);
  const worldWide = await ask(`https://${DISCOVERY_HOST}/common/oauth2/authorize`);
  assert.ok(worldWide.json.metadata.some((g) => g.aliases.includes("login.windows.net")));
  for (const bad of ["https://evil.example/t/oauth2/v2.0/authorize", "http://127.0.0.1/t/oauth2/v2.0/authorize", "not a url"]) {
    const r = await ask(bad);
    assert.equal(r.status, 400, bad);
    assert.equal(r.json.error, "invalid_instance");
  }
  assert.equal((await throughProxy("/common/oauth2/v2.0/token")).status, 404);
  assert.ok(proxy.refused.includes("CONNECT example.com:443"));
});

test("resource-manager stand-in: tenants and subscriptions behind a valid token; bad tokens, audiences and api-versions refused", async () => {
  const tenant = authority.tenants[1];
  const token = async (scope) => {
    const r = await call(authority, "POST", `/${tenant.tenantId}/oauth2/v2.0/token`, {
      grant_type: "client_credentials",
      client_id: APP.clientId,
      client_secret: APP.clientSecret,
      scope,
    });
    assert.equal(r.status, 200, r.text);
    return r.json.access_token;
  };
  const get = (path, bearer) =>
    new Promise((resolve, reject) => {
      const headers = bearer ? { authorization: `Bearer ${bearer}` } : {};
      https
        .get(new URL(path, arm.url), { ca: certs.caPem, headers, agent: false }, (res) => {
          let text = "";
          res.on("data", (d) => (text += d));
          res.on("end", () => resolve({ status: res.statusCode, json: JSON.parse(text) }));
        })
        .on("error", reject);
    });
  const good = await token("https://management.core.windows.net//.default");
  const subs = await get("/subscriptions?api-version=2019-11-01", good);
  assert.equal(subs.status, 200);
  assert.deepEqual(
    subs.json.value.map((s) => [s.tenantId, s.state]),
    [[tenant.tenantId, "Enabled"]],
  );
  const tenants = await get("/tenants?api-version=2019-11-01", good);
  assert.deepEqual(
    tenants.json.value.map((t) => t.tenantId),
    [tenant.tenantId],
  );

  assert.equal((await get("/subscriptions?api-version=2019-11-01")).json.error.code, "AuthenticationFailed");
  const [h, p, s] = good.split(".");
  const forged = `${h}.${p}.${s.slice(0, -4)}AAAA`;
  assert.equal((await get("/subscriptions?api-version=2019-11-01", forged)).json.error.code, "InvalidAuthenticationToken");
  const graph = await token("https://graph.microsoft.com/.default");
  const wrongAudience = await get("/subscriptions?api-version=2019-11-01", graph);
  assert.equal(wrongAudience.status, 401);
  assert.equal(wrongAudience.json.error.code, "InvalidAuthenticationTokenAudience");
  assert.equal((await get("/subscriptions", good)).json.error.code, "MissingApiVersionParameter");
  assert.equal((await get("/subscriptions?api-version=1999-01-01", good)).json.error.code, "InvalidApiVersionParameter");
  assert.equal((await get("/resourceGroups?api-version=2019-11-01", good)).status, 404);
});
