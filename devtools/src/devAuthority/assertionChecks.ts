// Checks both kinds of client assertion share: form, algorithm, signature, time range, replay.
import { constants, createHash, verify, type KeyObject } from "node:crypto";
import { OAuthError } from "./http";
import { decodeJwt, type DecodedJwt } from "./jwt";
import type { Store } from "./store";

export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** Clock skew allowed on `exp` and `nbf`. */
export const ASSERTION_SKEW_SECONDS = 60;
const CERT_DOCS = "Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .";

export function invalidClient(code: number, text: string): OAuthError {
  return new OAuthError("invalid_client", code, text, 401);
}

export function decodeAssertion(assertion: string): DecodedJwt {
  const jwt = assertion.length <= 16384 ? decodeJwt(assertion) : undefined;
  if (!jwt) throw invalidClient(50027, "Invalid JWT token. The client assertion is not a well-formed signed JWT.");
  return jwt;
}

export function checkAlgorithm(jwt: DecodedJwt, allowed: readonly string[]): string {
  const alg = jwt.header.alg;
  if (typeof alg !== "string" || !allowed.includes(alg)) {
    throw invalidClient(
      50027,
      `Invalid JWT token. The client assertion's signing algorithm '${String(alg).slice(0, 16)}' is not supported; use ${allowed.join(" or ")}.`,
    );
  }
  return alg;
}

/** Verifies a JWS signature (RS256, PS256, ES256) with a public key of the matching type. */
export function signatureValid(alg: string, key: KeyObject, jwt: DecodedJwt): boolean {
  const data = Buffer.from(jwt.signingInput);
  try {
    if (alg === "RS256" && key.asymmetricKeyType === "rsa") return verify("sha256", data, key, jwt.signature);
    if (alg === "PS256" && key.asymmetricKeyType === "rsa") {
      return verify(
        "sha256",
        data,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
        jwt.signature,
      );
    }
    if (alg === "ES256" && key.asymmetricKeyType === "ec") return verify("sha256", data, { key, dsaEncoding: "ieee-p1363" }, jwt.signature);
  } catch {
    return false;
  }
  return false;
}

export function requireSignature(alg: string, key: KeyObject, jwt: DecodedJwt, thumbprint: string): void {
  if (!signatureValid(alg, key, jwt)) {
    throw invalidClient(
      7000274,
      `Client assertion contains an invalid signature. [Reason - Key was found, but use of the key to verify the signature failed., Thumbprint of key used by client: '${thumbprint}'] ${CERT_DOCS}`,
    );
  }
}

function iso(seconds: number | undefined): string {
  return seconds === undefined ? "1970-01-01T00:00:00.0000000Z" : new Date(seconds * 1000).toISOString().replace("Z", "0000Z");
}

/** `exp` in the future and `nbf` (when sent) not in the future, within the skew. */
export function checkTimeRange(payload: Record<string, unknown>): void {
  const now = Date.now() / 1000;
  const exp = typeof payload.exp === "number" ? payload.exp : undefined;
  const nbf = typeof payload.nbf === "number" ? payload.nbf : undefined;
  if (payload.nbf !== undefined && nbf === undefined) throw invalidClient(50027, "Invalid JWT token. The 'nbf' claim is not a number.");
  if (exp === undefined || exp + ASSERTION_SKEW_SECONDS < now || (nbf !== undefined && nbf - ASSERTION_SKEW_SECONDS > now)) {
    throw invalidClient(
      700024,
      `Client assertion is not within its valid time range. Current time: ${iso(now)}, assertion valid from ${iso(nbf)}, expiry time of assertion ${iso(exp)}. ${CERT_DOCS}`,
    );
  }
}

export function checkAudience(payload: Record<string, unknown>, accepted: string[]): void {
  const norm = (s: string) => s.toLowerCase().replace(/\/+$/, "");
  const auds = (Array.isArray(payload.aud) ? payload.aud : [payload.aud]).filter((a): a is string => typeof a === "string");
  const ok = new Set(accepted.map(norm));
  if (!auds.some((a) => ok.has(norm(a)))) {
    throw invalidClient(700023, `Client assertion audience claim does not match Realm issuer. ${CERT_DOCS}`);
  }
}

/**
 * A jti names one assertion: a different assertion with a seen jti is refused; the identical
 * assertion sent again is accepted (msal reuses its assertion for 10 minutes, and Entra takes it)
 * unless `strict`.
 */
export function checkReplay(store: Store, clientId: string, jwt: DecodedJwt, strict: boolean): void {
  const jti = jwt.payload.jti;
  if (typeof jti !== "string" || jti === "" || jti.length > 256) {
    throw invalidClient(50027, "Invalid JWT token. The client assertion has no 'jti' claim.");
  }
  const digest = createHash("sha256").update(jwt.signingInput).digest("base64url");
  const seen = store.assertionSeen(`${clientId}|${jti}`, digest, Number(jwt.payload.exp) * 1000 + ASSERTION_SKEW_SECONDS * 1000);
  if (seen === "other" || (seen === "same" && strict)) {
    throw invalidClient(50027, `Invalid JWT token. The client assertion with jti '${jti.slice(0, 64)}' was already used.`);
  }
}
