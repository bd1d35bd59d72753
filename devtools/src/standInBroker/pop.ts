// Proof-of-possession as a broker does it: one key pair of its own, access tokens bound to that key
// by the authority (`req_cnf` -> `cnf.kid`), and each token wrapped in a signed HTTP request (SHR)
// for one resource request. SHR claims as MSAL and Entra resources use them: at, ts, m, u, p, nonce, cnf.
import { createHash, generateKeyPairSync, randomUUID, sign, type JsonWebKey, type KeyObject } from "node:crypto";
import { Status, fail, isRecord, optionalString } from "./protocol";

/** The resource request a PoP token is for, from the request's `popParams`. */
export interface PopParams {
  httpMethod: string;
  uriHost: string;
  uriPath: string;
  nonce?: string;
  clientClaims?: string;
}

/** `popParams` of a token request or generateSignedHttpRequest; undefined when it asks for Bearer. */
export function readPopParams(value: unknown): PopParams | undefined {
  if (value === null || value === undefined) return undefined;
  if (!isRecord(value)) fail(Status.ApiContractViolation, "popParams is not an object");
  const scheme = optionalString(value.authenticationScheme)?.toLowerCase();
  if (scheme === "bearer") return undefined;
  const httpMethod = optionalString(value.httpMethod);
  const uriHost = optionalString(value.uriHost);
  if (!httpMethod || !/^[A-Za-z]+$/.test(httpMethod))
    fail(Status.ApiContractViolation, "popParams.httpMethod is missing or not an HTTP method");
  if (!uriHost) fail(Status.ApiContractViolation, "popParams.uriHost is missing");
  return {
    httpMethod: httpMethod.toUpperCase(),
    uriHost,
    uriPath: optionalString(value.uriPath) ?? "/",
    nonce: optionalString(value.nonce),
    clientClaims: optionalString(value.clientClaims),
  };
}

/** The broker's PoP key pair, made once per run; its RFC 7638 thumbprint is the key id. */
export class PopKey {
  readonly kid: string;
  readonly jwk: JsonWebKey;
  private readonly privateKey: KeyObject;

  constructor() {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const { e, kty, n } = publicKey.export({ format: "jwk" });
    this.kid = createHash("sha256").update(JSON.stringify({ e, kty, n })).digest("base64url");
    this.jwk = { kid: this.kid, kty, e, n };
    this.privateKey = privateKey;
  }

  /** The token request's `req_cnf`: base64url JSON naming the key (software-held: xms_ksl "sw"). */
  get reqCnf(): string {
    return Buffer.from(JSON.stringify({ kid: this.kid, xms_ksl: "sw" })).toString("base64url");
  }

  /** An SHR for `pop`, carrying `accessToken` (bound to this key) when there is one. */
  signedHttpRequest(pop: PopParams, accessToken?: string): string {
    const header = { alg: "RS256", typ: "pop", kid: this.kid };
    const payload: Record<string, unknown> = {
      ...(accessToken ? { at: accessToken } : {}),
      ts: Math.floor(Date.now() / 1000),
      m: pop.httpMethod,
      u: pop.uriHost,
      p: pop.uriPath,
      nonce: pop.nonce ?? randomUUID(),
      cnf: { jwk: this.jwk },
      ...(pop.clientClaims ? { client_claims: pop.clientClaims } : {}),
    };
    const input = `${Buffer.from(JSON.stringify(header)).toString("base64url")}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}`;
    return `${input}.${sign("sha256", Buffer.from(input), this.privateKey).toString("base64url")}`;
  }
}
