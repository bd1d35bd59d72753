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

/** Decodes a JWT payload without checking it (for tests and diagnostics). */
export function decodeJwtPayload(token: string): Record<string, unknown> {
  const part = token.split(".")[1];
  if (!part) throw new Error("not a JWT");
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
}
