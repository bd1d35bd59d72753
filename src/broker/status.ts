import { brokerPrerequisites, lastProbe } from "./availability";
import { loadNativeBroker, type BrokerKind } from "./native";

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
  /** Why not, and what to do; when the addon did not load, what was looked for. */
  reason?: string;
}

/**
 * What this machine offers, without waiting: the addon, the broker module, and the last probe.
 * Before any probe, `available` means "everything needed is here"; the broker is asked on first use.
 * Never throws.
 */
export function brokerStatus(): BrokerStatus {
  try {
    const { kind, ready, missing } = brokerPrerequisites();
    const load = loadNativeBroker();
    const base = { platform: process.platform, addonLoaded: !!load.addon, addonPath: load.path, broker: kind };
    // The addon's own text says what was looked for; other reasons are one line.
    if (!ready) return { ...base, available: false, reason: missing?.code === "ADDON_NOT_LOADED" ? missing.message : missing?.reason };
    const probed = lastProbe();
    return { ...base, available: probed?.available ?? true, reason: probed?.reason };
  } catch (error) {
    return { platform: process.platform, addonLoaded: false, broker: null, available: false, reason: `brokerStatus failed: ${(error as Error).message}` };
  }
}
