// The one answer to "is there a broker here": what is needed before asking (a broker module for
// this OS, the addon, a D-Bus session bus on Linux), then the broker's own answer to the probe.
// BrokerSession, probeBroker (doctor) and brokerStatus() all read it from here.
import { Failure, isFailure } from "../failure";
import { loadNativeBroker, type BrokerKind, type NativeBrokerAddon } from "./native";
import type { BrokerPlatform } from "./platform";
import { NativeBrokerPlugin } from "./plugin";
import { selectPlatform } from "./select";

/**
 * True when a failure means no broker is here (kind `unavailable`: no module for this OS, no addon,
 * no bus, no libdbus, the broker neither running nor activatable), so the browser flow is the right
 * one; any other failure means the broker is here and failing.
 */
export function meansNoBroker(error: unknown): boolean {
  return isFailure(error, "unavailable");
}

export interface BrokerPrerequisites {
  kind: BrokerKind | null;
  /** All that is needed to ask the broker, when everything is here. */
  ready?: { platform: BrokerPlatform; addon: NativeBrokerAddon; addonPath?: string };
  /** Why the broker cannot be asked (kind `unavailable`). */
  missing?: Failure;
}

/** What must be here before the broker can be asked. Synchronous, never throws. */
export function brokerPrerequisites(): BrokerPrerequisites {
  const choice = selectPlatform();
  if (!choice.platform)
    return {
      kind: choice.kind,
      missing: new Failure("unavailable", "UNSUPPORTED_PLATFORM", choice.reason ?? "No OS broker exists here.", { reason: choice.reason }),
    };
  const load = loadNativeBroker();
  if (!load.addon) {
    return {
      kind: choice.kind,
      missing: new Failure("unavailable", "ADDON_NOT_LOADED", load.error ?? "The native addon did not load.", {
        reason: load.reason,
        fix: load.fix,
      }),
    };
  }
  if (choice.kind === "linux-dbus" && !process.env.DBUS_SESSION_BUS_ADDRESS) {
    const reason = "No D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set), so the identity broker cannot be reached.";
    return {
      kind: choice.kind,
      missing: new Failure("unavailable", "NO_SESSION_BUS", reason, {
        reason,
        fix: ["run in a desktop session, which has a D-Bus session bus"],
      }),
    };
  }
  return { kind: choice.kind, ready: { platform: choice.platform, addon: load.addon, addonPath: load.path } };
}

/** The last probe's outcome (by a credential, or by `doctor`), for brokerStatus(). */
let probed: { available: boolean; reason?: string } | undefined;

export function lastProbe(): { available: boolean; reason?: string } | undefined {
  return probed;
}

export interface BrokerFound {
  kind: BrokerKind | null;
  /** The plugin, when the broker answered. */
  plugin?: NativeBrokerPlugin;
  version?: string;
  /** Why there is none: a Failure whose `meansNoBroker` says whether to fall back. */
  failure?: Failure;
}

/** Asks the broker whether it is there, once everything it needs is here. Never throws; records the answer. */
export async function findBroker(timeoutMs = 10_000): Promise<BrokerFound> {
  const { kind, ready, missing } = brokerPrerequisites();
  if (!ready) {
    probed = { available: false, reason: missing?.reason ?? missing?.message };
    return { kind, failure: missing };
  }
  const plugin = new NativeBrokerPlugin(ready.addon, ready.platform);
  try {
    const version = await plugin.availability(timeoutMs);
    probed = { available: true };
    return { kind, plugin, version };
  } catch (error) {
    const failure = isFailure(error)
      ? error
      : new Failure("bad_reply", "BROKER_BAD_REPLY", String((error as Error)?.message ?? error), { cause: error });
    probed = { available: false, reason: failure.reason ?? failure.message };
    return { kind, failure };
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
  /** What would fix it, when we know. */
  fix?: string[];
}

/** The probe as `doctor` reports it. Never throws. */
export async function probeBroker(timeoutMs = 10_000): Promise<BrokerProbe> {
  const found = await findBroker(timeoutMs);
  if (found.plugin) return { kind: found.kind, available: true, version: found.version };
  const f = found.failure;
  return { kind: found.kind, available: false, reason: f?.reason ?? f?.message, code: f?.code, ...(f?.fix ? { fix: f.fix } : {}) };
}
