// private_key_jwt at the dev authority: each rule of a certificate client assertion refused and
// accepted, with assertions signed here with Node's crypto.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import { DevAuthority, makeClientCertificate } from "entra-broker-devtools";
import { assertionForm, certificateAssertion, JWT_BEARER, thumbprints } from "./assertions.mjs";
import { call, decodeJwt } from "./util.mjs";

const APP = "eeeeeeee-1111-4222-8333-444444444444";
let authority;
let tenant;
let cert;
let other;
let endpoint;

before(async () => {
  [cert, other] = await Promise.all([makeClientCertificate(), makeClientCertificate("CN=not registered")]);
  authority = await DevAuthority.start({ clients: [{ clientId: APP, certificates: [cert.certPem] }] });
  tenant = authority.tenants[0];
  endpoint = `${authority.url}/${tenant.tenantId}/oauth2/v2.0/token`;
});
after(() => authority.close());

/** POSTs `form` to the token endpoint of `tenantSeg`. */
const post = (form, tenantSeg = tenant.tenantId) => call(authority, "POST", `/${tenantSeg}/oauth2/v2.0/token`, form);
function send(assertion, { tenantSeg = tenant.tenantId, extra = {}, clientId = APP } = {}) {
  return post(assertionForm({ clientId, assertion, extra }), tenantSeg);
}
/** The client credentials grant with no client authentication yet. */
const CLIENT_CREDENTIALS = { grant_type: "client_credentials", client_id: APP, scope: "https://graph.microsoft.com/.default" };
/** Ada's password grant, the app authenticated by `assertion`. */
const passwordGrant = (assertion) => ({
  grant_type: "password",
  client_id: APP,
  username: "ada@contoso.example",
  password: "ada-password",
  scope: "openid https://graph.microsoft.com/User.Read",
  client_assertion_type: JWT_BEARER,
  client_assertion: assertion,
});
const make = (opts = {}) => certificateAssertion({ clientId: APP, tokenEndpoint: endpoint, cert, ...opts });

function refused(res, code, status = 401) {
  assert.equal(res.status, status, res.text);
  assert.equal(res.json.error, status === 401 ? "invalid_client" : res.json.error);
  assert.deepEqual(res.json.error_codes, [code], res.json.error_description);
}

test("a PS256 assertion with x5t#S256 (msal-node's form) and an RS256 one with x5t both get a token; azpacr 2", async () => {
  authority.resetCounters();
  for (const alg of ["PS256", "RS256"]) {
    const res = await send(make({ alg }));
    assert.equal(res.status, 200, res.text);
    const { payload } = decodeJwt(res.json.access_token);
    assert.equal(payload.appid, APP);
    assert.equal(payload.azpacr, "2");
    assert.equal(payload.idtyp, "app");
  }
  assert.equal(authority.counters.tokenByClientAuth.certificate, 2);
  assert.equal(authority.counters.tokenByClientAuth.secret, 0);
});

test("aud: the tenant's v2 (or v1) token endpoint by id or domain, also on localhost; anything else is AADSTS700023", async () => {
  const ok = [
    endpoint,
    `${authority.url}/${tenant.domain}/oauth2/v2.0/token`,
    `${authority.url}/${tenant.tenantId}/oauth2/token`,
    endpoint.replace("127.0.0.1", "localhost"),
    endpoint.toUpperCase().replace("HTTPS://", "https://"),
  ];
  for (const aud of ok) assert.equal((await send(make({ claims: { aud } }))).status, 200, aud);
  const other = authority.tenants[1].tenantId;
  const bad = [
    `${authority.url}/${other}/oauth2/v2.0/token`,
    `${authority.url}/organizations/oauth2/v2.0/token`,
    "https://login.microsoftonline.com/" + tenant.tenantId + "/oauth2/v2.0/token",
    `${authority.url}/${tenant.tenantId}/v2.0`,
    undefined,
  ];
  for (const aud of bad) refused(await send(make({ claims: { aud } })), 700023);
  assert.equal((await send(make({ claims: { aud: ["https://elsewhere.example", endpoint] } }))).status, 200, "an aud array naming it");
});

test("iss and sub must both be the client id (AADSTS700021)", async () => {
  refused(await send(make({ claims: { sub: "someone-else" } })), 700021);
  refused(await send(make({ claims: { iss: "someone-else" } })), 700021);
  refused(await send(make({ claims: { sub: undefined } })), 700021);
});

test("exp in the future and nbf not in the future, within a minute of skew (AADSTS700024)", async () => {
  const now = Math.floor(Date.now() / 1000);
  refused(await send(make({ claims: { exp: now - 120 } })), 700024);
  refused(await send(make({ claims: { exp: undefined } })), 700024);
  refused(await send(make({ claims: { nbf: now + 600 } })), 700024);
  const res = await send(make({ claims: { exp: now - 120 } }));
  assert.match(res.json.error_description, /^AADSTS700024: Client assertion is not within its valid time range\. Current time: /);
  assert.equal((await send(make({ claims: { nbf: now + 20 } }))).status, 200, "small skew accepted");
  assert.equal((await send(make({ claims: { nbf: undefined } }))).status, 200, "nbf is optional");
});

