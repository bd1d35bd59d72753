// Helpers of the persistence tests: a private D-Bus with an unlocked gnome-keyring, and the child
// processes (test/helpers/persistenceChild.mjs) that use the persisted cache.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before } from "node:test";
import { DevAuthority } from "entra-broker-devtools";
import { startKeyring, startPrivateBus } from "./privateBus.mjs";

const CHILD = fileURLToPath(new URL("./persistenceChild.mjs", import.meta.url));

/** A bus, a keyring on it, and a HOME of its own (~/.IdentityService lives there). */
export async function startSecretService() {
  const bus = await startPrivateBus();
  let keyring;
  try {
    keyring = await startKeyring(bus.address);
  } catch (error) {
    await bus.stop();
    throw error;
  }
  return {
    address: bus.address,
    home: keyring.home,
    /** The environment of a process using this Secret Service. */
    env: { ...keyring.env, DBUS_SESSION_BUS_ADDRESS: bus.address },
    keyring,
    async stop() {
      await keyring.stop();
      await bus.stop();
    },
  };
}

/**
 * A test file's dev authority and Secret Service, started before its tests and stopped after.
 * `world.base` is what every child action starts from (the first tenant and user, `scope`);
 * `world.run(input, env)` runs one action with the keyring's environment.
 */
export function persistenceWorld(scope) {
  const world = {
    run: (input, env = {}) => runChild({ ...world.base, ...input }, { ...world.secrets.env, ...env }),
  };
  before(async () => {
    world.authority = await DevAuthority.start();
    world.secrets = await startSecretService();
    const { authority } = world;
    world.base = { url: authority.url, caPath: authority.caPath, tenant: authority.tenants[0].tenantId, user: authority.users[0], scope };
  });
  after(async () => {
    await world.secrets?.stop();
    await world.authority?.close();
  });
  return world;
}

/** A HOME with no Secret Service at all. */
export function tempHome() {
  const home = mkdtempSync(path.join(tmpdir(), "entra-broker-home-"));
  return { home, remove: () => rmSync(home, { recursive: true, force: true }) };
}

/**
 * Runs one child action with `env` on top of a clean environment (no inherited D-Bus or display),
 * resolving with its JSON answer. Asynchronous: the dev authority in this process keeps answering.
 */
export function runChild(input, env, { timeoutMs = 90_000, onLine } = {}) {
  const base = { ...process.env };
  for (const k of ["DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY", "XDG_RUNTIME_DIR", "GNOME_KEYRING_CONTROL", "APPDATA"])
    delete base[k];
  const child = spawn(process.execPath, [CHILD, JSON.stringify(input)], { env: { ...base, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const result = new Promise((resolve, reject) => {
    let out = "";
    let pending = "";
    let err = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (d) => {
      out += d;
      pending += d;
      let nl;
      while (onLine && (nl = pending.indexOf("\n")) >= 0) {
        onLine(JSON.parse(pending.slice(0, nl)));
        pending = pending.slice(nl + 1);
      }
    });
    child.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split("\n").pop();
      try {
        resolve({ ...JSON.parse(last), exitCode: code, signal, stderr: err });
      } catch {
        if (signal) return resolve({ exitCode: code, signal, stderr: err });
        reject(new Error(`child ${input.action} exited ${code ?? signal} without an answer: ${out} ${err}`));
      }
    });
  });
  result.child = child;
  return result;
}
