import { promises as fs } from "node:fs";
import path from "node:path";
import { loadExtensions, type Extensions, type Persistence } from "./extensions";
import { PersistenceFailure, describe } from "./failure";
import { DEFAULT_CACHE_NAME, cacheLocation, type CacheLocation } from "./locations";
import { probe, runQuietly } from "./probe";

export type Backend = "libsecret" | "keychain" | "dpapi" | "file";
export type DataProtectionScope = "CurrentUser" | "LocalMachine";

export interface StoreOptions {
  name: string;
  enableCae: boolean;
  unsafeAllowUnencryptedStorage?: boolean;
  /** Windows only: whose DPAPI key protects the file. Default CurrentUser. */
  dataProtectionScope?: DataProtectionScope;
  /**
   * Synchronous work of the caller's (loading msal-node) to run while the probe's first write is
   * in flight: the secret store's round trip leaves the main thread idle. Runs at most once.
   */
  whileWaiting?: () => void;
}

/** An opened, probed store for one cache. */
export interface Store {
  persistence: Persistence;
  backend: Backend;
  encrypted: boolean;
  location: CacheLocation;
  /** Why the encrypted store was not used, when this is the plaintext fallback. */
  unencryptedBecause?: PersistenceFailure;
  /** Where this cache starts from while its own entry is empty (see `identitySharedEntry`). */
  seed?: Persistence;
  /** The entry as read when the store was opened, and the file's stamp before that read: the first load needs no second round trip. */
  firstRead?: { contents: string; stamp: string };
}

/** The OS's encrypted store, or null where msal-node-extensions has none. */
export function encryptedBackend(platform: NodeJS.Platform = process.platform): Exclude<Backend, "file"> | null {
  return platform === "win32" ? "dpapi" : platform === "darwin" ? "keychain" : platform === "linux" ? "libsecret" : null;
}

/** Successful probes, per store and folder: one probe per process, a failed one is retried next time. */
const probes = new Map<string, Promise<void>>();

function probeOnce(key: string, run: () => Promise<void>): Promise<void> {
  let done = probes.get(key);
  if (!done) {
    done = run();
    probes.set(key, done);
    done.catch(() => probes.delete(key));
  }
  return done;
}

/** The store a cache would use, probed but not opened yet (opening creates its file). */
export interface ProbedStore extends Omit<Store, "persistence" | "seed"> {
  open(): Promise<Store>;
}

/**
 * Opens the cache's encrypted store: at once when its entry already holds a cache, else after a
 * write/read/delete probe; when that fails, the plaintext file if `unsafeAllowUnencryptedStorage`,
 * else a PersistenceFailure saying why and what would fix it.
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  const whileWaiting = once(options.whileWaiting);
  return (await openFromOwnEntry({ ...options, whileWaiting })) ?? (await probeStore({ ...options, whileWaiting })).open();
}

/**
 * A value read back from the cache's own entry proves the store works as well as the probe does
 * (a locked keyring answers "nothing there", never a value): one round trip instead of the probe's
 * three, and the plugin's first load is that same read. Anything else leaves it to the probe.
 */
async function openFromOwnEntry(options: StoreOptions): Promise<Store | undefined> {
  const backend = encryptedBackend();
  const location = cacheLocation(options.name, options.enableCae);
  if (!backend) return undefined;
  if ((await fileStamp(location.file).catch(() => "absent")) === "absent") return undefined; // never written here (opening would create it)
  try {
    const persistence = await createEncrypted(loadExtensions(), backend, location, options.dataProtectionScope);
    const stamp = await fileStamp(location.file); // after opening, which chmods the file (its ctime changes)
    const reading = persistence.load();
    runQuietly(options.whileWaiting);
    const contents = await reading;
    if (!contents) return undefined;
    return { persistence, backend, encrypted: true, location, firstRead: { contents, stamp } };
  } catch {
    return undefined; // the probe runs and says why
  }
}

