// A private D-Bus session bus: a `dbus-daemon` of its own on a unix socket in a temporary folder, so
// the stand-in broker (in tests, and in `entra-broker demo --stand-in-broker`) never touches the
// user's session bus. Debian: package dbus-daemon.
import { type ChildProcess, type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface PrivateBus {
  /** The bus address, for DBUS_SESSION_BUS_ADDRESS. */
  address: string;
  /** The temporary folder holding the socket and the configuration. */
  dir: string;
  serviceDir?: string;
  process: ChildProcessWithoutNullStreams;
  stop(): Promise<void>;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function busConfig(socket: string, serviceDir: string | undefined): string {
  const serviceDirLine = serviceDir ? `  <servicedir>${escapeXml(path.resolve(serviceDir))}</servicedir>\n` : "";
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:path=${escapeXml(socket)}</listen>
  <auth>EXTERNAL</auth>
${serviceDirLine}  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;
}

/** The daemon's first stdout line (its address), or a failure when it exits or stays silent. */
function firstLine(child: ChildProcessWithoutNullStreams, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const onData = (chunk: string) => {
      out += chunk;
      const nl = out.indexOf("\n");
      if (nl >= 0) done(undefined, out.slice(0, nl).trim());
    };
    const onErr = (chunk: string) => (err += chunk);
    const onExit = (code: number | null, signal: string | null) =>
      done(new Error(`dbus-daemon exited (${code ?? signal}) before it was ready. ${err}`));
    const timer = setTimeout(() => done(new Error(`dbus-daemon: no address after ${timeoutMs} ms. ${err}`)), timeoutMs);
    function done(error?: Error, line?: string) {
      clearTimeout(timer);
      child.stdout.off("data", onData);
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve(line as string);
    }
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", onData);
    child.stderr.on("data", onErr);
    child.on("exit", onExit);
  });
}

/** SIGTERM, then SIGKILL after `timeoutMs`; resolves when the child has exited. */
export function stopChild(child: ChildProcess, timeoutMs = 3000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * Starts `dbus-daemon` with its own configuration: a session-type bus on a unix socket in a fresh
 * temporary folder, every name ownable, and `serviceDir` (if given) as its only folder of
 * activatable services.
 */
export async function startPrivateBus(options: { serviceDir?: string; timeoutMs?: number } = {}): Promise<PrivateBus> {
  const dir = mkdtempSync(path.join(tmpdir(), "entra-broker-bus-"));
  const config = path.join(dir, "bus.conf");
  writeFileSync(config, busConfig(path.join(dir, "bus"), options.serviceDir));
  // The shell stops the daemon when our end of its stdin closes: on stop(), and when this process
  // dies without cleaning up, so no bus outlives its owner.
  const env: NodeJS.ProcessEnv = { ...process.env, DBUS_SESSION_BUS_ADDRESS: "" }; // activated services must not see the real bus
  delete env.LD_PRELOAD; // a sanitizer preload is for the addon's own process only
  const child = spawn(
    "sh",
    ["-c", 'dbus-daemon --config-file "$1" --nofork --print-address & pid=$!; read _; kill $pid; wait $pid', "sh", config],
    {
      stdio: ["pipe", "pipe", "pipe"],
      env,
    },
  );
  let address: string;
  try {
    address = await firstLine(child, options.timeoutMs ?? 10_000);
  } catch (error) {
    child.stdin.end();
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    address,
    dir,
    serviceDir: options.serviceDir,
    process: child,
    async stop() {
      const exited = new Promise<void>((r) => (child.exitCode !== null ? r() : child.once("exit", () => r())));
      child.stdin.end();
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
