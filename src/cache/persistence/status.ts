import { PersistenceFailure, describe } from "./failure";
import { checkCacheName } from "./locations";
import { encryptedBackend, probeStore, type Backend } from "./store";

const PROBE_TIMEOUT_MS = 15_000;

/** What token-cache persistence can do on this machine, for `entra-broker doctor` and apps. */
export interface PersistenceStatus {
  /** The store the cache would use; when none is available, the OS's encrypted one (null: there is none). */
  backend: Backend | null;
  available: boolean;
  encrypted: boolean;
  /** The cache file (the data, or the change marker of a secret-store entry). */
  location?: string;
  /** Why it is unavailable, or why the plaintext fallback is used: one line. */
  reason?: string;
  /** What to install or start to make encrypted storage work. */
  fix?: string;
}

/**
 * Runs the real probe (write, read, delete, in an entry of its own) of the store the non-CAE cache
 * of `name` would use, without creating the cache itself. Never throws.
 */
export async function persistenceStatus(
  options: { name?: string; unsafeAllowUnencryptedStorage?: boolean } = {},
): Promise<PersistenceStatus> {
  const backend = encryptedBackend();
  let timer: NodeJS.Timeout | undefined;
  try {
    const name = checkCacheName(options.name);
    // A desktop keyring may show an unlock prompt and wait for it; a status check does not wait for long.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new PersistenceFailure(
              "PERSISTENCE_UNAVAILABLE",
              "",
              `the secret store did not answer within ${PROBE_TIMEOUT_MS / 1000} s`,
              "unlock the keyring (an unlock prompt may be waiting)",
            ),
          ),
        PROBE_TIMEOUT_MS,
      );
      timer.unref();
    });
    const store = await Promise.race([
      probeStore({ name, enableCae: false, unsafeAllowUnencryptedStorage: options.unsafeAllowUnencryptedStorage }),
      timeout,
    ]);
    return store.encrypted
      ? { backend: store.backend, available: true, encrypted: true, location: store.location.file }
      : {
          backend: store.backend,
          available: true,
          encrypted: false,
          location: store.location.file,
          reason: store.unencryptedBecause?.reason,
          fix: store.unencryptedBecause?.fix?.join("; or "),
        };
  } catch (error) {
    if (error instanceof PersistenceFailure) {
      return { backend, available: false, encrypted: false, reason: error.reason, fix: error.fix?.join("; or ") };
    }
    return { backend, available: false, encrypted: false, reason: describe(error) };
  } finally {
    clearTimeout(timer);
  }
}
