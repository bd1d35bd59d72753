import type { CredentialLogger } from "../logging";
import type { NativeBrokerPlugin } from "./plugin";

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
    // The broker's modules (loader, plugin, the three platforms) load at the first token, not with the credential.
    const { findBroker, meansNoBroker } = await import("./availability");
    const found = await findBroker();
    if (found.plugin) {
      this.logger.info(`Using the OS broker (${found.kind}, version ${found.version}).`);
      return found.plugin;
    }
    if (!found.failure || meansNoBroker(found.failure)) {
      this.logger.info(`No OS broker; signing in through the system browser. Reason: ${found.failure?.reason ?? "none found"}`);
      return undefined;
    }
    throw found.failure;
  }
}
