// The one reader of client certificates: PEM (key and certificates in one file, as @azure/identity
// reads them) and PKCS#12 (.pfx/.p12, which Node's crypto cannot open: node-forge, loaded only then).
import { createHash, createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { CredentialUnavailableError, invalidArgument } from "../errors";

/** Where a certificate comes from: PEM text, or a file (PEM or PKCS#12). */
export interface CertificateSource {
  certificate?: string;
  certificatePath?: string;
  certificatePassword?: string;
}

/** What msal-node's `clientCertificate` takes. */
export interface ClientCertificate {
  /** SHA-256 of the leaf certificate's DER, hex upper case (`x5t#S256`). */
  thumbprintSha256: string;
  /** The private key, decrypted, as PKCS#8 PEM. */
  privateKey: string;
  /** With `sendCertificateChain`: the leaf and the rest of the chain, PEM, leaf first (`x5c`). */
  x5c?: string;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** Reads and checks a certificate; every bad input is a typed error, and nothing is sent before this. */
export async function loadClientCertificate(source: CertificateSource, sendCertificateChain: boolean): Promise<ClientCertificate> {
  const contents =
    source.certificate !== undefined ? Buffer.from(source.certificate, "utf8") : await readCertificateFile(source.certificatePath!);
  const text = contents.toString("utf8");
  const { certificates, key } = text.includes("-----BEGIN ")
    ? fromPem(text, source.certificatePassword)
    : fromPkcs12(contents, source.certificatePassword);
  return assemble(certificates, key, sendCertificateChain);
}

async function readCertificateFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    throw new CredentialUnavailableError(
      `The certificate file ${path} cannot be read (${code}): check certificatePath (AZURE_CLIENT_CERTIFICATE_PATH).`,
      {
        code: "CERTIFICATE_UNREADABLE",
        cause: error,
      },
    );
  }
}

interface Parts {
  certificates: X509Certificate[];
  key: KeyObject;
}

function fromPem(text: string, password: string | undefined): Parts {
  const blocks = [...text.matchAll(PEM_BLOCK)].map(([block, label]) => ({ block, label }));
  const certificates = blocks.filter((b) => b.label === "CERTIFICATE").map((b) => parseCertificate(b.block));
  if (certificates.length === 0) throw noCertificate("PEM");
  const keyBlock = blocks.find((b) => /(^| )PRIVATE KEY$/.test(b.label));
  if (!keyBlock) throw noKey("PEM");
  const encrypted = keyBlock.label === "ENCRYPTED PRIVATE KEY" || /Proc-Type: *4, *ENCRYPTED/.test(keyBlock.block);
  if (encrypted && password === undefined) throw badPassword("The private key is encrypted and no certificatePassword was given.");
  try {
    return { certificates, key: createPrivateKey({ key: keyBlock.block, format: "pem", passphrase: password }) };
  } catch (error) {
    if (encrypted) throw badPassword("The private key could not be decrypted with certificatePassword.");
    throw invalidArgument(
      "INVALID_CERTIFICATE_KEY",
      `The PEM private key cannot be read (${(error as NodeJS.ErrnoException).code ?? "unknown"}).`,
    );
  }
}

function parseCertificate(pemOrDer: string | Buffer): X509Certificate {
  try {
    return new X509Certificate(pemOrDer);
  } catch {
    throw invalidArgument("INVALID_CERTIFICATE", "A certificate in the file is not a valid X.509 certificate.");
  }
}

/** The subset of node-forge's API read here (its own types are not a dependency). */
interface Forge {
  asn1: { fromDer(bytes: string): unknown; toDer(asn1: unknown): { getBytes(): string } };
  pkcs12: { pkcs12FromAsn1(asn1: unknown, strict: boolean, password?: string): ForgePkcs12 };
  pki: {
    oids: Record<string, string>;
    certificateToAsn1(cert: unknown): unknown;
    privateKeyToPem(key: unknown): string;
  };
}
interface ForgeBag {
  cert?: unknown;
  key?: unknown;
  asn1?: unknown;
}
interface ForgePkcs12 {
  getBags(filter: { bagType: string }): Record<string, ForgeBag[] | undefined>;
}

