// The registered applications: their secrets, parsed certificates and federated credentials.
import { createHash, X509Certificate, type KeyObject } from "node:crypto";
import type { DevClient, DevFederatedCredential } from "./types";

export const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

/** A registered certificate, with what assertions name it by. */
export interface RegisteredCertificate {
  der: Buffer;
  publicKey: KeyObject;
  /** base64url SHA-1 of the DER (the `x5t` header). */
  x5t: string;
  /** base64url SHA-256 of the DER (the `x5t#S256` header). */
  x5tS256: string;
  /** Upper-case hex SHA-1, as the portal shows it (for error texts). */
  thumbprintHex: string;
}

export type RegisteredFederatedCredential = Required<Omit<DevFederatedCredential, "jwks">> & Pick<DevFederatedCredential, "jwks">;

export interface RegisteredClient {
  readonly registration: DevClient;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly certificates: RegisteredCertificate[];
  readonly federatedCredentials: RegisteredFederatedCredential[];
  readonly roles: string[];
  /** Confidential: it has some credential, so it must present one. */
  readonly confidential: boolean;
}

const PEM_CERT_RE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function parseCertificates(clientId: string, pems: string[]): RegisteredCertificate[] {
  const out: RegisteredCertificate[] = [];
  for (const pem of pems) {
    const blocks = typeof pem === "string" ? pem.match(PEM_CERT_RE) : null;
    if (!blocks) throw new TypeError(`client '${clientId}': certificates must be PEM X.509 certificates`);
    for (const block of blocks) {
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(block);
      } catch {
        throw new TypeError(`client '${clientId}': a certificate is not a valid PEM X.509 certificate`);
      }
      if (cert.publicKey.asymmetricKeyType !== "rsa") {
        throw new TypeError(`client '${clientId}': only RSA certificates can sign client assertions (as in Entra ID)`);
      }
      const der = cert.raw;
      out.push({
        der,
        publicKey: cert.publicKey,
        x5t: createHash("sha1").update(der).digest("base64url"),
        x5tS256: createHash("sha256").update(der).digest("base64url"),
        thumbprintHex: createHash("sha1").update(der).digest("hex").toUpperCase(),
      });
    }
  }
  return out;
}

/** Checks a registration and parses its certificates; throws TypeError on a bad one. */
export function registerClient(client: DevClient): RegisteredClient {
  if (!client || typeof client.clientId !== "string" || client.clientId === "") throw new TypeError("a client needs a clientId");
  if (client.clientSecret !== undefined && (typeof client.clientSecret !== "string" || client.clientSecret === "")) {
    throw new TypeError(`client '${client.clientId}': clientSecret must be a non-empty string`);
  }
  const federatedCredentials = (client.federatedCredentials ?? []).map((f) => {
    if (!f || typeof f.issuer !== "string" || !f.issuer || typeof f.subject !== "string" || !f.subject) {
      throw new TypeError(`client '${client.clientId}': a federated credential needs an issuer and a subject`);
    }
    return { issuer: f.issuer, subject: f.subject, audiences: f.audiences ?? [TOKEN_EXCHANGE_AUDIENCE], jwks: f.jwks };
  });
  const certificates = parseCertificates(client.clientId, client.certificates ?? []);
  const registration: DevClient = { ...client };
  return {
    registration,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    certificates,
    federatedCredentials,
    roles: [...(client.roles ?? [])],
    confidential: client.clientSecret !== undefined || certificates.length > 0 || federatedCredentials.length > 0,
  };
}
