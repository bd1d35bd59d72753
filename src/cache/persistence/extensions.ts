import { createRequire } from "node:module";
import path from "node:path";
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

type ClassName = keyof Extensions;
const CLASSES: ClassName[] = ["FilePersistence", "FilePersistenceWithDataProtection", "LibSecretPersistence", "KeychainPersistence"];
/** The classes that keep the secret in keytar (Secret Service, Keychain). */
const KEYTAR_CLASSES = new Set<ClassName>(["LibSecretPersistence", "KeychainPersistence"]);

const MODULE = "@azure/msal-node-extensions";
const loaded = new Map<ClassName, { value?: Extensions[ClassName]; failure?: PersistenceFailure }>();

/**
 * msal-node-extensions' persistence classes, each loaded on first use only, so that importing
 * entra-broker never needs them. A load failure is remembered and reported with its fix.
 */
export function loadExtensions(): Extensions {
  const extensions = {} as Extensions;
  for (const name of CLASSES) Object.defineProperty(extensions, name, { enumerable: true, get: () => loadClass(name) });
  return extensions;
}

function loadClass<N extends ClassName>(name: N): Extensions[N] {
  let entry = loaded.get(name);
  if (!entry) {
    try {
      entry = { value: requireClass(name) };
    } catch (error) {
      entry = { failure: loadFailure(error) };
    }
    loaded.set(name, entry);
  }
  if (entry.failure) throw entry.failure;
  return entry.value as Extensions[N];
}

/**
 * The package's main entry also loads its broker module and with it @azure/msal-node-runtime
 * (about 70 ms, and a native library we never use). Its ESM build keeps each persistence class in
 * its own file (dist/persistence/), but its exports map publishes only ".": so we resolve its
 * package.json (exported) and require the class's file by path. Node < 20.19 cannot require ESM;
 * there the main entry is the way.
 */
function requireClass<N extends ClassName>(name: N): Extensions[N] {
  const root = path.dirname(require.resolve(`${MODULE}/package.json`));
  // keytar through require first: a keytar that did not build fails here with its own message
  // (the ESM import inside the class's file would reuse this loaded copy).
  if (KEYTAR_CLASSES.has(name)) createRequire(path.join(root, "package.json"))("keytar");
  try {
    return (require(path.join(root, "dist", "persistence", `${name}.mjs`)) as Extensions)[name];
  } catch (error) {
    if ((error as { code?: string })?.code !== "ERR_REQUIRE_ESM") throw error;
    return (require(MODULE) as Extensions)[name];
  }
}

function loadFailure(error: unknown): PersistenceFailure {
  const reason = describe(error);
  const code = (error as { code?: string })?.code;
  let fix: string;
  if (code === "MODULE_NOT_FOUND" && reason.includes(`'${MODULE}`)) {
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
  return new PersistenceFailure(
    "PERSISTENCE_UNAVAILABLE",
    `Token cache persistence is unavailable: ${MODULE} could not be loaded (${reason}).`,
    reason,
    fix,
    {
      cause: error,
    },
  );
}
