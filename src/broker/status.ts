import { loadNativeBroker } from "./native";
import { selectPlatform, type BrokerKind } from "./select";

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

/** The last availability probe's outcome (by a credential, or by `doctor`). */
let probed: { available: boolean; reason?: string } | undefined;

export function recordProbe(available: boolean, reason?: string): void {
  probed = { available, reason };
}

/**
 * What this machine offers, without waiting: the addon, the broker module, and the last probe.
 * Before any probe, `available` means "everything needed is here"; the broker is asked on first use.
 * Never throws.
 */
export function brokerStatus(): BrokerStatus {
  try {
    const choice = selectPlatform();
    const load = loadNativeBroker();
    const base = { platform: process.platform, addonLoaded: !!load.addon, addonPath: load.path, broker: choice.kind };
    if (!choice.platform) return { ...base, available: false, reason: choice.reason };
    if (!load.addon) return { ...base, available: false, reason: load.error };
    if (choice.kind === "linux-dbus" && !process.env.DBUS_SESSION_BUS_ADDRESS) {
      return { ...base, available: false, reason: "No D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set), so the identity broker cannot be reached." };
    }
    return { ...base, available: probed?.available ?? true, reason: probed?.reason };
  } catch (error) {
    return { platform: process.platform, addonLoaded: false, broker: null, available: false, reason: `brokerStatus failed: ${(error as Error).message}` };
  }
}
