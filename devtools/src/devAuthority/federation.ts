// OIDC issuers the dev authority serves under /federation/<name>, so tests can make the tokens a
// workload presents as federated client assertions (Kubernetes, GitHub Actions... stand-ins).
import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from "node:crypto";
import { TOKEN_EXCHANGE_AUDIENCE } from "./clientRegistry";
import { base64url } from "./jwt";
import type { FederatedTokenOptions } from "./types";

export const FEDERATION_PREFIX = "federation";
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

interface IssuerKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: Record<string, unknown>;
}

export class FederationIssuers {
  private readonly keys = new Map<string, IssuerKey>();

  constructor(private readonly baseUrl: () => string) {}

  /** The issuer URL of a name. */
  url(name = "default"): string {
    if (!NAME_RE.test(name)) throw new TypeError(`federation issuer name '${name}' must be letters, digits, '.', '_' or '-'`);
    return `${this.baseUrl()}/${FEDERATION_PREFIX}/${name}`;
  }

  /** The name of an issuer given as a name or as one of our issuer URLs; undefined when it is not ours. */
  nameOf(issuer: string): string | undefined {
    if (NAME_RE.test(issuer)) return issuer;
    const prefix = `${this.baseUrl()}/${FEDERATION_PREFIX}/`;
    if (!issuer.startsWith(prefix)) return undefined;
    const name = issuer.slice(prefix.length).replace(/\/$/, "");
    return NAME_RE.test(name) ? name : undefined;
  }

  /** An issuer written in a registration (a name stands for our issuer of that name) as a URL. */
  normalize(issuer: string): string {
    return issuer.includes("://") ? issuer : this.url(issuer);
  }

  private key(name: string): IssuerKey {
    let k = this.keys.get(name);
    if (!k) {
      const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const jwk = publicKey.export({ format: "jwk" }) as Record<string, unknown>;
      const kid = base64url(
        createHash("sha256")
          .update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }))
          .digest(),
      );
      k = { kid, privateKey, publicKey, jwk: { kty: jwk.kty, n: jwk.n, e: jwk.e, use: "sig", alg: "RS256", kid } };
      this.keys.set(name, k);
    }
    return k;
  }

  /** A token of one of our issuers, signed RS256 with the key its JWKS publishes. */
  issue(options: FederatedTokenOptions): string {
    if (!options || typeof options.subject !== "string" || options.subject === "") {
      throw new TypeError("issueFederatedToken needs a subject");
    }
    const name = this.nameOf(options.issuer ?? "default");
    if (!name) throw new TypeError(`issuer must be a name or a URL under ${this.baseUrl()}/${FEDERATION_PREFIX}/`);
    const life = options.lifetimeSeconds ?? 3600;
    if (!Number.isFinite(life)) throw new RangeError("lifetimeSeconds must be a number");
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: this.url(name),
      sub: options.subject,
      aud: options.audience ?? TOKEN_EXCHANGE_AUDIENCE,
      iat: Math.min(now, now + life),
      nbf: Math.min(now, now + life),
      exp: now + life,
      jti: randomUUID(),
    };
    const k = this.key(name);
    const input = `${base64url(JSON.stringify({ alg: "RS256", kid: k.kid, typ: "JWT" }))}.${base64url(JSON.stringify(claims))}`;
    return `${input}.${base64url(sign("sha256", Buffer.from(input), k.privateKey))}`;
  }

  /** The public key of one of our issuers by kid, for verifying a federated assertion. */
  publicKey(issuer: string, kid: unknown): KeyObject | undefined {
    const name = this.nameOf(issuer);
    const k = name && issuer.includes("://") ? this.keys.get(name) : undefined;
    return k && (kid === undefined || kid === k.kid) ? k.publicKey : undefined;
  }

  openIdConfiguration(name: string): Record<string, unknown> {
    const issuer = this.url(name);
    return {
      issuer,
      jwks_uri: `${issuer}/keys`,
      response_types_supported: ["id_token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
    };
  }

  jwks(name: string): { keys: Record<string, unknown>[] } {
    this.url(name);
    return { keys: [{ ...this.key(name).jwk }] };
  }
}
