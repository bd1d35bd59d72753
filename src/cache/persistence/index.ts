import type { ICachePlugin } from "@azure/msal-node";
import type { CredentialLogger } from "../../logging";
import { PersistentCachePlugin } from "./plugin";
import { openStore, type StoreOptions } from "./store";

export { PersistenceFailure } from "./failure";
export { checkCacheName, DEFAULT_CACHE_NAME } from "./locations";
export { persistenceStatus, type PersistenceStatus } from "./status";
export type { DataProtectionScope } from "./store";

export type PersistentCacheOptions = Omit<StoreOptions, "enableCae">;

/**
 * msal's cache plugin for one credential's CAE or non-CAE cache, after the store's probe.
 * Rejects with a PersistenceFailure when no allowed store works.
 */
export async function persistentCachePlugin(options: StoreOptions, logger: CredentialLogger): Promise<ICachePlugin> {
  const store = await openStore(options);
  if (!store.encrypted) {
    logger.warning(
      `The token cache is kept UNENCRYPTED in ${store.location.file} (unsafeAllowUnencryptedStorage): ${store.unencryptedBecause?.reason}.`,
    );
  } else {
    logger.info(`The token cache is kept in ${store.backend} (${store.location.file}).`);
  }
  return new PersistentCachePlugin(store, logger);
}
