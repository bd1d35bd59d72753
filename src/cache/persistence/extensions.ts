import { PersistenceFailure, describe } from "./failure";

/** The part of msal-node-extensions' IPersistence we use. */
export interface Persistence {
  save(contents: string): Promise<void>;
  load(): Promise<string | null>;
  delete(): Promise<boolean>;
  getFilePath(): string;
}

/** The classes we take from @azure/msal-node-extensions, typed here so its types are never needed. */
export interface Extensions {
  FilePersistence: { create(path: string): Promise<Persistence> };
  FilePersistenceWithDataProtection: { create(path: string, scope: string): Promise<Persistence> };
  LibSecretPersistence: { create(path: string, service: string, account: string): Promise<Persistence> };
  KeychainPersistence: { create(path: string, service: string, account: string): Promise<Persistence> };
}

const MODULE = "@azure/msal-node-extensions";
let loaded: { module?: Extensions; failure?: PersistenceFailure } | undefined;

/**
 * Loads msal-node-extensions (and with it keytar's native binary) on first use only, so that
 * importing entra-broker never needs them. A load failure is remembered and reported with its fix.
 */
export function loadExtensions(): Extensions {
  if (!loaded) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = { module: require(MODULE) as Extensions };
    } catch (error) {
      loaded = { failure: loadFailure(error) };
    }
  }
  if (loaded.failure) throw loaded.failure;
  return loaded.module!;
}

function loadFailure(error: unknown): PersistenceFailure {
  const reason = describe(error);
  const code = (error as { code?: string })?.code;
  let fix: string;
  if (code === "MODULE_NOT_FOUND" && reason.includes(`'${MODULE}'`)) {
    fix = `install it: npm i ${MODULE} (an optional dependency of entra-broker)`;
  } else if (/libsecret-1\.so/.test(reason)) {
    fix = "install libsecret (Debian/Ubuntu: apt-get install libsecret-1-0)";
  } else if (/keytar/.test(reason)) {
    fix =
      process.platform === "linux"
        ? "keytar did not build: install libsecret-1-dev, pkg-config and a C++ toolchain, then run npm rebuild keytar"
        : "keytar did not build: reinstall it (npm rebuild keytar)";
  } else {
    fix = `reinstall ${MODULE}`;
  }
  return new PersistenceFailure("PERSISTENCE_UNAVAILABLE", `Token cache persistence is unavailable: ${MODULE} could not be loaded (${reason}).`, reason, fix, {
    cause: error,
  });
}
