import { persistenceStatus, type PersistenceStatus } from "../cache/persistence/status";
import type { TokenCachePersistenceOptions } from "../credentials/options";

/** The persistence layer's own probe of the store (it writes, reads and deletes). Never throws. */
export function persistenceReport(name: string, allowUnencrypted: boolean): Promise<PersistenceStatus> {
  return persistenceStatus({ name, unsafeAllowUnencryptedStorage: allowUnencrypted });
}

/**
 * The persistence options for the CLI's credentials: on when the store works here (so `accounts`
 * and `logout` see earlier runs); otherwise off, saying why on stderr.
 */
export async function cliPersistence(name: string, allowUnencrypted: boolean): Promise<TokenCachePersistenceOptions | undefined> {
  const report = await persistenceReport(name, allowUnencrypted);
  if (report.available) {
    if (!report.encrypted)
      process.stderr.write(
        `token cache: NOT encrypted, in ${report.location} (${report.reason ?? "allowed by --allow-unencrypted-cache"})\n`,
      );
    return { enabled: true, name, unsafeAllowUnencryptedStorage: allowUnencrypted };
  }
  process.stderr.write(
    `token cache: kept in memory only, not across runs (${report.reason ?? "no secret store"})${report.fix ? `; ${report.fix}` : ""}\n`,
  );
  return undefined;
}
