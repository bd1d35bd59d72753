// The native broker addon: its surface, typed once, and the loader. Loading is lazy, cached, and never
// throws: when nothing loads, `error` says what was looked for and what to do (printed by `doctor`).
import * as fs from "node:fs";
import * as path from "node:path";
import { Failure, type FailureKind } from "../failure";

/** Broker operations; each OS maps them to its own API (Linux: the D-Bus method in brackets). */
export type NativeBrokerOperation =
  | "availability" // getLinuxBrokerVersion; default timeout 10 s
  | "interactiveToken" // acquireTokenInteractively
  | "silentToken" // acquireTokenSilently
  | "accounts" // getAccounts
  | "signOut" // removeAccount
  | "cancelInteractiveFlow"; // cancelInteractiveFlow

/** Which OS broker: WAM (Windows), the Enterprise SSO extension (macOS), the identity broker over D-Bus (Linux). */
export type BrokerKind = "wam" | "macos-sso" | "linux-dbus";

/** The broker the addon was built for. */
export type NativeBrokerBackend = BrokerKind | "unsupported";

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
  /** Why nothing loaded, one line. */
  reason?: string;
  /** What would make it load, one step per entry (the last: sign-in still works without it). */
  fix?: string[];
  /** Where it was looked for. */
  looked?: string[];
  /** All of the above as text, for logs and brokerStatus(). */
  error?: string;
}

/** What each of the addon's codes means to a caller. */
const NATIVE_KINDS: Record<NativeBrokerErrorCode, FailureKind> = {
  BROKER_UNAVAILABLE: "unavailable",
  LIBRARY_MISSING: "unavailable",
  UNSUPPORTED_PLATFORM: "unavailable",
  BROKER_NO_REPLY: "unreachable",
  BROKER_DBUS_ERROR: "unreachable",
  BROKER_OS_ERROR: "unreachable",
  BROKER_INTERNAL: "unreachable",
  BROKER_TIMEOUT: "timed_out",
  BROKER_CANCELLED: "cancelled",
  BROKER_BAD_REPLY: "bad_reply",
  BROKER_INVALID_REQUEST: "invalid_request",
};

/** A rejected call as a Failure of its kind; the addon's error stays as `cause`. */
export function nativeFailure(error: NativeBrokerError): Failure {
  return new Failure(NATIVE_KINDS[error.code] ?? "unreachable", error.code, error.message, {
    osError: error.osError,
    osCode: error.osCode,
    reason: error.message,
    cause: error,
  });
}

export function isNativeBrokerError(err: unknown): err is NativeBrokerError {
  return err instanceof Error && typeof (err as { code?: unknown }).code === "string" && "operation" in err;
}

/** The last of the loader's fixes: not a fix, the fallback. */
export const WITHOUT_ADDON = "without the addon, sign-in still works through the system browser";

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
    return explain(err, override, file);
  }
}

function explain(err: unknown, override: string | undefined, file: string | undefined): NativeBrokerLoad {
  // Said by the step that failed, not read from the error's text: finding a binary (node-gyp-build's
  // message runs on for lines), loading one that is missing (so does the require stack), or dlopen.
  const code = (err as { code?: unknown })?.code;
  const reason = !file
    ? code === "MODULE_NOT_FOUND"
      ? "node-gyp-build is not installed"
      : "no built or prebuilt binary fits this platform"
    : code === "MODULE_NOT_FOUND"
      ? `no such module ${file}`
      : err instanceof Error
        ? err.message
        : String(err);
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
  fixes.push(WITHOUT_ADDON);
  const error = [
    `The entra-broker native addon could not be loaded: ${reason}`,
    `Looked for (${runtime}):`,
    ...looked.map((l) => `  - ${l}`),
    ...(!override && file ? [`Tried: ${file}`] : []),
    "Possible solutions:",
    ...fixes.map((f) => `  - ${f}`),
  ].join("\n");
  return { reason: `The entra-broker native addon could not be loaded: ${reason}`, fix: fixes, looked, error };
}
