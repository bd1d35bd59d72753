// The one place that looks at process.platform to pick a broker.
import { linuxBroker } from "./linux";
import { macosBroker } from "./macos";
import type { BrokerPlatform } from "./platform";
import { windowsBroker } from "./windows";

import type { BrokerKind } from "./native";

export type { BrokerKind };

export interface PlatformChoice {
  kind: BrokerKind | null;
  platform?: BrokerPlatform;
  /** Why there is no broker module for this platform. */
  reason?: string;
}

export function selectPlatform(platform: NodeJS.Platform = process.platform): PlatformChoice {
  switch (platform) {
    case "linux":
      return { kind: "linux-dbus", platform: linuxBroker };
    case "win32":
      return { kind: "wam", platform: windowsBroker };
    case "darwin":
      return { kind: "macos-sso", platform: macosBroker };
    default:
      return { kind: null, reason: `No OS broker exists on ${platform}.` };
  }
}
