// Shared by the bench sections that run fresh processes against a real keyring: the private bus
// and gnome-keyring they run on, and the child processes that report one JSON line.
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { startKeyring, startPrivateBus } from "../test/helpers/privateBus.mjs";

/**
 * Runs `use(env)` with gnome-keyring's Secret Service on a private D-Bus and HOME in a temp folder;
 * `env` is what a child needs to use them (and to trust `authority`'s CA).
 */
export async function withKeyring(authority, use) {
  const bus = await startPrivateBus();
  try {
    const keyring = await startKeyring(bus.address);
    try {
      return await use({ ...process.env, ...keyring.env, DBUS_SESSION_BUS_ADDRESS: bus.address, NODE_EXTRA_CA_CERTS: authority.caPath });
    } finally {
      await keyring.stop();
    }
  } finally {
    await bus.stop();
  }
}

/** Runs `node ...args` and resolves with the JSON of the last line it prints, or rejects with its output. */
export function runChild(args, env) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    p.on("exit", (code) => {
      try {
        resolve(JSON.parse(out.trim().split("\n").pop()));
      } catch {
        reject(new Error(`bench child exited ${code}: ${out} ${err}`));
      }
    });
  });
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** True when `file` exists and may be run (the real az, for the sections that need it). */
export function installed(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