function loadForge(): Forge {
  try {
    return require("node-forge") as Forge;
  } catch (error) {
    throw new CredentialUnavailableError(
      "Reading a PKCS#12 (.pfx/.p12) certificate needs the package node-forge, which is not installed: run `npm install node-forge`, or convert the file to PEM (`openssl pkcs12 -in cert.pfx -out cert.pem -nodes`).",
      { code: "PKCS12_UNSUPPORTED", cause: error },
    );
  }
}

function fromPkcs12(der: Buffer, password: string | undefined): Parts {
  if (der.length < 4 || der[0] !== 0x30) throw notCertificate();
  const forge = loadForge();
  let asn1: unknown;
  try {
    asn1 = forge.asn1.fromDer(der.toString("binary"));
  } catch {
    throw notCertificate();
  }
  let p12: ForgePkcs12;
  try {
    p12 = openPkcs12(forge, asn1, password);
  } catch {
    throw badPassword(
      password === undefined
        ? "The PKCS#12 file needs a password: give certificatePassword (AZURE_CLIENT_CERTIFICATE_PASSWORD)."
        : "The PKCS#12 file could not be opened with certificatePassword (wrong password, or a damaged file).",
    );
  }
  const { oids } = forge.pki;
  const bags = (type: string) => p12.getBags({ bagType: type })[type] ?? [];
  const certificates = bags(oids.certBag)
    .filter((bag) => bag.cert || bag.asn1)
    // forge parses RSA certificates; for others it keeps the ASN.1, which Node reads.
    .map((bag) => forge.asn1.toDer(bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1).getBytes())
    .map((der) => parseCertificate(Buffer.from(der, "binary")));
  if (certificates.length === 0) throw noCertificate("PKCS#12");
  const keyBag = [...bags(oids.pkcs8ShroudedKeyBag), ...bags(oids.keyBag)][0];
  if (!keyBag) throw noKey("PKCS#12");
  try {
    // forge reads RSA keys; for others it keeps the PrivateKeyInfo, which Node reads.
    const key = keyBag.key
      ? createPrivateKey(forge.pki.privateKeyToPem(keyBag.key))
      : createPrivateKey({ key: Buffer.from(forge.asn1.toDer(keyBag.asn1).getBytes(), "binary"), format: "der", type: "pkcs8" });
    return { certificates, key };
  } catch {
    throw invalidArgument("INVALID_CERTIFICATE_KEY", "The private key in the PKCS#12 file cannot be read.");
  }
}

/** Without a password, the empty one first (`openssl pkcs12 -passout pass:`), then none at all. */
function openPkcs12(forge: Forge, asn1: unknown, password: string | undefined): ForgePkcs12 {
  if (password !== undefined) return forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  try {
    return forge.pkcs12.pkcs12FromAsn1(asn1, false, "");
  } catch {
    return forge.pkcs12.pkcs12FromAsn1(asn1, false);
  }
}

/** The certificate the key belongs to first (it signs the assertion), then the rest of the chain as given. */
function assemble(certificates: X509Certificate[], key: KeyObject, sendCertificateChain: boolean): ClientCertificate {
  const leaf = certificates.find((c) => c.checkPrivateKey(key));
  if (!leaf) throw invalidArgument("INVALID_CERTIFICATE_KEY", "The private key does not belong to any certificate in the file.");
  const chain = [leaf, ...certificates.filter((c) => c !== leaf)];
  return {
    thumbprintSha256: createHash("sha256").update(leaf.raw).digest("hex").toUpperCase(),
    privateKey: key.export({ format: "pem", type: "pkcs8" }).toString(),
    x5c: sendCertificateChain ? chain.map((c) => c.toString()).join("\n") : undefined,
  };
}

function notCertificate() {
  return invalidArgument("INVALID_CERTIFICATE", "The certificate is neither PEM nor PKCS#12 (.pfx/.p12).");
}
function noCertificate(format: string) {
  return invalidArgument("INVALID_CERTIFICATE", `The ${format} file holds no certificate: it needs the certificate and its private key.`);
}
function noKey(format: string) {
  return invalidArgument(
    "INVALID_CERTIFICATE_KEY",
    `The ${format} file holds no private key: it needs the certificate and its private key.`,
  );
}
function badPassword(message: string) {
  return invalidArgument("INVALID_CERTIFICATE_PASSWORD", message);
}
