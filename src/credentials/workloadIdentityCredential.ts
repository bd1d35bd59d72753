import { readFile } from "node:fs/promises";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { CredentialUnavailableError } from "../errors";
import type { ServiceTokens } from "../tokens/serviceTokens";
import { createServiceTokens } from "./createServiceTokens";
import type { WorkloadIdentityCredentialOptions } from "./workloadIdentityCredentialOptions";

/** The token file is re-read when the copy in memory is this old (Kubernetes rotates it), as the anchor does. */
const TOKEN_FILE_MAX_AGE_MS = 5 * 60_000;

/**
 * Microsoft Entra Workload ID (Kubernetes): the service account token in a file, presented as a
 * federated client assertion. Options, else `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`,
 * `AZURE_FEDERATED_TOKEN_FILE` and `AZURE_AUTHORITY_HOST`. Anything missing: `getToken` rejects
 * with `CredentialUnavailableError` (`WORKLOAD_IDENTITY_NOT_CONFIGURED`) naming it. The token is never logged.
 */
export class WorkloadIdentityCredential implements TokenCredential {
  private readonly tokens?: ServiceTokens;
  private readonly unusable?: Error;
  private file?: { assertion: string; readAt: number };

  constructor(options: WorkloadIdentityCredentialOptions = {}) {
    const { tenantId: optionTenant, clientId: optionClient, tokenFilePath: optionFile, ...rest } = options;
    const tenantId = optionTenant || process.env.AZURE_TENANT_ID;
    const clientId = optionClient || process.env.AZURE_CLIENT_ID;
    const tokenFilePath = optionFile || process.env.AZURE_FEDERATED_TOKEN_FILE;
    const missing = [
      tenantId ? undefined : "tenantId (AZURE_TENANT_ID)",
      clientId ? undefined : "clientId (AZURE_CLIENT_ID)",
      tokenFilePath ? undefined : "tokenFilePath (AZURE_FEDERATED_TOKEN_FILE)",
    ].filter(Boolean);
    if (missing.length > 0) {
      this.unusable = new CredentialUnavailableError(
        `WorkloadIdentityCredential is unavailable: missing ${missing.join(", ")}. Set them as options or environment variables (Azure Kubernetes Service sets them for a pod with workload identity).`,
        { code: "WORKLOAD_IDENTITY_NOT_CONFIGURED" },
      );
      return;
    }
    try {
      // Its own token layer, not a ClientAssertionCredential inside, so that its log lines carry its own name.
      this.tokens = createServiceTokens("WorkloadIdentityCredential", tenantId!, clientId!, rest, () =>
        Promise.resolve({ clientAssertion: () => this.readTokenFile(tokenFilePath!) }),
      );
    } catch (error) {
      this.unusable = error as Error;
    }
  }

  /** The app's token for `scopes`, with the federated token as its assertion. */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    if (!this.tokens) return Promise.reject(this.unusable!);
    return this.tokens.getToken(scopes, options);
  }

  private async readTokenFile(path: string): Promise<string> {
    if (this.file && Date.now() - this.file.readAt < TOKEN_FILE_MAX_AGE_MS) return this.file.assertion;
    let assertion: string;
    try {
      assertion = (await readFile(path, "utf8")).trim();
    } catch (error) {
      throw new CredentialUnavailableError(
        `WorkloadIdentityCredential: the federated token file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? "unknown error"}).`,
        { code: "FEDERATED_TOKEN_UNREADABLE", cause: error },
      );
    }
    if (!assertion) {
      throw new CredentialUnavailableError(`WorkloadIdentityCredential: the federated token file ${path} is empty.`, {
        code: "FEDERATED_TOKEN_UNREADABLE",
      });
    }
    this.file = { assertion, readAt: Date.now() };
    return assertion;
  }
}
