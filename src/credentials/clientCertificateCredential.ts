import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { invalidArgument } from "../errors";
import type { ServiceTokens } from "../tokens/serviceTokens";
import { loadClientCertificate, type CertificateSource } from "../util/certificate";
import type {
  ClientCertificateCredentialOptions,
  ClientCertificateCredentialPEMConfiguration,
  ClientCertificatePEMCertificate,
  ClientCertificatePEMCertificatePath,
} from "./clientCertificateCredentialOptions";
import { createServiceTokens } from "./createServiceTokens";

/**
 * An app registration's own tokens, with a certificate registered on it: msal signs a client
 * assertion (`private_key_jwt`) with its key. PEM as `@azure/identity` reads it (the key and the
 * certificate in one file or string), and PKCS#12 files (`.pfx`/`.p12`, with or without a password),
 * which need the package `node-forge`. The file is read at the first `getToken`; a missing or
 * unusable one rejects with a typed error (TROUBLESHOOTING.md) before anything is sent. The key is
 * never logged.
 */
export class ClientCertificateCredential implements TokenCredential {
  private readonly tokens: ServiceTokens;

  constructor(tenantId: string, clientId: string, certificatePath: string, options?: ClientCertificateCredentialOptions);
  constructor(
    tenantId: string,
    clientId: string,
    configuration: ClientCertificatePEMCertificatePath,
    options?: ClientCertificateCredentialOptions,
  );
  constructor(
    tenantId: string,
    clientId: string,
    configuration: ClientCertificatePEMCertificate,
    options?: ClientCertificateCredentialOptions,
  );
  constructor(
    tenantId: string,
    clientId: string,
    certificate: string | ClientCertificateCredentialPEMConfiguration,
    options: ClientCertificateCredentialOptions = {},
  ) {
    const source = certificateSource(certificate);
    const sendChain = !!options.sendCertificateChain;
    this.tokens = createServiceTokens("ClientCertificateCredential", tenantId, clientId, options, async () => ({
      clientCertificate: await loadClientCertificate(source, sendChain),
    }));
  }

  /** The app's token for `scopes`; rejects with AuthenticationError carrying the authority's `error` and status. */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.tokens.getToken(scopes, options);
  }
}

/** Exactly one of a path or PEM text, non-empty; the password a string when given. */
function certificateSource(input: string | ClientCertificateCredentialPEMConfiguration): CertificateSource {
  const config: Partial<ClientCertificatePEMCertificate & ClientCertificatePEMCertificatePath> =
    typeof input === "string" ? { certificatePath: input } : (input ?? {});
  const { certificate, certificatePath, certificatePassword } = config;
  const given = [certificate, certificatePath].filter((v) => v !== undefined);
  if (given.length !== 1 || typeof given[0] !== "string" || given[0].trim() === "") {
    throw invalidArgument(
      "INVALID_CERTIFICATE",
      "ClientCertificateCredential: give exactly one of certificatePath (a PEM or PKCS#12 file) or certificate (PEM text), non-empty.",
    );
  }
  if (certificatePassword !== undefined && typeof certificatePassword !== "string") {
    throw invalidArgument("INVALID_CERTIFICATE_PASSWORD", "ClientCertificateCredential: certificatePassword must be a string.");
  }
  return { certificate, certificatePath, certificatePassword };
}
