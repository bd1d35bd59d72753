import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { CredentialUnavailableError } from "../errors";
import { credentialLogger } from "../logging";
import { ClientCertificateCredential } from "./clientCertificateCredential";
import { ClientSecretCredential } from "./clientSecretCredential";
import type { EnvironmentCredentialOptions } from "./environmentCredentialOptions";
import { UsernamePasswordCredential } from "./usernamePasswordCredential";

/** Every variable this credential reads, in the order the message lists them. */
export const ENVIRONMENT_CREDENTIAL_VARIABLES = [
  "AZURE_TENANT_ID",
  "AZURE_CLIENT_ID",
  "AZURE_CLIENT_SECRET",
  "AZURE_CLIENT_CERTIFICATE_PATH",
  "AZURE_CLIENT_CERTIFICATE_PASSWORD",
  "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN",
  "AZURE_USERNAME",
  "AZURE_PASSWORD",
  "AZURE_AUTHORITY_HOST",
  "AZURE_ADDITIONALLY_ALLOWED_TENANTS",
] as const;

const logger = credentialLogger("EnvironmentCredential");

/**
 * A service principal or a user from environment variables, read when constructed:
 * `AZURE_TENANT_ID` and `AZURE_CLIENT_ID` with `AZURE_CLIENT_SECRET`, else with
 * `AZURE_CLIENT_CERTIFICATE_PATH` (PEM or PKCS#12; `AZURE_CLIENT_CERTIFICATE_PASSWORD`,
 * `AZURE_CLIENT_SEND_CERTIFICATE_CHAIN`), else with `AZURE_USERNAME` and `AZURE_PASSWORD`
 * (deprecated: no MFA). `AZURE_AUTHORITY_HOST` and `AZURE_ADDITIONALLY_ALLOWED_TENANTS`
 * (semicolon-separated, `*` for any) apply to each. Incomplete: `getToken` rejects with
 * `CredentialUnavailableError` (`ENVIRONMENT_NOT_CONFIGURED`) naming the variables missing. The
 * chosen credential's failures reach the caller as they are: AuthenticationError with the
 * authority's `error` and status.
 */
export class EnvironmentCredential implements TokenCredential {
  private readonly credential?: ClientSecretCredential | ClientCertificateCredential | UsernamePasswordCredential;
  private readonly unusable?: Error;

  constructor(options: EnvironmentCredentialOptions = {}) {
    const env = (name: (typeof ENVIRONMENT_CREDENTIAL_VARIABLES)[number]) => process.env[name] || undefined;
    const set = ENVIRONMENT_CREDENTIAL_VARIABLES.filter((name) => env(name) !== undefined);
    logger.info(`Found the following environment variables: ${set.join(", ") || "none"}.`);
    const tenantId = env("AZURE_TENANT_ID");
    const clientId = env("AZURE_CLIENT_ID");
    const secret = env("AZURE_CLIENT_SECRET");
    const certificatePath = env("AZURE_CLIENT_CERTIFICATE_PATH");
    const username = env("AZURE_USERNAME");
    const password = env("AZURE_PASSWORD");
    const fromEnv = (env("AZURE_ADDITIONALLY_ALLOWED_TENANTS") ?? "")
      .split(";")
      .map((t) => t.trim())
      .filter(Boolean);
    const shared = { ...options, additionallyAllowedTenants: [...fromEnv, ...(options.additionallyAllowedTenants ?? [])] };
    if (!tenantId || !clientId || !(secret || certificatePath || (username && password))) {
      this.unusable = notConfigured(set, { tenantId, clientId, secret, certificatePath, username, password });
      return;
    }
    try {
      if (secret) {
        logger.info("Using the client secret (AZURE_CLIENT_SECRET).");
        this.credential = new ClientSecretCredential(tenantId, clientId, secret, shared);
      } else if (certificatePath) {
        logger.info("Using the client certificate (AZURE_CLIENT_CERTIFICATE_PATH).");
        const sendCertificateChain = ["true", "1"].includes((env("AZURE_CLIENT_SEND_CERTIFICATE_CHAIN") ?? "").toLowerCase());
        const certificatePassword = env("AZURE_CLIENT_CERTIFICATE_PASSWORD");
        this.credential = new ClientCertificateCredential(
          tenantId,
          clientId,
          { certificatePath, certificatePassword },
          { ...shared, sendCertificateChain },
        );
      } else {
        logger.info("Using the username and password (AZURE_USERNAME, AZURE_PASSWORD).");
        this.credential = new UsernamePasswordCredential(tenantId, clientId, username!, password!, shared);
      }
    } catch (error) {
      // A malformed variable (tenant id, authority host): reported by getToken, so a chain can be built.
      this.unusable = error as Error;
    }
  }

  /** A token from the credential the environment configures. */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    if (!this.credential) return Promise.reject(this.unusable!);
    return this.credential.getToken(scopes, options);
  }
}

/** What is missing, said in variable names: the message a developer acts on. */
function notConfigured(set: readonly string[], v: Record<string, string | undefined>): CredentialUnavailableError {
  const missing: string[] = [];
  if (!v.tenantId) missing.push("AZURE_TENANT_ID");
  if (!v.clientId) missing.push("AZURE_CLIENT_ID");
  if (!(v.secret || v.certificatePath || (v.username && v.password))) {
    const partialUser = v.username ? "AZURE_PASSWORD" : v.password ? "AZURE_USERNAME" : "AZURE_USERNAME and AZURE_PASSWORD";
    missing.push(`one of AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH, or ${partialUser}`);
  }
  return new CredentialUnavailableError(
    `EnvironmentCredential is unavailable: the environment does not configure a credential. Missing: ${missing.join("; ")}. Set: ${set.join(", ") || "none"}. Looked for: ${ENVIRONMENT_CREDENTIAL_VARIABLES.join(", ")}.`,
    { code: "ENVIRONMENT_NOT_CONFIGURED" },
  );
}
