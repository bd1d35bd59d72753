import type { ConfidentialCredentialOptions } from "./serviceCredentialOptions";

/** Options of `ClientCertificateCredential` (`@azure/identity`'s names). */
export interface ClientCertificateCredentialOptions extends ConfidentialCredentialOptions {
  /** Send the certificate chain (`x5c`) with the assertion, for subject name and issuer authorization. */
  sendCertificateChain?: boolean;
}

/** The certificate as PEM text: the private key and the certificate (and its chain) in one string. */
export interface ClientCertificatePEMCertificate {
  /** The PEM text: `-----BEGIN PRIVATE KEY-----` (or an encrypted key) and the certificate, leaf and chain in any order. */
  certificate: string;
  /** The private key's password, when it is encrypted. */
  certificatePassword?: string;
}

/** The certificate as a file: PEM (key and certificate), or PKCS#12 (`.pfx`/`.p12`, needs `node-forge`). */
export interface ClientCertificatePEMCertificatePath {
  /** The file's path: PEM (key and certificate), or `.pfx`/`.p12`. */
  certificatePath: string;
  /** The PEM key's or the PKCS#12 file's password. */
  certificatePassword?: string;
}

/** Either way of giving the certificate. */
export type ClientCertificateCredentialPEMConfiguration = ClientCertificatePEMCertificate | ClientCertificatePEMCertificatePath;
