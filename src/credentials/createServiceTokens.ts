import { AzureAuthorityHosts } from "../authorityHosts";
import { invalidArgument } from "../errors";
import { credentialLogger } from "../logging";
import type { ClientCredential } from "../tokens/apps";
import { acquireByClientCredential } from "../tokens/flows/clientCredentials";
import { ServiceTokens } from "../tokens/serviceTokens";
import { checkClientId, checkTenantId, normalizeAuthorityHost } from "../util/validation";
import { persistenceOptions } from "./createTokenService";
import type { ConfidentialCredentialOptions } from "./serviceCredentialOptions";

/**
 * Resolves a confidential credential's arguments and options (defaults, `AZURE_AUTHORITY_HOST`,
 * validation) into its token layer on the client credentials grant. Throws InvalidArgumentError
 * for a bad tenant, client id, authority host or tenant list; loads nothing.
 */
export function createServiceTokens(
  credentialName: string,
  tenantId: string,
  clientId: string,
  options: ConfidentialCredentialOptions,
  clientCredential: () => Promise<ClientCredential>,
): ServiceTokens {
  if (typeof tenantId !== "string" || tenantId === "") {
    throw invalidArgument("INVALID_TENANT_ID", `${credentialName}: tenantId is required: the Microsoft Entra tenant (directory) id.`);
  }
  checkTenantId(tenantId);
  checkClientId(clientId);
  const allowed = options.additionallyAllowedTenants ?? [];
  if (!Array.isArray(allowed)) throw invalidArgument("INVALID_TENANT_ID", "additionallyAllowedTenants must be an array of tenant ids.");
  for (const t of allowed) if (t !== "*") checkTenantId(t);
  return new ServiceTokens(
    {
      clientId,
      tenantId,
      authorityHost: normalizeAuthorityHost(
        options.authorityHost ?? process.env.AZURE_AUTHORITY_HOST ?? AzureAuthorityHosts.AzurePublicCloud,
      ),
      authorityCa: options.authorityCa,
      disableInstanceDiscovery: !!options.disableInstanceDiscovery,
      additionallyAllowedTenants: allowed,
      persistence: persistenceOptions(options.tokenCachePersistenceOptions),
      clientCredential,
      logger: credentialLogger(
        credentialName,
        !!options.loggingOptions?.enableUnsafeSupportLogging,
        !!options.loggingOptions?.allowLoggingAccountIdentifiers,
      ),
    },
    acquireByClientCredential,
  );
}
