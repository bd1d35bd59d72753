// The stand-in broker in a child process, driven through its test-control D-Bus interface
// (dev.entrabroker.StandInControl1 at /dev/entrabroker/StandInControl, on the same connection).
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import * as dbus from "dbus-next";
import type { BrokerCall, ScriptedReply } from "./broker";
import { OPTIONS_ENV } from "./main";
import { BROKER_BUS_NAME, CONTROL_INTERFACE, CONTROL_OBJECT_PATH, type BrokerAccount } from "./protocol";
import type { StandInBrokerOptions } from "./service";

export interface StandInBrokerProcess {
  process: ChildProcess;
  /** The unique bus name of the service's connection. */
  uniqueName: string;
  script(method: string, reply: ScriptedReply, times?: number): Promise<void>;
  calls(): Promise<BrokerCall[]>;
  accounts(): Promise<BrokerAccount[]>;
  /** Resolves when the process has exited (a scripted exit, stop(), or a kill). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** The file to run for an out-of-process or D-Bus-activated stand-in (`node <this> --authority-url ...`). */
export const STAND_IN_BROKER_MAIN = path.join(__dirname, "main.js");

export async function startStandInBrokerProcess(
  options: StandInBrokerOptions & { startTimeoutMs?: number },
): Promise<StandInBrokerProcess> {
  const busAddress = options.busAddress || process.env.DBUS_SESSION_BUS_ADDRESS;
  if (!busAddress) throw new Error("startStandInBrokerProcess: no bus address");
  const { startTimeoutMs = 15_000, ...serviceOptions } = options;
  const child = spawn(process.execPath, [STAND_IN_BROKER_MAIN], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, [OPTIONS_ENV]: JSON.stringify({ ...serviceOptions, busAddress }) },
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));

  const uniqueName = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`stand-in broker did not start in ${startTimeoutMs} ms: ${stderr}`));
    }, startTimeoutMs);
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      out += chunk;
      const match = /^ready (\S+)$/m.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`stand-in broker exited (${code ?? signal}) before it was ready: ${stderr}`));
    });
  });

  const bus = dbus.sessionBus({ busAddress });
  bus.on("error", () => undefined);
  const control = async (member: string, signature = "", body: unknown[] = []): Promise<string> => {
    const reply = await bus.call(
      new dbus.Message({ destination: uniqueName, path: CONTROL_OBJECT_PATH, interface: CONTROL_INTERFACE, member, signature, body }),
    );
    return (reply?.body?.[0] as string) ?? "";
  };

  let stopping: Promise<void> | undefined;
  return {
    process: child,
    uniqueName,
    exited,
    async script(method, reply, times = 1) {
      await control("Script", "ssu", [method, JSON.stringify(reply), times]);
    },
    async calls() {
      return JSON.parse(await control("Calls")) as BrokerCall[];
    },
    async accounts() {
      return JSON.parse(await control("Accounts")) as BrokerAccount[];
    },
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill("SIGTERM");
          const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
          await exited;
          clearTimeout(timer);
        }
        bus.disconnect();
      })();
      return stopping;
    },
  };
}

export interface StandInServiceFileOptions {
  authorityUrl: string;
  /** A file holding the authority's CA (PEM), e.g. DevAuthority's `caPath`. */
  caFile: string;
  user?: { username: string; password: string };
  version?: string;
  accountShape?: "withAccount" | "withoutAccount";
  grantedScopesAs?: "string" | "array";
  /** Default: the running node. */
  nodePath?: string;
}

/**
 * The text of a D-Bus `.service` file that activates the stand-in broker on first call. Write it as
 * `com.microsoft.identity.broker1.service` in a private bus's service directory. Arguments are
 * quoted as D-Bus's Exec line parser expects. (Test use only: the password is on the command line.)
 */
export function standInBrokerServiceFile(options: StandInServiceFileOptions): string {
  const args = [
    options.nodePath ?? process.execPath,
    STAND_IN_BROKER_MAIN,
    "--authority-url",
    options.authorityUrl,
    "--ca-file",
    options.caFile,
  ];
  if (options.user) args.push("--user", options.user.username, "--password", options.user.password);
  if (options.version) args.push("--version", options.version);
  if (options.accountShape) args.push("--account-shape", options.accountShape);
  if (options.grantedScopesAs) args.push("--granted-scopes-as", options.grantedScopesAs);
  // Two layers: D-Bus splits Exec like a shell (single quotes are literal), and the file is a
  // desktop-entry key file, where a backslash must be written as "\\".
  const quote = (arg: string) => {
    if (/[\r\n\0]/.test(arg)) throw new Error("an Exec argument cannot contain a line break or NUL");
    return /^[A-Za-z0-9@%+=:,./_-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'"'"'`)}'`;
  };
  const exec = args.map(quote).join(" ").replace(/\\/g, "\\\\");
  return `[D-BUS Service]\nName=${BROKER_BUS_NAME}\nExec=${exec}\n`;
}
