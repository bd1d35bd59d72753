import type { ICachePlugin, TokenCacheContext } from "@azure/msal-node";
import { promises as fs } from "node:fs";
import type { CredentialLogger } from "../../logging";
import { loadExtensions } from "./extensions";
import { PersistenceFailure, describe } from "./failure";
import { acquireLock, type HeldLock, type LockOptions } from "./lock";
import { fileStamp, type Store } from "./store";

/** The sections of msal's cache JSON; each, when present, is an object of entries. */
const SECTIONS = ["Account", "IdToken", "AccessToken", "RefreshToken", "AppMetadata"];

/**
 * msal's cache plugin over one store: loads only when another process changed the store (its
 * file's stat changes), holds the cross-process lock only around a load or a save (msal calls
 * before/after with `cacheHasChanged` around writing a token response, after the network call),
 * and moves a corrupt cache aside instead of failing or going silently empty.
 */
export class PersistentCachePlugin implements ICachePlugin {
  /** The store's file as we last loaded or saved it; another value means another process wrote. */
  private seen?: string;
  /** Locks taken by `beforeCacheAccess` for a write, released by its `afterCacheAccess`. */
  private readonly writes = new WeakMap<TokenCacheContext, HeldLock>();
  private readonly lockFile: string;
  private readonly lockOptions: LockOptions;
  /** What opening the store read, served to the first load if nobody saved since. */
  private firstRead: Store["firstRead"];

  constructor(
    private readonly store: Store,
    private readonly logger: CredentialLogger,
    lockOptions: LockOptions = {},
  ) {
    this.lockFile = `${store.persistence.getFilePath()}.lockfile`;
    this.lockOptions = { onStale: (m) => logger.warning(m), ...lockOptions };
    this.firstRead = store.firstRead;
  }

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!context.cacheHasChanged && this.seen !== undefined && (await this.stamp()) === this.seen) return;
    const lock = await acquireLock(this.lockFile, this.lockOptions);
    try {
      await this.reloadIfChanged(context);
    } catch (error) {
      await lock.release();
      throw error;
    }
    if (context.cacheHasChanged) this.writes.set(context, lock);
    else await lock.release();
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    const lock = this.writes.get(context);
    if (!lock) return; // a read, or a write whose before failed: nothing to save, nothing held
    this.writes.delete(context);
    try {
      const contents = context.tokenCache.serialize();
      await this.guard("saved", () => this.store.persistence.save(contents));
      // msal rebuilds its memory from the text last deserialized (TokenCache.overwriteCache, on every
      // silent call): make that what was just saved, or tokens acquired since the load would vanish.
      context.tokenCache.deserialize(contents);
      this.seen = await this.stamp();
    } finally {
      await lock.release();
    }
  }

  /** Under the lock: the store's current state into msal's memory, unless we already have it. */
  private async reloadIfChanged(context: TokenCacheContext): Promise<void> {
    const stamp = await this.stamp();
    if (stamp === this.seen) return;
    let contents: string | null;
    const first = this.firstRead;
    this.firstRead = undefined;
    try {
      contents = first?.stamp === stamp ? first.contents : await this.store.persistence.load();
      if (contents === null && this.store.seed) contents = await this.store.seed.load();
    } catch (error) {
      // A DPAPI file that no longer decrypts is as corrupt as bad JSON; any other failure is the store's.
      if (!(this.store.backend === "dpapi" && /decrypt/i.test(describe(error)))) throw failure("read", error);
      context.tokenCache.deserialize("{}");
      await this.moveAside("", error);
      this.seen = await this.stamp();
      return;
    }
    try {
      checkShape(contents);
      context.tokenCache.deserialize(contents || "{}");
    } catch (error) {
      context.tokenCache.deserialize("{}"); // msal kept the bad text as its merge base
      await this.moveAside(contents ?? "", error);
    }
    this.seen = await this.stamp();
  }

  /** Keeps a corrupt cache for inspection and starts an empty one: the user signs in again. */
  private async moveAside(contents: string, error: unknown): Promise<void> {
    const file = this.store.persistence.getFilePath();
    const aside = `${file}.corrupt`;
    await this.guard("moved aside", async () => {
      if (this.store.backend === "file" || this.store.backend === "dpapi") {
        await fs.rename(file, aside);
      } else {
        const extensions = loadExtensions();
        const Kind = this.store.backend === "keychain" ? extensions.KeychainPersistence : extensions.LibSecretPersistence;
        const copy = await Kind.create(aside, this.store.location.service, `${this.store.location.account}.corrupt`);
        await copy.save(contents);
        await this.store.persistence.delete();
      }
    });
    this.logger.warning(
      `The persisted token cache could not be read (${corruption(error)}); it was moved aside to ${this.store.backend === "file" || this.store.backend === "dpapi" ? aside : `the ${this.store.backend} entry ${this.store.location.account}.corrupt`} and a new one started. Users sign in again.`,
    );
  }

  private stamp(): Promise<string> {
    return this.guard("read", () => fileStamp(this.store.persistence.getFilePath()));
  }

  private async guard<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw failure(what, error);
    }
  }
}

function failure(what: string, error: unknown): PersistenceFailure {
  if (error instanceof PersistenceFailure) return error;
  return new PersistenceFailure(
    "PERSISTENCE_FAILED",
    `The persisted token cache could not be ${what}: ${describe(error)}.`,
    describe(error),
    undefined,
    { cause: error },
  );
}

/** Why cache text is unusable, quoting none of it: V8's JSON.parse messages quote the text, which may hold a secret. */
function corruption(error: unknown): string {
  if (!(error instanceof SyntaxError)) return describe(error);
  const position = /at position \d+/.exec(error.message)?.[0];
  return `not valid JSON${position ? ` ${position}` : /end of JSON/.test(error.message) ? ": it ends early" : ""}`;
}

/** Throws unless `contents` is empty or msal's cache JSON: an object of object sections. */
function checkShape(contents: string | null): void {
  if (!contents) return;
  const parsed: unknown = JSON.parse(contents);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new TypeError("the cache is not a JSON object");
  for (const section of SECTIONS) {
    const value = (parsed as Record<string, unknown>)[section];
    if (value !== undefined && (typeof value !== "object" || value === null || Array.isArray(value))) {
      throw new TypeError(`the cache's ${section} section is not an object`);
    }
  }
}
