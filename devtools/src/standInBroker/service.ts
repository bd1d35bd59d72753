// The stand-in broker as a D-Bus service: owns com.microsoft.identity.broker1 on a session bus and
// serves the broker interface (plus a small test-control interface) with raw method handlers, so
// that nothing depends on introspection.
import * as dbus from "dbus-next";
import { type BrokerCall, BrokerLogic, type BrokerLogicOptions, type ScriptedReply } from "./broker";
import {
  BROKER_BUS_NAME,
  BROKER_INTERFACE,
  BROKER_METHODS,
  BROKER_OBJECT_PATH,
  CONTROL_INTERFACE,
  CONTROL_OBJECT_PATH,
  type BrokerAccount,
  isBrokerMethod,
} from "./protocol";

export interface StandInBrokerOptions extends BrokerLogicOptions {
  /** Default: DBUS_STARTER_ADDRESS (when D-Bus activated), else DBUS_SESSION_BUS_ADDRESS. */
  busAddress?: string;
  /** Also serve the test-control interface (used by the out-of-process stand-in). */
  control?: boolean;
}

type Msg = dbus.Message & { path?: string; interface?: string; member?: string; signature?: string; body: unknown[]; flags: number };

const INVALID_ARGS = "org.freedesktop.DBus.Error.InvalidArgs";
const UNKNOWN_METHOD = "org.freedesktop.DBus.Error.UnknownMethod";
const NO_REPLY_EXPECTED = 1;

function introspectionXml(): string {
  const method = (name: string) =>
    `    <method name="${name}">\n      <arg type="s" name="protocolVersion" direction="in"/>\n      <arg type="s" name="correlationId" direction="in"/>\n      <arg type="s" name="requestJson" direction="in"/>\n      <arg type="s" name="result" direction="out"/>\n    </method>\n`;
  return (
    `<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">\n<node>\n` +
    `  <interface name="${BROKER_INTERFACE}">\n${BROKER_METHODS.map(method).join("")}  </interface>\n` +
    `  <interface name="org.freedesktop.DBus.Introspectable">\n    <method name="Introspect"><arg type="s" direction="out"/></method>\n  </interface>\n` +
    `  <interface name="org.freedesktop.DBus.Peer">\n    <method name="Ping"/>\n  </interface>\n</node>\n`
  );
}

export class StandInBroker {
  private readonly logic: BrokerLogic;
  private stopped = false;
  private readonly stoppedWaiters: Array<() => void> = [];

  private constructor(
    private readonly bus: dbus.MessageBus,
    readonly options: StandInBrokerOptions,
  ) {
    this.logic = new BrokerLogic(options);
  }

  /** Connects to the bus, exports the broker object and takes the well-known name. */
  static async start(options: StandInBrokerOptions): Promise<StandInBroker> {
    const busAddress = options.busAddress || process.env.DBUS_STARTER_ADDRESS || process.env.DBUS_SESSION_BUS_ADDRESS;
    if (!busAddress) throw new Error("StandInBroker: no bus address (set busAddress or DBUS_SESSION_BUS_ADDRESS)");
    if (!options.authority?.url || !options.authority.ca) throw new Error("StandInBroker: authority {url, ca} is required");
    const bus = dbus.sessionBus({ busAddress });
    const broker = new StandInBroker(bus, options);
    bus.on("error", () => broker.markStopped());
    (bus as unknown as { _connection: NodeJS.EventEmitter })._connection.on("end", () => broker.markStopped());
    bus.addMethodHandler((msg: Msg) => broker.onMessage(msg));
    try {
      const reply = await bus.requestName(BROKER_BUS_NAME, dbus.NameFlag.DO_NOT_QUEUE);
      if (reply !== dbus.RequestNameReply.PRIMARY_OWNER && reply !== dbus.RequestNameReply.ALREADY_OWNER) {
        throw new Error(`StandInBroker: ${BROKER_BUS_NAME} is already owned on ${busAddress} (reply ${reply})`);
      }
    } catch (error) {
      bus.disconnect();
      throw error;
    }
    return broker;
  }

  /** The next `times` calls of `method` (default 1) get `reply` instead of the normal answer. */
  script(method: string, reply: ScriptedReply, times = 1): void {
    this.logic.script(method, reply, times);
  }

  /** Every call received, in order. */
  get calls(): BrokerCall[] {
    return this.logic.calls;
  }

  /** The accounts the broker holds (as getAccounts answers them). */
  get accounts(): BrokerAccount[] {
    return this.logic.accounts;
  }

