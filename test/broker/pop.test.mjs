// Proof-of-possession tokens end to end: InteractiveBrowserBrokerCredential -> msal-node -> our
// plugin -> our addon -> a private D-Bus bus -> the stand-in broker -> the dev authority (req_cnf).
// A resource-side verifier checks each token as an Entra PoP resource would.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from "node:crypto";
import https from "node:https";
import { brokerCredential } from "../helpers/brokerCredential.mjs";
import { startBrokerWorld, startPrivateBus } from "../helpers/privateBus.mjs";
import { CredentialUnavailableError, DeviceCodeCredential, InteractiveBrowserCredential } from "entra-broker";
import { StandInBroker } from "entra-broker-devtools/stand-in-broker";

const SCOPE = "https://graph.microsoft.com/.default";
const RESOURCE = "https://resource.example/api?x=1";
let world;
let bus;
let authority;
let broker;
let jwks;

function getJson(url, ca) {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca, agent: false }, (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve(JSON.parse(text)));
      })
      .on("error", reject);
  });
}

before(async () => {
  world = await startBrokerWorld();
  ({ bus, authority, broker } = world);
  jwks = await getJson(`${authority.url}/common/discovery/v2.0/keys`, authority.ca);
});
after(() => world?.stop());
beforeEach(() => broker?.calls.splice(0));

const credential = (options = {}) => brokerCredential(authority, options);

const pop = (url = RESOURCE, nonce = "nonce-1", method = "GET") => ({
  proofOfPossessionOptions: { resourceRequestMethod: method, resourceRequestUrl: url, nonce },
});
const part = (jwt, i) => JSON.parse(Buffer.from(jwt.split(".")[i], "base64url").toString("utf8"));
const signedPart = (jwt) => Buffer.from(jwt.split(".").slice(0, 2).join("."));
const signature = (jwt) => Buffer.from(jwt.split(".")[2], "base64url");

/**
 * What a PoP resource checks: the SHR is signed by the key in its cnf, the inner access token is
 * the authority's (its JWKS) and bound to that key (cnf.kid = the key's RFC 7638 thumbprint), and
 * the SHR names this request (method, host, path, nonce) and is recent. Returns the access token's claims.
 */
function verifyPopToken(shr, { method, url, nonce }) {
  const header = part(shr, 0);
  const payload = part(shr, 1);
  assert.equal(header.alg, "RS256");
  assert.equal(header.typ, "pop");
  const jwk = payload.cnf?.jwk;
  assert.ok(jwk?.n && jwk?.e && jwk.kty === "RSA", "the SHR carries its public key in cnf.jwk");
  const thumbprint = createHash("sha256")
    .update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }))
    .digest("base64url");
  assert.equal(header.kid, thumbprint, "the SHR's kid is its key's thumbprint");
  const key = createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: "jwk" });
  assert.ok(verify("sha256", signedPart(shr), key, signature(shr)), "the SHR's signature verifies with cnf.jwk");

  const at = payload.at;
  assert.equal(typeof at, "string", "the SHR carries the access token as at");
  const atHeader = part(at, 0);
  const signer = jwks.keys.find((k) => k.kid === atHeader.kid);
  assert.ok(signer, "the access token is signed by a key in the authority's JWKS");
  const atKey = createPublicKey({ key: signer, format: "jwk" });
  assert.ok(
    verify("sha256", signedPart(at), { key: atKey, dsaEncoding: "ieee-p1363" }, signature(at)),
    "the authority's signature on the access token verifies",
  );
  const claims = part(at, 1);
  assert.deepEqual(claims.cnf, { kid: thumbprint }, "the access token is bound to the SHR's key");
  assert.ok(claims.exp * 1000 > Date.now());

  const target = new URL(url);
  assert.equal(payload.m, method);
  assert.equal(payload.u, target.host);
  assert.equal(payload.p, target.pathname);
  assert.equal(payload.nonce, nonce);
  assert.ok(Math.abs(payload.ts * 1000 - Date.now()) < 5 * 60_000, "ts is now");
  return claims;
}