test("the signing key must be a registered certificate's: unknown thumbprint AADSTS700027, bad signature AADSTS7000274", async () => {
  const o = thumbprints(other.certPem);
  refused(await send(make({ header: { "x5t#S256": o.x5tS256 } })), 700027);
  const notFound = await send(make({ alg: "RS256", header: { x5t: o.x5t } }));
  refused(notFound, 700027);
  assert.match(notFound.json.error_description, /The key was not found/);
  assert.ok(notFound.json.error_description.includes(other.thumbprint), "names the thumbprint the client used");
  // Names the registered certificate but is signed by another key.
  const forged = certificateAssertion({ clientId: APP, tokenEndpoint: endpoint, cert: { certPem: cert.certPem, keyPem: other.keyPem } });
  refused(await send(forged), 7000274);
  // A valid assertion whose payload was changed after signing.
  const [h, , s] = make().split(".");
  const tampered = `${h}.${Buffer.from(JSON.stringify({ ...decodeJwt(make()).payload, sub: APP, roles: ["x"] })).toString("base64url")}.${s}`;
  refused(await send(tampered), 7000274);
  refused(await send(make({ header: { "x5t#S256": undefined } })), 700027); // no thumbprint and no chain
});

test("x5c: when sent, its first certificate must be the registered one", async () => {
  const mine = thumbprints(cert.certPem).x5c;
  const ca = thumbprints(cert.caPem).x5c;
  assert.equal((await send(make({ header: { x5c: [mine, ca] } }))).status, 200, "leaf then CA");
  assert.equal((await send(make({ header: { "x5t#S256": undefined, x5c: [mine] } }))).status, 200, "x5c alone names the key");
  refused(await send(make({ header: { x5c: [ca, mine] } })), 700027);
  refused(await send(make({ header: { x5c: [thumbprints(other.certPem).x5c] } })), 700027);
  refused(await send(make({ header: { x5c: "not-a-chain" } })), 700027);
});

test("only RS256 / PS256; malformed assertions are AADSTS50027; the assertion type must be jwt-bearer", async () => {
  const now = Math.floor(Date.now() / 1000);
  const claims = { aud: endpoint, iss: APP, sub: APP, jti: randomUUID(), exp: now + 600 };
  const none = `${Buffer.from(JSON.stringify({ alg: "none", x5t: thumbprints(cert.certPem).x5t })).toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.`;
  refused(await send(none), 50027);
  refused(await send(make({ alg: "RS256", header: { alg: "HS256" } })), 50027);
  for (const junk of ["not-a-jwt", "a.b.c", "e30.e30"]) refused(await send(junk), 50027);
  const wrongType = await send(make(), { extra: { client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:saml2-bearer" } });
  assert.equal(wrongType.status, 400);
  const noType = await post({ ...CLIENT_CREDENTIALS, client_assertion: make() });
  assert.equal(noType.status, 400);
  assert.equal(JWT_BEARER, "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
});

test("jti: required; a different assertion reusing a jti is refused; the identical one is accepted unless refuseAssertionReplay", async () => {
  refused(await send(make({ claims: { jti: undefined } })), 50027);
  const jti = randomUUID();
  const first = make({ claims: { jti } });
  assert.equal((await send(first)).status, 200);
  assert.equal((await send(first)).status, 200, "msal-node resends its cached assertion, as Entra accepts");
  refused(await send(make({ claims: { jti, exp: Math.floor(Date.now() / 1000) + 300 } })), 50027);
  authority.refuseAssertionReplay = true;
  try {
    const once = make();
    assert.equal((await send(once)).status, 200);
    const again = await send(once);
    refused(again, 50027);
    assert.match(again.json.error_description, /already used/);
  } finally {
    authority.refuseAssertionReplay = false;
  }
});

test("a certificate client without a secret: a secret is AADSTS7000215; nothing at all is 7000216; the password grant takes its assertion", async () => {
  refused(await post({ ...CLIENT_CREDENTIALS, client_secret: "guess" }), 7000215);
  refused(await post(CLIENT_CREDENTIALS), 7000216);
  const both = await send(make(), { extra: { client_secret: "x" } });
  assert.equal(both.status, 400);
  const pw = await post(passwordGrant(make()));
  assert.equal(pw.status, 200, pw.text);
  assert.equal(decodeJwt(pw.json.access_token).payload.azpacr, "2");
});

test("an assertion at organizations must name that token endpoint", async () => {
  const orgEndpoint = `${authority.url}/organizations/oauth2/v2.0/token`;
  const ok = await post(passwordGrant(make({ claims: { aud: orgEndpoint } })), "organizations");
  assert.equal(ok.status, 200, ok.text);
  refused(await post(passwordGrant(make()), "organizations"), 700023);
});