  /** The unique bus name of the service's connection. */
  get uniqueName(): string | null {
    return (this.bus as unknown as { name: string | null }).name;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Resolves when the service is off the bus (stop(), a scripted exit, or the bus went away). */
  whenStopped(): Promise<void> {
    return this.stopped ? Promise.resolve() : new Promise((resolve) => this.stoppedWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.logic.cancelPending();
    try {
      await this.bus.releaseName(BROKER_BUS_NAME);
    } catch {
      // the bus may already be gone
    }
    this.bus.disconnect();
    this.markStopped();
  }

  private markStopped(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const resolve of this.stoppedWaiters.splice(0)) resolve();
  }

  private reply(msg: Msg, body: string): void {
    if (this.stopped || msg.flags & NO_REPLY_EXPECTED) return;
    this.send(dbus.Message.newMethodReturn(msg, "s", [body]));
  }

  private error(msg: Msg, name: string, text: string): void {
    if (this.stopped || msg.flags & NO_REPLY_EXPECTED) return;
    this.send((dbus.Message.newError as unknown as (m: Msg, n: string, t: string) => dbus.Message)(msg, name, text));
  }

  /** A reply after the bus went away (the daemon died mid-call) has nobody to reach: drop it. */
  private send(message: dbus.Message): void {
    try {
      this.bus.send(message);
    } catch {
      this.markStopped();
    }
  }

  /** Raw method handler: returns true when the message was ours. */
  private onMessage(msg: Msg): boolean {
    try {
      if (msg.path === BROKER_OBJECT_PATH) return this.onBrokerMessage(msg);
      if (msg.path === CONTROL_OBJECT_PATH && this.options.control) return this.onControlMessage(msg);
    } catch (error) {
      this.error(msg, "org.freedesktop.DBus.Error.Failed", `stand-in broker: ${(error as Error).message}`);
      return true;
    }
    return false;
  }

  private onBrokerMessage(msg: Msg): boolean {
    const iface = msg.interface ?? "";
    const member = msg.member ?? "";
    if (iface === "org.freedesktop.DBus.Introspectable" && member === "Introspect") {
      this.reply(msg, introspectionXml());
      return true;
    }
    if (iface === "org.freedesktop.DBus.Peer" || iface === "org.freedesktop.DBus.Properties") return false;
    if ((iface !== "" && iface !== BROKER_INTERFACE) || !isBrokerMethod(member)) {
      this.error(msg, UNKNOWN_METHOD, `Method '${member}' on interface '${iface || "(none)"}' does not exist`);
      return true;
    }
    if ((msg.signature ?? "") !== "sss") {
      this.error(msg, INVALID_ARGS, `${member} takes (sss), got (${msg.signature ?? ""})`);
      return true;
    }
    const [protocol, correlationId, request] = msg.body as [string, string, string];
    void this.logic.dispatch(member, protocol, correlationId, request).then((outcome) => {
      if ("exit" in outcome) this.exitWithoutReplying();
      else this.reply(msg, outcome.reply);
    });
    return true;
  }

  /**
   * A scripted "exit": leave the bus without answering, so the caller gets
   * org.freedesktop.DBus.Error.NoReply. In the stand-in process, `main` then ends the process.
   */
  private exitWithoutReplying(): void {
    if (this.stopped) return;
    this.logic.cancelPending();
    this.bus.disconnect();
    this.markStopped();
  }

  private onControlMessage(msg: Msg): boolean {
    const member = msg.member ?? "";
    const signature = msg.signature ?? "";
    if (msg.interface && msg.interface !== CONTROL_INTERFACE) return false;
    if (member === "Script" && signature === "ssu") {
      const [method, replyJson, times] = msg.body as [string, string, number];
      this.logic.script(method, JSON.parse(replyJson) as ScriptedReply, times || 1);
      this.reply(msg, "{}");
    } else if (member === "Calls" && signature === "") {
      this.reply(msg, JSON.stringify(this.logic.calls));
    } else if (member === "Accounts" && signature === "") {
      this.reply(msg, JSON.stringify(this.logic.accounts));
    } else if (member === "Stop" && signature === "") {
      this.reply(msg, "{}");
      setImmediate(() => void this.stop());
    } else {
      this.error(msg, UNKNOWN_METHOD, `Method '${member}' (${signature}) does not exist on ${CONTROL_INTERFACE}`);
    }
    return true;
  }
}
