// Shared by the native tests: a private dbus-daemon, the fake broker, and child-process runs.
import { after, before } from "node:test";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runCollected } from "../helpers/childProcess.mjs";
import { startPrivateBus } from "../helpers/privateBus.mjs";

export const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, "..", "..");
export const fakeBroker = path.join(here, "fixtures", "fake-broker.mjs");
export const nativeModule = path.join(root, "dist", "broker", "native.js");

// Helpers run without the ASan preload and the addon override, which are for the addon's own process.
export function cleanEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  delete env.LD_PRELOAD;
  return env;
}

/** Starts a private session bus; `activatable: true` adds a .service file that starts the fake broker. */
export async function startBus({ activatable = false } = {}) {
  const services = mkdtempSync(path.join(tmpdir(), "entra-native-services-"));
  const record = path.join(services, "activated.jsonl");
  if (activatable) {
    writeFileSync(
      path.join(services, "com.microsoft.identity.broker1.service"),
      `[D-BUS Service]\nName=com.microsoft.identity.broker1\nExec=${process.execPath} ${fakeBroker} --record ${record}\n`,
    );
  }
  const bus = await startPrivateBus({ serviceDir: services });
  return {
    address: bus.address,
    dir: bus.dir,
    activationRecord: () => readLines(record),
    /** The dbus-daemon's own pid (bus.process is the shell that runs it). */
    daemonPid: () => {
      const r = spawnSync("pgrep", ["-P", String(bus.process.pid), "-x", "dbus-daemon"], { encoding: "utf8", env: cleanEnv() });
      return Number(r.stdout.trim()) || 0; // never 0 as a pid to signal: that is the whole process group
    },
    async stop() {
      await bus.stop();
      rmSync(services, { recursive: true, force: true });
    },
  };
}

function readLines(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** Starts the fake broker on `address`; `calls` fills with the requests it receives. */
export async function startFakeBroker(address) {
  const proc = spawn(process.execPath, [fakeBroker, "--exit-with-stdin"], {
    stdio: ["pipe", "pipe", "inherit"],
    env: cleanEnv({ DBUS_SESSION_BUS_ADDRESS: address }),
  });
  const calls = [];
  const waiters = [];
  let buf = "";
  let ready;
  const readyP = new Promise((r) => (ready = r));
  proc.stdout.setEncoding("utf8");
  proc.stdout.on("data", (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line === "READY") ready();
      else if (line.startsWith("{")) {
        const obj = JSON.parse(line);
        if (obj.method) calls.push(obj);
        for (const w of [...waiters]) w();
      }
    }
  });
  const exited = new Promise((r) => proc.once("exit", (code) => r(code)));
  await Promise.race([readyP, exited.then((c) => Promise.reject(new Error(`fake broker exited ${c}`)))]);
  return {
    proc,
    calls,
    exited,
    /** Resolves once a call to `method` has been received (or rejects after ms). */
    waitForCall(method, ms = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = calls.find((c) => c.method === method);
          if (hit) {
            waiters.splice(waiters.indexOf(check), 1);
            clearTimeout(t);
            resolve(hit);
          }
        };
        const t = setTimeout(() => {
          waiters.splice(waiters.indexOf(check), 1);
          reject(new Error(`no ${method} call within ${ms} ms; got ${calls.map((c) => c.method)}`));
        }, ms);
        waiters.push(check);
        check();
      });
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
      await exited;
    },
  };
}

/** Runs a node script (ESM source text) in a child; resolves {code, signal, stdout, stderr, ms}. */
export function runChild(source, { env = {}, timeoutMs = 20000, args = [] } = {}) {
  return runCollected(process.execPath, ["--input-type=module", "-e", source, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    limitMs: timeoutMs,
  });
}

/** The loaded addon, or a thrown Error with the loader's explanation. */
export async function loadAddon() {
  const { loadNativeBroker } = (await import(nativeModule)).default ?? (await import(nativeModule));
  const loaded = loadNativeBroker();
  if (!loaded.addon) throw new Error(loaded.error);
  return loaded.addon;
}

export function hasDbusDaemon() {
  return spawnSync("dbus-daemon", ["--version"]).status === 0;
}

/** Inside a describe: a private bus with the fake broker for its tests; `world.env` points a child at it. */
export function fakeBrokerBus() {
  const world = {};
  before(async () => {
    world.bus = await startBus();
    world.broker = await startFakeBroker(world.bus.address);
    world.env = { DBUS_SESSION_BUS_ADDRESS: world.bus.address };
  });
  after(async () => {
    await world.broker?.stop();
    await world.bus?.stop();
  });
  return world;
}
