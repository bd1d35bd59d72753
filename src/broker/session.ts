import type { CredentialLogger } from "../logging";
import { isNativeBrokerError, loadNativeBroker } from "./native";
import { NativeBrokerPlugin } from "./plugin";
import { selectPlatform } from "./select";
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
      throw error;
    }
  }

  private fallBack(reason: string): undefined {
    recordProbe(false, reason);
    this.logger.info(`No OS broker; signing in through the system browser. Reason: ${reason.split("\n")[0]}`);
    return undefined;
  }
}
