import type { AuthenticationRecord } from "../authenticationRecord";
import type { TokenCachePersistenceOptions, UserCredentialOptions } from "./options";

/** Options of `SharedTokenCacheCredential` (azure-identity's, in `@azure/identity`'s spelling). */
export interface SharedTokenCacheCredentialOptions extends UserCredentialOptions {
  /** Use the cached account with this username (case does not matter); needed when several are cached. */
  username?: string;
  /**
   * Use exactly this account (from an earlier `authenticate()`): its client id, tenant and
   * authority too, unless the options name them.
   */
  authenticationRecord?: AuthenticationRecord;
  /**
   * Which persistent cache to read. Default: the one Microsoft's developer tools share
   * (`msal.cache`, as `tokenCachePersistenceOptions: { enabled: true }` writes it); always on.
   */
  tokenCachePersistenceOptions?: Partial<TokenCachePersistenceOptions>;
}
