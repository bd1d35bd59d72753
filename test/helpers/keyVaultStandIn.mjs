// A local HTTPS stand-in for Azure Key Vault's secrets API, with Key Vault's authentication: the
// first request, sent without a token, gets a 401 bearer challenge naming the authority, tenant and
// resource; every token is then checked against the dev authority's JWKS (ES256 signature, issuer,
// tenant, audience, expiry). `revokeTokens()` plays Continuous Access Evaluation: tokens issued so
// far are revoked and the next request gets a 401 `insufficient_claims` challenge with the claims a
// new token must be asked for. Its TLS certificate comes from its own CA (`ca`), made like the dev
// authority's. `requireAuthContext(acr)` asks for a Conditional Access authentication context the
// same way (a step-up: the new token must carry `acrs`).
import { createPublicKey, randomUUID, verify } from "node:crypto";
import { createServer, get } from "node:https";
import { createRequire } from "node:module";

const { makeCertificates } = createRequire(import.meta.url)("entra-broker-devtools");

export const KEY_VAULT_RESOURCE = "https://vault.azure.net";

function fetchJson(url, ca) {
  return new Promise((resolve, reject) => {
    const req = get(url, { ca, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => (res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`${url} answered ${res.statusCode}`))));
    });
    req.on("error", reject);
  });
}

function sendJson(res, status, body, headers = {}) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

export class KeyVaultStandIn {
  /** Every request: method, path, what the token check found, and which challenge was sent. */
  requests = [];
  secrets = new Map();

  /** @param {{ authority: import("entra-broker-devtools").DevAuthority, tenantId: string }} options */
  static async start({ authority, tenantId }) {
    const certs = await makeCertificates();
    const self = new KeyVaultStandIn(authority, tenantId, certs.caPem);
    self.server = createServer({ key: certs.keyPem, cert: certs.certPem + certs.caPem }, (req, res) => {
      self.handle(req, res).catch((err) => sendJson(res, 500, { error: { code: "StandInFailure", message: err.message } }));
    });
    await new Promise((resolve, reject) => {
      self.server.once("error", reject);
      self.server.listen(0, "127.0.0.1", resolve);
    });
    self.url = `https://127.0.0.1:${self.server.address().port}`;
    return self;
  }

  constructor(authority, tenantId, ca) {
    this.authority = authority;
    this.tenantId = tenantId;
    this.ca = ca;
    this.revokedBefore = 0;
    this.revokedIds = new Set();
    this.seenTokenIds = new Set();
  }

  setSecret(name, value) {
    this.secrets.set(name, { value, version: randomUUID().replace(/-/g, "") });
  }

  /**
   * Conditional Access authentication context: from now on a token needs `acrs` to hold `acr`
   * (e.g. after MFA); one without gets a claims challenge asking for it.
   */
  requireAuthContext(acr) {
    this.requiredAcr = acr;
    this.claims = JSON.stringify({ access_token: { acrs: { essential: true, value: acr } } });
  }

  /** CAE: every token issued so far stops working; the next request gets a claims challenge. */
  revokeTokens() {
    this.revokedBefore = Math.floor(Date.now() / 1000);
    for (const id of this.seenTokenIds) this.revokedIds.add(id);
    this.claims = JSON.stringify({ access_token: { nbf: { essential: true, value: String(this.revokedBefore) } } });
  }

