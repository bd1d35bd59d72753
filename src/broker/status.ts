import type { BrokerKind } from "./native";

/** What {@link brokerStatus} reports. */
export interface BrokerStatus {
  /** `process.platform`. */
  platform: NodeJS.Platform;
  /** Whether the native addon loaded. */
  addonLoaded: boolean;
  /** The `.node` file that loaded. */
  addonPath?: string;
  /** This platform's broker: `wam`, `macos-sso`, `linux-dbus`; `null` where there is none. */
  broker: BrokerKind | null;
  /** Whether the broker can be used (after a probe: whether it answered). */
  available: boolean;
  /** Why not, one line. */
  reason?: string;
  /** The stable code of why not (`ADDON_NOT_LOADED`, `NO_SESSION_BUS`, `UNSUPPORTED_PLATFORM`...), when known. */
  code?: string;
  /**
   * When the addon did not load: the loader's whole text (the reason, what was looked for and
   * where, what to do), for a log or a bug report; the same as `reason`, `looked` and `fix`.
   */
  detail?: string;
  /** What would fix it, one step per entry, when known. */
  fix?: string[];
  /** When the addon did not load: where it was looked for. */
  looked?: string[];
}

/**
 * What this machine offers, without waiting: the addon, the broker module, and the last probe.
 * Before any probe, `available` means "everything needed is here"; the broker is asked on first use.
 * Never throws.
 */
export function brokerStatus(): BrokerStatus {
  try {
    // The broker's modules load when asked about, not with the package.
    const { brokerPrerequisites, lastProbe } = require("./availability") as typeof import("./availability");
    const { loadNativeBroker } = require("./native") as typeof import("./native");
    const { kind, ready, missing } = brokerPrerequisites();
    const load = loadNativeBroker();
    const base = { platform: process.platform, addonLoaded: !!load.addon, addonPath: load.path, broker: kind };
    if (!ready) {
      return {
        ...base,
        available: false,
        reason: missing?.reason ?? missing?.message,
        ...(missing?.code ? { code: missing.code } : {}),
        ...(load.error ? { detail: load.error } : {}),
        ...(missing?.fix ? { fix: missing.fix } : {}),
        ...(load.looked ? { looked: load.looked } : {}),
      };
    }
    const probed = lastProbe();
    return { ...base, available: probed?.available ?? true, reason: probed?.reason };
  } catch (error) {
    return {
      platform: process.platform,
      addonLoaded: false,
      broker: null,
      available: false,
      reason: `brokerStatus failed: ${(error as Error).message}`,
    };
  }
}
