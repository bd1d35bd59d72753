// The native broker addon: its surface, typed once, and the loader. Loading is lazy, cached, and never
// throws: when nothing loads, `error` says what was looked for and what to do (printed by `doctor`).
import * as fs from "node:fs";
import * as path from "node:path";

/** Broker operations; each OS maps them to its own API (Linux: the D-Bus method in brackets). */
export type NativeBrokerOperation =
  | "availability" // getLinuxBrokerVersion; default timeout 10 s
  | "interactiveToken" // acquireTokenInteractively
  | "silentToken" // acquireTokenSilently
  | "accounts" // getAccounts
  | "signOut" // removeAccount
  | "cancelInteractiveFlow"; // cancelInteractiveFlow

export type NativeBrokerBackend = "linux-dbus" | "wam" | "macos-sso" | "unsupported";

/** `code` of a rejected call (native/broker.h `codes`). */
export type NativeBrokerErrorCode =
  | "BROKER_UNAVAILABLE" // no bus, or the broker is neither running nor activatable
  | "BROKER_NO_REPLY" // the broker went away without answering (it crashed)
  | "BROKER_TIMEOUT" // options.timeoutMs elapsed (an interactive flow is also cancelled)
  | "BROKER_CANCELLED" // cancel() was called (an interactive flow is also cancelled)
  | "BROKER_DBUS_ERROR" // another D-Bus error; osError holds its name
  | "BROKER_OS_ERROR" // an OS API failed; osCode holds the HRESULT / errno
  | "BROKER_BAD_REPLY" // the reply was not one string
  | "BROKER_INVALID_REQUEST" // the request could not be sent (not UTF-8)
  | "LIBRARY_MISSING" // a run-time library (libdbus-1) is not installed; the message says which
  | "UNSUPPORTED_PLATFORM"
  | "BROKER_INTERNAL";

export interface NativeBrokerError extends Error {
  code: NativeBrokerErrorCode;
  operation: NativeBrokerOperation;
  correlationId: string;
  /** The OS's name for the failure, e.g. `org.freedesktop.DBus.Error.ServiceUnknown`. */
  osError?: string;
  /** The OS's number for it (HRESULT on Windows). */
  osCode?: number;
}

/** A window handle: Electron's `getNativeWindowHandle()` (4 or 8 bytes), or the handle as a number. */
export type NativeWindowHandle = Uint8Array | bigint | number;

export interface NativeCallOptions {
  parentWindowHandle?: NativeWindowHandle | null;
  /** Integer ms, 0..2147483647; 0 or absent = no limit (availability: 10 s). */
  timeoutMs?: number;
  /** 1..128 printable ASCII characters; a random UUID when absent or empty. */
  correlationId?: string;
}

export interface NativeBrokerCall {
  /** The broker's JSON reply, unparsed; rejects with a NativeBrokerError. */
  readonly promise: Promise<string>;
  readonly correlationId: string;
  /** Ends the call: the promise rejects with BROKER_CANCELLED soon after. Idempotent. */
  cancel(): void;
}

export interface NativeBrokerAddon {
  readonly backend: NativeBrokerBackend;
  /**
   * Runs one broker operation off the JS thread. Throws a TypeError with `code`
   * ERR_INVALID_ARG_TYPE / ERR_INVALID_ARG_VALUE on bad arguments (request: a string of at most 1 MiB).
   */
  call(operation: NativeBrokerOperation, request: string, options?: NativeCallOptions): NativeBrokerCall;
}

export interface NativeBrokerLoad {
  addon?: NativeBrokerAddon;
  /** The .node file that was loaded. */
  path?: string;
  /** Why nothing loaded: what was looked for, and what to do. */
  error?: string;
}

export function isNativeBrokerError(err: unknown): err is NativeBrokerError {
  return err instanceof Error && typeof (err as { code?: unknown }).code === "string" && "operation" in err;
}

let cached: NativeBrokerLoad | undefined;

/** Loads the addon on first use (env ENTRA_BROKER_NATIVE_PATH: a specific .node file). Never throws. */
export function loadNativeBroker(): NativeBrokerLoad {
  if (!cached) cached = tryLoad();
  return cached;
}

const packageRoot = path.join(__dirname, "..", "..");

function tryLoad(): NativeBrokerLoad {
  const override = process.env.ENTRA_BROKER_NATIVE_PATH || undefined;
  let file: string | undefined;
  try {
    if (override) {
      file = path.resolve(override);
    } else {
      const nodeGypBuild = require("node-gyp-build") as { path(dir: string): string };
      file = nodeGypBuild.path(packageRoot);
    }
    const addon = require(file) as Partial<NativeBrokerAddon>;
    if (typeof addon.call !== "function" || typeof addon.backend !== "string") {
      throw new Error(`${file} is not the entra-broker addon (no call() / backend)`);
    }
    return { addon: addon as NativeBrokerAddon, path: file };
  } catch (err) {
    return { error: explain(err, override, file) };
  }
}

function explain(err: unknown, override: string | undefined, file: string | undefined): string {
  const reason = (err instanceof Error ? err.message : String(err)).split("\n")[0];
  const { platform, arch } = process;
  const runtime = `platform=${platform} arch=${arch} node=${process.versions.node} abi=${process.versions.modules} napi=${process.versions.napi}`;
  const looked = override
    ? [`ENTRA_BROKER_NATIVE_PATH=${override}${fs.existsSync(path.resolve(override)) ? "" : " (no such file)"}`]
    : [
        path.join(packageRoot, "build", "Release", "entra_broker.node"),
        path.join(packageRoot, "prebuilds", `${platform}-${arch}`, "*.node") +
          (fs.existsSync(path.join(packageRoot, "prebuilds", `${platform}-${arch}`)) ? "" : " (no such folder)"),
      ];
  const fixes: string[] = [];
  if (override) fixes.push("point ENTRA_BROKER_NATIVE_PATH at an existing entra_broker .node file, or unset it");
  if (/GLIBC|CXXABI|GLIBCXX/.test(reason)) {
    fixes.push("this prebuilt binary needs a newer C library than this system has: build it from source (below)");
  }
  if (/ERR_DLOPEN_DISABLED|--no-addons/.test(reason)) fixes.push("Node runs with --no-addons: remove that flag");
  // In a clone the repository's script builds it; in an install, npm's install script (node-gyp) does.
  const inClone = fs.existsSync(path.join(packageRoot, "scripts", "build-native.mjs"));
  fixes.push(
    `build it from source: ${inClone ? `\`npm run build:native\` in ${packageRoot}` : "`npm rebuild entra-broker` in your project"}` +
      " (node-gyp; needs python3, make and a C++17 compiler; Debian/Ubuntu: apt install build-essential python3)",
  );
  fixes.push("without the addon, sign-in still works through the system browser");
  return [
    `The entra-broker native addon could not be loaded: ${reason}`,
    `Looked for (${runtime}):`,
    ...looked.map((l) => `  - ${l}`),
    ...(!override && file ? [`Tried: ${file}`] : []),
    "Possible solutions:",
    ...fixes.map((f) => `  - ${f}`),
  ].join("\n");
}
