// The certificate authority made at start and the server certificate it signs (127.0.0.1, localhost).
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

export interface DevCertificates {
  caPem: string;
  certPem: string;
  keyPem: string;
}

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const SIGN = { name: "ECDSA", hash: "SHA-256" } as const;

function toPem(der: ArrayBuffer, label: string): string {
  const b64 = Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n");
  return `-----BEGIN ${label}-----\n${b64}${b64.endsWith("\n") ? "" : "\n"}-----END ${label}-----\n`;
}

function serial(): string {
  // Positive, non-zero, 16 bytes.
  const b = webcrypto.getRandomValues(new Uint8Array(16));
  b[0] = (b[0] & 0x7f) | 0x01;
  return Buffer.from(b).toString("hex");
}

/**
 * A fresh CA and a 127.0.0.1/localhost server certificate it signs (also for other local HTTPS
 * stand-ins); `extraDnsNames` are added to the certificate's names (e.g. a host a local proxy answers for).
 */
export async function makeCertificates(extraDnsNames: string[] = []): Promise<DevCertificates> {
  const crypto = webcrypto as unknown as Crypto;
  x509.cryptoProvider.set(crypto);
  const now = Date.now();
  const notBefore = new Date(now - 60 * 60 * 1000);
  const notAfter = new Date(now + 30 * 24 * 60 * 60 * 1000);

  const caKeys = await crypto.subtle.generateKey(ALG, true, ["sign", "verify"]);
  const ca = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial(),
      name: `CN=entra-broker dev authority CA ${serial().slice(0, 8)}, O=entra-broker`,
      notBefore,
      notAfter,
      keys: caKeys,
      signingAlgorithm: SIGN,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
      ],
    },
    crypto,
  );

  const serverKeys = await crypto.subtle.generateKey(ALG, true, ["sign", "verify"]);
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serial(),
      subject: "CN=127.0.0.1",
      issuer: ca.subject,
      notBefore,
      notAfter,
      publicKey: serverKeys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: SIGN,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension([
          { type: "ip", value: "127.0.0.1" },
          { type: "dns", value: "localhost" },
          ...extraDnsNames.map((value) => ({ type: "dns" as const, value })),
        ]),
        await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
        await x509.SubjectKeyIdentifierExtension.create(serverKeys.publicKey),
      ],
    },
    crypto,
  );

  const pkcs8 = await crypto.subtle.exportKey("pkcs8", serverKeys.privateKey);
  return {
    caPem: ca.toString("pem") + "\n",
    certPem: cert.toString("pem") + "\n",
    keyPem: toPem(pkcs8, "PRIVATE KEY"),
  };
}

/** An RSA client certificate for `private_key_jwt` tests, issued by a CA of its own. */
export interface DevClientCertificate {
  /** The certificate (PEM): register it in `clients[].certificates`. */
  certPem: string;
  /** Its PKCS#8 private key (PEM). */
  keyPem: string;
  /** The CA that issued it (PEM): append it to make a chain (`sendCertificateChain`). */
  caPem: string;
  /** Upper-case hex SHA-1 thumbprint, as the Azure portal shows it. */
  thumbprint: string;
}

const RSA = { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" } as const;

/** A fresh RSA-2048 client certificate (and its CA), e.g. for ClientCertificateCredential tests. */
export async function makeClientCertificate(subject = "CN=entra-broker dev client"): Promise<DevClientCertificate> {
  const crypto = webcrypto as unknown as Crypto;
  x509.cryptoProvider.set(crypto);
  const now = Date.now();
  const notBefore = new Date(now - 60 * 60 * 1000);
  const notAfter = new Date(now + 30 * 24 * 60 * 60 * 1000);
  const caKeys = await crypto.subtle.generateKey(RSA, true, ["sign", "verify"]);
  const ca = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial(),
      name: `CN=entra-broker dev client CA ${serial().slice(0, 8)}`,
      notBefore,
      notAfter,
      keys: caKeys,
      signingAlgorithm: RSA,
      extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
    },
    crypto,
  );
  const keys = await crypto.subtle.generateKey(RSA, true, ["sign", "verify"]);
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serial(),
      subject,
      issuer: ca.subject,
      notBefore,
      notAfter,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: RSA,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      ],
    },
    crypto,
  );
  const thumbprint = Buffer.from(await cert.getThumbprint("SHA-1", crypto))
    .toString("hex")
    .toUpperCase();
  return {
    certPem: cert.toString("pem") + "\n",
    keyPem: toPem(await crypto.subtle.exportKey("pkcs8", keys.privateKey), "PRIVATE KEY"),
    caPem: ca.toString("pem") + "\n",
    thumbprint,
  };
}