test("the resource-side verifier refuses what a resource must refuse", async () => {
  const token = (await credential().getToken(SCOPE, pop())).token;
  const request = { method: "GET", url: RESOURCE, nonce: "nonce-1" };
  verifyPopToken(token, request);
  assert.throws(() => verifyPopToken(token, { ...request, nonce: "nonce-other" }));
  assert.throws(() => verifyPopToken(token, { ...request, url: "https://other.example/api" }));
  assert.throws(() => verifyPopToken(token, { ...request, method: "POST" }));
  const [h, p, s] = token.split(".");
  const tampered = { ...part(token, 1), p: "/admin" };
  assert.throws(
    () =>
      verifyPopToken(`${h}.${Buffer.from(JSON.stringify(tampered)).toString("base64url")}.${s}`, {
        ...request,
        url: "https://resource.example/admin",
      }),
    /signature/,
  );
  // Someone holding the access token but not the broker's key: their own correctly signed SHR is refused.
  const thief = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const { e, kty, n } = thief.publicKey.export({ format: "jwk" });
  const kid = createHash("sha256").update(JSON.stringify({ e, kty, n })).digest("base64url");
  const forge = (at) => {
    const input = [
      { alg: "RS256", typ: "pop", kid },
      { ...part(token, 1), at, cnf: { jwk: { kid, kty, e, n } } },
    ]
      .map((o) => Buffer.from(JSON.stringify(o)).toString("base64url"))
      .join(".");
    return `${input}.${sign("sha256", Buffer.from(input), thief.privateKey).toString("base64url")}`;
  };
  assert.throws(() => verifyPopToken(forge(part(token, 1).at), request), /bound to the SHR's key/);
  const bearer = (await credential().getToken(SCOPE)).token;
  assert.throws(() => verifyPopToken(forge(bearer), request), /bound to the SHR's key/);
});

const popCalls = () => broker.calls.filter((c) => c.method.startsWith("acquireToken") && c.request?.authParameters?.popParams);

test("a PoP token for GET https://resource.example/api?x=1: interactive first, then silent, each bound to its request", async () => {
  const cred = credential();
  const first = await cred.getToken(SCOPE, pop());
  assert.equal(first.tokenType, "pop");
  const claims = verifyPopToken(first.token, { method: "GET", url: RESOURCE, nonce: "nonce-1" });
  assert.equal(claims.preferred_username, authority.users[0].username);
  assert.ok(first.expiresOnTimestamp > Date.now());
  const interactive = broker.calls.find((c) => c.method === "acquireTokenInteractively");
  assert.ok(interactive, "nobody was signed in: the broker signed in interactively");
  assert.deepEqual(interactive.request.authParameters.popParams, {
    clientClaims: "",
    homeAccountId: "",
    httpMethod: "GET",
    nonce: "nonce-1",
    uriHost: "resource.example",
    uriPath: "/api",
  });

  // Another URL, another nonce, and the same request again: each a new SHR from the broker.
  const otherUrl = await cred.getToken(SCOPE, pop("https://resource.example:8443/other/path", "nonce-1", "post"));
  verifyPopToken(otherUrl.token, { method: "POST", url: "https://resource.example:8443/other/path", nonce: "nonce-1" });
  const otherNonce = await cred.getToken(SCOPE, pop(RESOURCE, "nonce-2"));
  verifyPopToken(otherNonce.token, { method: "GET", url: RESOURCE, nonce: "nonce-2" });
  const again = await cred.getToken(SCOPE, pop());
  verifyPopToken(again.token, { method: "GET", url: RESOURCE, nonce: "nonce-1" });
  assert.equal(new Set([first.token, otherUrl.token, otherNonce.token]).size, 3);
  const silent = popCalls().filter((c) => c.method === "acquireTokenSilently");
  assert.equal(silent.length, 3, "each PoP request went to the broker; none came from memory");
  assert.equal(popCalls().length, 4);
});

test("a Bearer call after PoP calls still gets a Bearer token, and PoP never reads or replaces the cached one", async () => {
  const cred = credential();
  const bearer = await cred.getToken(SCOPE);
  assert.equal(bearer.tokenType, "Bearer");
  assert.equal(part(bearer.token, 1).cnf, undefined, "a Bearer token is bound to no key");
  const popToken = await cred.getToken(SCOPE, pop());
  assert.equal(popToken.tokenType, "pop");
  verifyPopToken(popToken.token, { method: "GET", url: RESOURCE, nonce: "nonce-1" });
  broker.calls.splice(0);
  const bearerAgain = await cred.getToken(SCOPE);
  assert.equal(bearerAgain.tokenType, "Bearer");
  assert.equal(bearerAgain.token, bearer.token, "the Bearer token comes from memory, untouched by the PoP call");
  assert.equal(broker.calls.length, 0);
});

test("concurrent PoP requests: the same request shares one broker call, different ones do not", async () => {
  const cred = credential();
  await cred.getToken(SCOPE); // signed in
  broker.calls.splice(0);
  const [a, b, c] = await Promise.all([
    cred.getToken(SCOPE, pop()),
    cred.getToken(SCOPE, pop()),
    cred.getToken(SCOPE, pop(RESOURCE, "nonce-3")),
  ]);
  assert.equal(a.token, b.token);
  verifyPopToken(c.token, { method: "GET", url: RESOURCE, nonce: "nonce-3" });
  assert.equal(popCalls().length, 2);
});

test("useDefaultBrokerAccount: a PoP token for the broker's account without a prompt", async () => {
  await credential().getToken(SCOPE); // the broker now holds an account
  broker.calls.splice(0);
  const cred = credential({ useDefaultBrokerAccount: true, disableAutomaticAuthentication: true });
  const token = await cred.getToken(SCOPE, pop(RESOURCE, "nonce-default"));
  assert.equal(token.tokenType, "pop");
  verifyPopToken(token.token, { method: "GET", url: RESOURCE, nonce: "nonce-default" });
  assert.ok(!broker.calls.some((c) => c.method === "acquireTokenInteractively"));
  assert.equal(popCalls()[0].request.authParameters.isSignIn, true);
});

test("InteractiveBrowserCredential with brokerOptions gets PoP tokens too", async () => {
  const cred = new InteractiveBrowserCredential({
    authorityHost: authority.url,
    authorityCa: authority.ca,
    tenantId: authority.tenants[0].tenantId,
    brokerOptions: { enabled: true, parentWindowHandle: Buffer.alloc(8) },
  });
  const token = await cred.getToken(SCOPE, pop(RESOURCE, "nonce-ibc"));
  assert.equal(token.tokenType, "pop");
  verifyPopToken(token.token, { method: "GET", url: RESOURCE, nonce: "nonce-ibc" });
});

test("bad proofOfPossessionOptions are a typed error before any broker call", async () => {
  const cred = credential();
  for (const options of [
    { resourceRequestMethod: "GET", resourceRequestUrl: "not a url", nonce: "n" },
    { resourceRequestMethod: "GET", resourceRequestUrl: "ftp://resource.example/", nonce: "n" },
    { resourceRequestMethod: "G E T", resourceRequestUrl: RESOURCE, nonce: "n" },
    { resourceRequestMethod: "GET", resourceRequestUrl: RESOURCE, nonce: "" },
  ]) {
    await assert.rejects(cred.getToken(SCOPE, { proofOfPossessionOptions: options }), { name: "TypeError", code: "INVALID_POP_OPTIONS" });
  }
  assert.equal(broker.calls.length, 0);
});

test("no broker on the bus: PoP is refused with POP_UNSUPPORTED, saying why, and no browser opens", async () => {
  const empty = await startPrivateBus();
  process.env.DBUS_SESSION_BUS_ADDRESS = empty.address;
  try {
    const opened = [];
    const cred = credential({ openBrowser: async (url) => opened.push(url) });
    await assert.rejects(
      cred.getToken(SCOPE, pop()),
      (e) =>
        e instanceof CredentialUnavailableError && e.code === "POP_UNSUPPORTED" && /no OS broker is in use here \(.+\)/.test(e.message),
    );
    assert.deepEqual(opened, [], "the browser did not open");
    assert.equal(authority.counters.authorize, 0);
  } finally {
    process.env.DBUS_SESSION_BUS_ADDRESS = bus.address;
    await empty.stop();
  }
});

test("DeviceCodeCredential refuses PoP with POP_UNSUPPORTED and asks for no device code", async () => {
  const before = authority.counters.devicecode;
  let prompted = false;
  const cred = new DeviceCodeCredential({
    authorityHost: authority.url,
    authorityCa: authority.ca,
    tenantId: authority.tenants[0].tenantId,
    userPromptCallback: () => (prompted = true),
  });
  await assert.rejects(
    cred.getToken(SCOPE, pop()),
    (e) => e instanceof CredentialUnavailableError && e.code === "POP_UNSUPPORTED" && /without one/.test(e.message),
  );
  assert.equal(prompted, false);
  assert.equal(authority.counters.devicecode, before);
});

test("a broker that cannot make PoP tokens, or answers a PoP request with Bearer: typed errors", async () => {
  const { TokenService } = await import("../../dist/internal.js");
  const { acquireSilentWithBroker } = await import("../../dist/internal.js");
  const { credentialLogger } = await import("../../dist/internal.js");
  const base = {
    clientId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
    tenantId: authority.tenants[0].tenantId,
    authorityHost: authority.url,
    authorityCa: authority.ca,
    disableInstanceDiscovery: false,
    additionallyAllowedTenants: [],
    disableAutomaticAuthentication: true,
    timeoutMs: 10_000,
    logger: credentialLogger("PopTest", false),
  };
  // supportsPop false (the macOS SSO extension here): refused before the broker is asked.
  const noPop = { supportsPop: false, backend: "macos-sso", control: () => assert.fail("the broker must not be called") };
  const refusing = new TokenService({
    ...base,
    brokerPlugin: async () => noPop,
    silentFlow: (request) => acquireSilentWithBroker(request, { useDefaultBrokerAccount: true }),
  });
  await assert.rejects(
    refusing.getToken(SCOPE, pop()),
    (e) => e instanceof CredentialUnavailableError && e.code === "POP_UNSUPPORTED" && /macos-sso/.test(e.message),
  );
  // A broker that ignores popParams: the plugin does not hand its Bearer token out as a PoP token.
  const { NativeBrokerPlugin } = await import("../../dist/internal.js");
  const { linuxBroker } = await import("../../dist/internal.js");
  const bearerReply = JSON.stringify({
    brokerTokenResponse: { accessToken: "a.b.c", accessTokenType: 0, expiresOn: Date.now() + 3_600_000, grantedScopes: SCOPE },
  });
  const addon = { backend: "linux-dbus", call: () => ({ correlationId: "c", cancel() {}, promise: Promise.resolve(bearerReply) }) };
  const plugin = new NativeBrokerPlugin(addon, linuxBroker);
  const popFields = { authenticationScheme: "pop", resourceRequestMethod: "GET", resourceRequestUri: "https://api.contoso.com/x" };
  const request = { clientId: base.clientId, authority: `${authority.url}/common`, scopes: [SCOPE], redirectUri: "", correlationId: "c" };
  await assert.rejects(
    plugin.acquireTokenInteractive({ ...request, ...popFields, prompt: "none" }),
    (e) => e.kind === "bad_reply" && e.code === "BROKER_BAD_REPLY" && /Bearer/.test(e.message),
  );
  assert.equal((await plugin.acquireTokenInteractive({ ...request, prompt: "none" })).tokenType, "Bearer", "a Bearer request takes it");
  const { toCredentialError } = await import("../../dist/internal.js");
  const mapped = await plugin
    .acquireTokenInteractive({ ...request, ...popFields, prompt: "none" })
    .catch((e) => toCredentialError(e, [SCOPE]));
  assert.ok(
    mapped.name === "AuthenticationError" && mapped.errorResponse.error === "broker_bad_reply" && mapped.cause.code === "BROKER_BAD_REPLY",
  );
});
