import { AzureAuthorityHosts } from "../authorityHosts";
import type { PersistentCacheOptions } from "../cache/persistence";
import { checkCacheName } from "../cache/persistence/locations";
import { invalidArgument } from "../errors";
import { credentialLogger } from "../logging";
import { TokenService, type TokenServiceOptions } from "../tokens/tokenService";
import { checkClientId, checkTenantId, normalizeAuthorityHost } from "../util/validation";
import type { InteractiveCredentialOptions, TokenCachePersistenceOptions } from "./options";

/** The Azure CLI's public client id, `@azure/identity`'s default. */
export const DEVELOPER_SIGN_ON_CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/** Resolves the shared options (defaults, env, validation) into the msal layer of one credential. */
export function createTokenService(
  credentialName: string,
  options: InteractiveCredentialOptions,
  extra: Partial<TokenServiceOptions> & { loginHint?: string } = {},
): TokenService {
  // A record supplies what the options leave out, as azure-identity does: its account is found
  // only with the client id, tenant and authority it signed in with.
  const record = options.authenticationRecord;
  const clientId = options.clientId ?? record?.clientId ?? DEVELOPER_SIGN_ON_CLIENT_ID;
  checkClientId(clientId);
  const tenantId = options.tenantId ?? record?.tenantId ?? (options.clientId ? "common" : "organizations");
  checkTenantId(tenantId);
  const persistence = persistenceOptions(options.tokenCachePersistenceOptions);
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw invalidArgument("INVALID_TIMEOUT", "timeout must be a positive number of milliseconds.");
  for (const t of options.additionallyAllowedTenants ?? []) if (t !== "*") checkTenantId(t);
  return new TokenService({
    clientId,
    tenantId,
    authorityHost: normalizeAuthorityHost(
      options.authorityHost ??
        (record ? `https://${record.authority}` : undefined) ??
        process.env.AZURE_AUTHORITY_HOST ??
        AzureAuthorityHosts.AzurePublicCloud,
    ),
    authorityCa: options.authorityCa,
    disableInstanceDiscovery: !!options.disableInstanceDiscovery,
    additionallyAllowedTenants: options.additionallyAllowedTenants ?? [],
    authenticationRecord: options.authenticationRecord,
    disableAutomaticAuthentication: !!options.disableAutomaticAuthentication,
    timeoutMs: timeout,
    persistence,
    logger: credentialLogger(
      credentialName,
      !!options.loggingOptions?.enableUnsafeSupportLogging,
      !!options.loggingOptions?.allowLoggingAccountIdentifiers,
    ),
    ...extra,
  });
}

/** Checked here, used on first getToken: the secret store is probed only when a token is needed. */
export function persistenceOptions(options: TokenCachePersistenceOptions | undefined): PersistentCacheOptions | undefined {
  if (!options?.enabled) return undefined;
  const scope = options.dataProtectionScope;
  if (scope !== undefined && scope !== "CurrentUser" && scope !== "LocalMachine") {
    throw invalidArgument(
      "INVALID_DATA_PROTECTION_SCOPE",
      'tokenCachePersistenceOptions.dataProtectionScope must be "CurrentUser" or "LocalMachine".',
    );
  }
  return {
    name: checkCacheName(options.name),
    unsafeAllowUnencryptedStorage: !!options.unsafeAllowUnencryptedStorage,
    dataProtectionScope: scope,
  };
}
