import type { CredentialLogger } from "../logging";
import { isNativeBrokerError, loadNativeBroker } from "./native";
import { NativeBrokerPlugin } from "./plugin";
import { selectPlatform, type BrokerKind } from "./select";
import { recordProbe } from "./status";

/** Native error codes that mean "there is no broker here" (fall back), not "the broker failed". */
const ABSENT = new Set(["BROKER_UNAVAILABLE", "LIBRARY_MISSING", "UNSUPPORTED_PLATFORM"]);

/**
 * One credential's view of the OS broker: decided once, on first use. No broker or no addon means
 * the browser flow, with the reason logged; a broker that answers the probe badly is an error.
 */
export class BrokerSession {
  private decided?: Promise<NativeBrokerPlugin | undefined>;

  constructor(private readonly logger: CredentialLogger) {}

  /** The plugin when a broker is here; undefined for the browser fallback. */
  plugin(): Promise<NativeBrokerPlugin | undefined> {
    if (!this.decided) {
      this.decided = this.decide();
      this.decided.catch(() => (this.decided = undefined)); // a failed probe is retried next time
    }
    return this.decided;
  }

  private async decide(): Promise<NativeBrokerPlugin | undefined> {
    const choice = selectPlatform();
    if (!choice.platform) return this.fallBack(choice.reason ?? "no broker on this platform");
    const load = loadNativeBroker();
    if (!load.addon) return this.fallBack(load.error ?? "the native addon did not load");
    const plugin = new NativeBrokerPlugin(load.addon, choice.platform);
    try {
      const version = await plugin.availability();
      recordProbe(true);
      this.logger.info(`Using the OS broker (${choice.kind}, version ${version}).`);
      return plugin;
    } catch (error) {
      if (isNativeBrokerError(error) && ABSENT.has(error.code)) return this.fallBack(error.message);
      recordProbe(false, (error as Error)?.message ?? String(error)); // brokerStatus() says why too
      throw error;
    }
  }

  private fallBack(reason: string): undefined {
    recordProbe(false, reason);
    this.logger.info(`No OS broker; signing in through the system browser. Reason: ${reason.split("\n")[0]}`);
    return undefined;
  }
}

export interface BrokerProbe {
  kind: BrokerKind | null;
  available: boolean;
  /** The broker's version, when it answered. */
  version?: string;
  /** Why not: the platform, the addon, or the broker's own failure (with its `code`). */
  reason?: string;
  code?: string;
}

/** Asks the OS broker whether it is there (for `doctor`), and records the answer for brokerStatus(). Never throws. */
export async function probeBroker(timeoutMs = 10_000): Promise<BrokerProbe> {
  const choice = selectPlatform();
  if (!choice.platform) return { kind: choice.kind, available: false, reason: choice.reason };
  const load = loadNativeBroker();
  if (!load.addon) return { kind: choice.kind, available: false, reason: load.error, code: "ADDON_NOT_LOADED" };
  try {
    const version = await new NativeBrokerPlugin(load.addon, choice.platform).availability(timeoutMs);
    recordProbe(true);
    return { kind: choice.kind, available: true, version };
  } catch (error) {
    const e = error as Error & { code?: string; errorCode?: string };
    const reason = e?.message ?? String(error);
    recordProbe(false, reason);
    return { kind: choice.kind, available: false, reason, code: e?.code ?? e?.errorCode };
  }
}
