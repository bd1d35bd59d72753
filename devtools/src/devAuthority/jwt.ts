// The token signing key made at start, JWT signing (ES256) and the JWKS document.
import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";

export function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

export class TokenSigner {
  readonly kid: string;
  private readonly privateKey: KeyObject;
  private readonly jwk: Record<string, unknown>;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: "jwk" }) as Record<string, unknown>;
    // RFC 7638 thumbprint as the key id.
    const thumb = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
    this.kid = base64url(createHash("sha256").update(thumb).digest());
    this.jwk = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, use: "sig", alg: "ES256", kid: this.kid };
  }

  sign(claims: Record<string, unknown>): string {
    const header = base64url(JSON.stringify({ typ: "JWT", alg: "ES256", kid: this.kid }));
    const payload = base64url(JSON.stringify(claims));
    const input = `${header}.${payload}`;
    const sig = sign("sha256", Buffer.from(input), { key: this.privateKey, dsaEncoding: "ieee-p1363" });
    return `${input}.${base64url(sig)}`;
  }

  jwks(): { keys: Record<string, unknown>[] } {
    return { keys: [{ ...this.jwk }] };
  }
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** `header.payload`, what the signature covers. */
  signingInput: string;
  signature: Buffer;
}

const B64URL_RE = /^[A-Za-z0-9_-]*$/;

function jsonObject(part: string): Record<string, unknown> | undefined {
  const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Splits and decodes a compact JWS without checking it; undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((p) => B64URL_RE.test(p)) || !parts[0] || !parts[1]) return undefined;
  try {
    const header = jsonObject(parts[0]);
    const payload = jsonObject(parts[1]);
    if (!header || !payload) return undefined;
    return { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], "base64url") };
  } catch {
    return undefined;
  }
}

/** Decodes a JWT payload without checking it (for tests and diagnostics). */
export function decodeJwtPayload(token: string): Record<string, unknown> {
  const decoded = decodeJwt(token);
  if (!decoded) throw new Error("not a JWT");
  return decoded.payload;
}
