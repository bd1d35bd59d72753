// Client assertions made in the tests with Node's crypto (no OAuth library): private_key_jwt JWTs
// signed with a client certificate's key, with every header and claim overridable.
import { constants, createHash, randomUUID, sign, X509Certificate } from "node:crypto";

export const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

const b64url = (v) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");

export function thumbprints(certPem) {
  const der = new X509Certificate(certPem).raw;
  return {
    der,
    x5t: createHash("sha1").update(der).digest("base64url"),
    x5tS256: createHash("sha256").update(der).digest("base64url"),
    x5c: der.toString("base64"),
  };
}

/** Signs a JWT: alg RS256 (PKCS#1 v1.5) or PS256 (PSS, salt = digest length), as msal-node does. */
export function signJwt(header, payload, keyPem) {
  const input = `${b64url(header)}.${b64url(payload)}`;
  const key =
    header.alg === "PS256"
      ? { key: keyPem, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
      : keyPem;
  return `${input}.${sign("sha256", Buffer.from(input), key).toString("base64url")}`;
}

/** A certificate assertion for `clientId` at `tokenEndpoint`; `header`/`claims` override or (undefined) remove fields. */
export function certificateAssertion({ clientId, tokenEndpoint, cert, header = {}, claims = {}, alg = "PS256" }) {
  const t = thumbprints(cert.certPem);
  const now = Math.floor(Date.now() / 1000);
  const h = { alg, typ: "JWT", ...(alg === "PS256" ? { "x5t#S256": t.x5tS256 } : { x5t: t.x5t }), ...header };
  const p = { aud: tokenEndpoint, iss: clientId, sub: clientId, jti: randomUUID(), nbf: now, iat: now, exp: now + 600, ...claims };
  for (const o of [h, p]) for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return signJwt(h, p, cert.keyPem);
}

export function assertionForm({ clientId, assertion, scope = "https://graph.microsoft.com/.default", extra = {} }) {
  return {
    grant_type: "client_credentials",
    client_id: clientId,
    scope,
    client_assertion_type: JWT_BEARER,
    client_assertion: assertion,
    ...extra,
  };
}
