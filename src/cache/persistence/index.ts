import type { ICachePlugin } from "@azure/msal-node";
import type { CredentialLogger } from "../../logging";
import { PersistentCachePlugin } from "./plugin";
import { fileStamp, openStore, type Store, type StoreOptions } from "./store";

export { PersistenceFailure } from "./failure";
export { checkCacheName, DEFAULT_CACHE_NAME } from "./locations";
export { persistenceStatus, type PersistenceStatus } from "./status";
export type { DataProtectionScope, Store } from "./store";
export { openStore };

export type PersistentCacheOptions = Omit<StoreOptions, "enableCae">;

/** msal's cache plugin for one credential's CAE or non-CAE cache, on its opened (probed) store. */
export function persistentCachePlugin(store: Store, logger: CredentialLogger): ICachePlugin {
  if (!store.encrypted) {
    logger.warning(
      `The token cache is kept UNENCRYPTED in ${store.location.file} (unsafeAllowUnencryptedStorage): ${store.unencryptedBecause?.reason}.`,
    );
  } else {
    logger.info(`The token cache is kept in ${store.backend} (${store.location.file}).`);
  }
  return new PersistentCachePlugin(store, logger);
}

/**
 * The store's text as it is now, read without msal: the read that opened it when nobody saved
 * since, else a new read, kept as the first load of the plugin made next.
 */
export async function currentContents(store: Store): Promise<string | null> {
  const stamp = await fileStamp(store.persistence.getFilePath());
  if (store.firstRead?.stamp === stamp) return store.firstRead.contents;
  const contents = await store.persistence.load();
  if (contents) store.firstRead = { contents, stamp };
  return contents;
}
