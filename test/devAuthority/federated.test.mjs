// Federated client assertions at the dev authority: its own OIDC issuers (/federation/<name>) and
// outside issuers given by their keys; each matching rule refused and accepted.
import assert from "node:assert/strict";
import { createPublicKey, generateKeyPairSync, randomUUID, verify } from "node:crypto";
import { after, before, test } from "node:test";
import { DevAuthority } from "entra-broker-devtools";
import { assertionForm, signJwt } from "./assertions.mjs";
import { call, decodeJwt } from "./util.mjs";

const APP = "ffffffff-1111-4222-8333-444444444444";
const SUBJECT = "system:serviceaccount:payments:api";
const GITHUB = "https://token.actions.githubusercontent.com";
let authority;
let tenantId;
const outside = generateKeyPairSync("rsa", { modulusLength: 2048 });
const outsideJwk = { ...outside.publicKey.export({ format: "jwk" }), kid: "gh-1", alg: "RS256", use: "sig" };

before(async () => {
  authority = await DevAuthority.start({
    clients: [
      {
        clientId: APP,
        federatedCredentials: [
          { issuer: "default", subject: SUBJECT },
          { issuer: "ci", subject: "repo:org/app:ref:refs/heads/main", audiences: ["api://custom-audience"] },
          { issuer: GITHUB, subject: "repo:org/app:environment:prod", jwks: { keys: [outsideJwk] } },
        ],
      },
    ],
  });
  tenantId = authority.tenants[0].tenantId;
});
after(() => authority.close());

const send = (assertion) =>
  call(authority, "POST", `/${tenantId}/oauth2/v2.0/token`, assertionForm({ clientId: APP, assertion, scope: "api://backend/.default" }));

function refused(res, code) {
  assert.equal(res.status, 401, res.text);
  assert.equal(res.json.error, "invalid_client");
  assert.deepEqual(res.json.error_codes, [code], res.json.error_description);
}

function get(url) {
  return call(authority, "GET", new URL(url).pathname);
}

test("the authority is an OIDC issuer: discovery, JWKS, and tokens that verify against the published key", async () => {
  authority.resetCounters();
  const issuer = authority.federationIssuer();
  assert.equal(issuer, `${authority.url}/federation/default`);
  const config = await get(`${issuer}/.well-known/openid-configuration`);
  assert.equal(config.status, 200);
  assert.equal(config.json.issuer, issuer);
  const jwks = await get(config.json.jwks_uri);
  assert.equal(jwks.status, 200);
  const token = authority.issueFederatedToken({ subject: SUBJECT });
  const { header, payload } = decodeJwt(token);
  assert.equal(header.alg, "RS256");
  assert.deepEqual([payload.iss, payload.sub, payload.aud], [issuer, SUBJECT, "api://AzureADTokenExchange"]);
  assert.ok(payload.exp - payload.iat === 3600 && typeof payload.jti === "string");
  const jwk = jwks.json.keys.find((k) => k.kid === header.kid);
  const [h, p, s] = token.split(".");
  assert.ok(verify("sha256", Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: "jwk" }), Buffer.from(s, "base64url")));
  assert.equal((await get(`${authority.url}/federation/default/nothing`)).status, 404);
  assert.equal(authority.counters.federation, 2, "discovery and keys are counted");
  assert.throws(() => authority.issueFederatedToken({}), TypeError);
  assert.throws(() => authority.issueFederatedToken({ subject: "x", issuer: "https://elsewhere.example/federation/x" }), TypeError);
});

test("a federated assertion matching issuer, subject and audience gets an app-only token (counted as federated)", async () => {
  authority.resetCounters();
  const token = authority.issueFederatedToken({ subject: SUBJECT });
  const res = await send(token);
  assert.equal(res.status, 200, res.text);
  const { payload } = decodeJwt(res.json.access_token);
  assert.deepEqual([payload.appid, payload.aud, payload.idtyp, payload.azpacr], [APP, "api://backend", "app", "2"]);
  assert.equal((await send(token)).status, 200, "the same projected token is presented again, as a workload does");
  assert.equal(authority.counters.tokenByClientAuth.federated, 2);
  const ci = authority.issueFederatedToken({
    issuer: "ci",
    subject: "repo:org/app:ref:refs/heads/main",
    audience: "api://custom-audience",
  });
  assert.equal((await send(ci)).status, 200, "a named issuer and a custom audience");
});

test("issuer, subject and audience each refused with their own code (AADSTS700211, 700213, 700212)", async () => {
  refused(await send(authority.issueFederatedToken({ issuer: "unregistered", subject: SUBJECT })), 700211);
  const sub = await send(authority.issueFederatedToken({ subject: "system:serviceaccount:payments:other" }));
  refused(sub, 700213);
  assert.match(sub.json.error_description, /assertion subject 'system:serviceaccount:payments:other'/);
  refused(await send(authority.issueFederatedToken({ subject: SUBJECT, audience: "api://AzureADTokenExchangeChina" })), 700212);
  refused(await send(authority.issueFederatedToken({ issuer: "ci", subject: "repo:org/app:ref:refs/heads/main" })), 700212);
});

test("an expired token is AADSTS700024; a forged or tampered one 7000274; an unknown key id 700027", async () => {
  refused(await send(authority.issueFederatedToken({ subject: SUBJECT, lifetimeSeconds: -600 })), 700024);
  const token = authority.issueFederatedToken({ subject: SUBJECT });
  const { header, payload } = decodeJwt(token);
  const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" });
  refused(await send(signJwt(header, payload, stranger)), 7000274);
  const [h, , s] = token.split(".");
  refused(await send(`${h}.${Buffer.from(JSON.stringify({ ...payload, exp: payload.exp + 60 })).toString("base64url")}.${s}`), 7000274);
  refused(await send(signJwt({ ...header, kid: "unknown" }, payload, stranger)), 700027);
});

test("an outside issuer is trusted through the keys given in its federated credential", async () => {
  const keyPem = outside.privateKey.export({ type: "pkcs8", format: "pem" });
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: GITHUB,
    sub: "repo:org/app:environment:prod",
    aud: "api://AzureADTokenExchange",
    iat: now,
    nbf: now,
    exp: now + 300,
    jti: randomUUID(),
  };
  assert.equal((await send(signJwt({ alg: "RS256", typ: "JWT", kid: "gh-1" }, claims, keyPem))).status, 200);
  const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" });
  refused(await send(signJwt({ alg: "RS256", typ: "JWT", kid: "gh-1" }, claims, stranger)), 7000274);
  refused(
    await send(
      signJwt({ alg: "RS256", typ: "JWT", kid: "gh-1" }, { ...claims, iss: "https://token.actions.githubusercontent.com/x" }, keyPem),
    ),
    700211,
  );
});
