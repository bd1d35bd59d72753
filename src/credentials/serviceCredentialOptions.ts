import type { TokenCachePersistenceOptions, UserCredentialOptions } from "./options";

/**
 * Options every service credential (secret, certificate, assertion, environment, workload
 * identity) takes, with `@azure/identity`'s names: the authority, the tenants a call may name,
 * logging. The tenant and client come as constructor arguments.
 */
export type ServiceCredentialOptions = Omit<UserCredentialOptions, "tenantId" | "clientId">;

/** The options of the credentials that keep msal's token cache and may persist it. */
export interface ConfidentialCredentialOptions extends ServiceCredentialOptions {
  /** Keep the app's token cache in the OS secret store across runs (default: memory only). */
  tokenCachePersistenceOptions?: TokenCachePersistenceOptions;
}
