// Checks a bearer token as a resource would: signed with a key of the dev authority's JWKS (read
// over HTTPS through its OpenID configuration), issued by it for the token's tenant, for the
// expected audience, not expired.
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from "node:crypto";
import { get } from "node:https";
import { decodeJwtPayload } from "../devAuthority/jwt";

export interface VerifiedToken {
  tid: string;
  oid?: string;
  upn?: string;
  appid?: string;
  claims: Record<string, unknown>;
}

/** Why a token was refused (`code` as resource manager names it). */
export class BearerError extends Error {
  constructor(
    readonly code:
      "AuthenticationFailed" | "InvalidAuthenticationToken" | "ExpiredAuthenticationToken" | "InvalidAuthenticationTokenAudience",
    message: string,
  ) {
    super(message);
  }
}

function getJson(url: string, ca: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = get(url, { ca, agent: false, timeout: 10000 }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => {
        if (res.statusCode !== 200) return reject(new Error(`GET ${url}: HTTP ${res.statusCode}`));
        try {
          resolve(JSON.parse(text) as Record<string, unknown>);
        } catch (e) {
          reject(new Error(`GET ${url}: not JSON`, { cause: e }));
        }
      });
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${url}: timed out`)));
    req.on("error", reject);
  });
}

export class BearerVerifier {
  /** Per tenant: the issuer and signing keys by kid. */
  private readonly tenants = new Map<string, Promise<{ issuer: string; keys: Map<string, KeyObject> }>>();

  constructor(
    private readonly authorityUrl: string,
    private readonly authorityCa: string,
    /** Audiences accepted, compared without trailing slashes. */
    private readonly audiences: string[],
  ) {}

  async verify(authorization: string | undefined): Promise<VerifiedToken> {
    const m = /^Bearer\s+([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(authorization ?? "");
    if (!m)
      throw new BearerError("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing or not a bearer token.");
    const [, h, p, s] = m;
    let header: { alg?: string; kid?: string };
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(h, "base64url").toString("utf8")) as { alg?: string; kid?: string };
      claims = decodeJwtPayload(`${h}.${p}.${s}`);
    } catch {
      throw new BearerError("InvalidAuthenticationToken", "The access token is invalid.");
    }
    const tid = typeof claims.tid === "string" ? claims.tid : "";
    if (!/^[0-9a-f-]{36}$/i.test(tid)) throw new BearerError("InvalidAuthenticationToken", "The access token has no tenant.");
    const tenant = await this.tenant(tid).catch(() => {
      throw new BearerError("InvalidAuthenticationToken", `The access token's tenant '${tid}' is unknown to the authority.`);
    });
    const key = header.kid ? tenant.keys.get(header.kid) : undefined;
    const signed =
      header.alg === "ES256" &&
      key &&
      verify("sha256", Buffer.from(`${h}.${p}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(s, "base64url"));
    if (!signed) throw new BearerError("InvalidAuthenticationToken", "The access token signature is invalid.");
    if (claims.iss !== tenant.issuer) throw new BearerError("InvalidAuthenticationToken", "The access token is from the wrong issuer.");
    const trim = (a: unknown) => String(a).replace(/\/+$/, "").toLowerCase();
    if (!this.audiences.some((a) => trim(a) === trim(claims.aud))) {
      throw new BearerError("InvalidAuthenticationTokenAudience", `The access token has an invalid audience '${String(claims.aud)}'.`);
    }
    if (typeof claims.exp !== "number" || claims.exp * 1000 < Date.now()) {
      throw new BearerError("ExpiredAuthenticationToken", "The access token expiry UTC time is earlier than current UTC time.");
    }
    const str = (k: string) => (typeof claims[k] === "string" ? claims[k] : undefined);
    return { tid, oid: str("oid"), upn: str("upn"), appid: str("appid"), claims };
  }

  private tenant(tid: string): Promise<{ issuer: string; keys: Map<string, KeyObject> }> {
    let entry = this.tenants.get(tid);
    if (!entry) {
      entry = (async () => {
        const config = await getJson(`${this.authorityUrl}/${tid}/v2.0/.well-known/openid-configuration`, this.authorityCa);
        const jwks = await getJson(String(config.jwks_uri), this.authorityCa);
        const keys = new Map<string, KeyObject>();
        for (const jwk of (jwks.keys as (JsonWebKey & { kid?: string })[]) ?? []) {
          if (jwk.kid) keys.set(jwk.kid, createPublicKey({ key: jwk, format: "jwk" }));
        }
        return { issuer: String(config.issuer), keys };
      })();
      entry.catch(() => this.tenants.delete(tid));
      this.tenants.set(tid, entry);
    }
    return entry;
  }
}