  close() {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  get challengeTarget() {
    return `authorization="${this.authority.url}/${this.tenantId}", resource="${KEY_VAULT_RESOURCE}"`;
  }

  async handle(req, res) {
    const url = new URL(req.url, this.url);
    const entry = { method: req.method, path: url.pathname, apiVersion: url.searchParams.get("api-version") };
    this.requests.push(entry);
    const auth = req.headers.authorization;
    if (!auth) {
      entry.challenge = "bearer";
      return sendJson(
        res,
        401,
        { error: { code: "Unauthorized", message: "AKV10000: Request is missing a Bearer or PoP token." } },
        {
          "www-authenticate": `Bearer ${this.challengeTarget}`,
        },
      );
    }
    const check = await this.checkToken(auth);
    entry.token = check;
    if (check.claimsChallenge) {
      entry.challenge = "cae";
      const claims = Buffer.from(this.claims).toString("base64");
      return sendJson(
        res,
        401,
        { error: { code: "Unauthorized", message: `AKV10000: ${check.reason}: a token with more claims is needed.` } },
        {
          // The shape Entra-protected services send for CAE (no resource: it is not a new bearer challenge).
          "www-authenticate": `Bearer realm="", authorization_uri="${this.authority.url}/${this.tenantId}/oauth2/v2.0/authorize", error="insufficient_claims", claims="${claims}"`,
        },
      );
    }
    if (!check.valid) {
      entry.challenge = "bearer";
      return sendJson(
        res,
        401,
        { error: { code: "Unauthorized", message: `AKV10022: Invalid audience or token: ${check.reason}` } },
        {
          "www-authenticate": `Bearer ${this.challengeTarget}, error="invalid_token"`,
        },
      );
    }
    const m = /^\/secrets\/([0-9a-zA-Z-]+)\/?([0-9a-f]*)$/.exec(url.pathname);
    if (req.method !== "GET" || !m || !entry.apiVersion) {
      return sendJson(res, 400, {
        error: { code: "BadParameter", message: "The stand-in serves GET /secrets/{name}/{version}?api-version=..." },
      });
    }
    const secret = this.secrets.get(m[1]);
    if (!secret || (m[2] && m[2] !== secret.version)) {
      return sendJson(res, 404, {
        error: { code: "SecretNotFound", message: `A secret with (name/id) ${m[1]} was not found in this key vault.` },
      });
    }
    const now = Math.floor(Date.now() / 1000);
    return sendJson(res, 200, {
      value: secret.value,
      id: `${this.url}/secrets/${m[1]}/${secret.version}`,
      attributes: { enabled: true, created: now, updated: now, recoveryLevel: "Recoverable+Purgeable" },
    });
  }

  /** Checks a bearer token: `{ valid, claimsChallenge, reason, claims }`. */
  async checkToken(header) {
    const token = /^Bearer (\S+)$/.exec(header)?.[1];
    if (!token) return { valid: false, reason: "not a bearer token" };
    const [h, p, s] = token.split(".");
    let head;
    let claims;
    try {
      head = JSON.parse(Buffer.from(h, "base64url").toString("utf8"));
      claims = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
    } catch {
      return { valid: false, reason: "not a JWT" };
    }
    this.jwks ??= await fetchJson(`${this.authority.url}/${this.tenantId}/discovery/v2.0/keys`, this.authority.ca);
    const jwk = this.jwks.keys.find((k) => k.kid === head.kid);
    if (head.alg !== "ES256" || !jwk) return { valid: false, reason: `unknown key ${head.kid} or algorithm ${head.alg}` };
    const key = createPublicKey({ key: jwk, format: "jwk" });
    if (!verify("sha256", Buffer.from(`${h}.${p}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(s, "base64url"))) {
      return { valid: false, reason: "bad signature" };
    }
    const now = Math.floor(Date.now() / 1000);
    const expected = { iss: `${this.authority.url}/${this.tenantId}/v2.0`, tid: this.tenantId, aud: KEY_VAULT_RESOURCE };
    for (const [name, value] of Object.entries(expected)) {
      if (claims[name] !== value) return { valid: false, reason: `${name} is ${claims[name]}, not ${value}`, claims };
    }
    if (!(claims.exp > now)) return { valid: false, reason: "expired", claims };
    this.seenTokenIds.add(claims.uti);
    if (this.revokedIds.has(claims.uti) || claims.iat < this.revokedBefore)
      return { valid: false, claimsChallenge: true, reason: "revoked", claims };
    if (this.requiredAcr && !(claims.acrs ?? []).includes(this.requiredAcr)) {
      return { valid: false, claimsChallenge: true, reason: `no authentication context ${this.requiredAcr}`, claims };
    }
    return { valid: true, claims };
  }
}
