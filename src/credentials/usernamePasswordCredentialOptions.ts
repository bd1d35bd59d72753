import type { TokenCachePersistenceOptions } from "./options";
import type { ServiceCredentialOptions } from "./serviceCredentialOptions";

/**
 * Options of `UsernamePasswordCredential` (`@azure/identity`'s names).
 * @deprecated UsernamePasswordCredential is deprecated. Use a more secure credential. See https://aka.ms/azsdk/identity/mfa for details.
 */
export interface UsernamePasswordCredentialOptions extends ServiceCredentialOptions {
  /** Keep the token cache in the OS secret store across runs (default: memory only). */
  tokenCachePersistenceOptions?: TokenCachePersistenceOptions;
}