/** The store file's identity and stat: changes whenever anyone saves (libsecret/Keychain rewrite it after each save). */
export async function fileStamp(file: string): Promise<string> {
  try {
    const s = await fs.stat(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "absent";
    throw error;
  }
}

function once(work: (() => void) | undefined): (() => void) | undefined {
  let done = false;
  return work && (() => void (done || ((done = true), work())));
}

/** The probe of `openStore`, without creating the cache's own file (for `persistenceStatus`). */
export async function probeStore(options: StoreOptions): Promise<ProbedStore> {
  const location = cacheLocation(options.name, options.enableCae);
  const dir = path.dirname(location.file);
  const backend = encryptedBackend();
  let failure: PersistenceFailure;
  try {
    if (!backend) throw new Error(`no encrypted store is supported on ${process.platform}`);
    const extensions = loadExtensions();
    const create = (file: string, account: string) =>
      createEncrypted(extensions, backend, { ...location, file, account }, options.dataProtectionScope);
    await probeOnce(`${backend}|${options.dataProtectionScope ?? ""}|${dir}`, () =>
      probe((unique) => create(path.join(dir, `.${unique}`), unique), options.whileWaiting),
    );
    const shared = identitySharedEntry(options, backend) ? cacheLocation(options.name, false) : undefined;
    return {
      backend,
      encrypted: true,
      location,
      open: () =>
        opening(backend, async () => ({
          persistence: await create(location.file, location.account),
          seed: shared && (await create(shared.file, shared.account)),
          backend,
          encrypted: true,
          location,
        })),
    };
  } catch (error) {
    failure = unavailable(error, backend);
  }
  if (!options.unsafeAllowUnencryptedStorage) throw failure;
  try {
    const { FilePersistence } = loadExtensions();
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    // A folder that already existed keeps its mode: tokens in plain text need 0700 either way.
    if (process.platform !== "win32") await fs.chmod(dir, 0o700);
    await probeOnce(`file|${dir}`, () => probe((unique) => FilePersistence.create(path.join(dir, `.${unique}`)), options.whileWaiting));
    const plaintext = { backend: "file" as const, encrypted: false, location, unencryptedBecause: failure };
    return {
      ...plaintext,
      open: () => opening("file", async () => ({ ...plaintext, persistence: await FilePersistence.create(location.file) })),
    };
  } catch (error) {
    throw unavailable(error, "file");
  }
}

/**
 * `@azure/identity` keeps both its caches in one Keychain/Secret Service entry, ours is the
 * non-CAE one; our default CAE cache starts from it, so a user moving over stays signed in for CAE.
 */
function identitySharedEntry(options: StoreOptions, backend: Backend): boolean {
  return options.enableCae && options.name === DEFAULT_CACHE_NAME && (backend === "libsecret" || backend === "keychain");
}

async function opening(backend: Backend, open: () => Promise<Store>): Promise<Store> {
  try {
    return await open();
  } catch (error) {
    throw unavailable(error, backend);
  }
}

function createEncrypted(
  extensions: Extensions,
  backend: Exclude<Backend, "file">,
  location: CacheLocation,
  scope: DataProtectionScope = "CurrentUser",
): Promise<Persistence> {
  switch (backend) {
    case "dpapi":
      return extensions.FilePersistenceWithDataProtection.create(location.file, scope);
    case "keychain":
      return extensions.KeychainPersistence.create(location.file, location.service, location.account);
    case "libsecret":
      return extensions.LibSecretPersistence.create(location.file, location.service, location.account);
  }
}

function unavailable(error: unknown, backend: Backend | null): PersistenceFailure {
  if (error instanceof PersistenceFailure) return error;
  const reason = describe(error);
  const what = backend === "file" ? "The plaintext token cache file" : "Encrypted storage";
  return new PersistenceFailure(
    "PERSISTENCE_UNAVAILABLE",
    `${what} is unavailable for the token cache: ${reason}.`,
    reason,
    fixFor(backend, reason),
    { cause: error },
  );
}

/** What to do about a failed probe, from the messages keytar/libsecret and DPAPI give. */
export function fixFor(backend: Backend | null, reason: string): string | undefined {
  if (backend === null) return "set unsafeAllowUnencryptedStorage to keep the cache in a plaintext file, or keep it in memory";
  if (backend === "libsecret") {
    if (
      /autolaunch D-Bus|DBUS_SESSION_BUS_ADDRESS|address is empty|Could not connect|connection closed|No such file or directory/i.test(
        reason,
      )
    ) {
      return "start a D-Bus session (log in to a desktop session, or run under dbus-run-session) with a Secret Service such as gnome-keyring";
    }
    if (/org\.freedesktop\.secrets/.test(reason))
      return "install a Secret Service provider (Debian/Ubuntu: apt-get install gnome-keyring) and unlock it";
    if (/locked/i.test(reason)) return "unlock the keyring (log in to the desktop, or run gnome-keyring-daemon --unlock)";
    if (/collection|Object does not exist|prompt/i.test(reason))
      return "create and unlock a login keyring (gnome-keyring-daemon --unlock, or log in to the desktop once)";
    return "make sure a Secret Service (gnome-keyring or KWallet) runs on the D-Bus session bus and is unlocked";
  }
  if (backend === "keychain") return "unlock the login Keychain and allow this application to use it";
  if (backend === "dpapi") return "make sure the Windows user profile is loaded (DPAPI needs it)";
  if (/EACCES|EPERM|EROFS/.test(reason)) return "make the cache folder writable by this user";
  return undefined;
}
