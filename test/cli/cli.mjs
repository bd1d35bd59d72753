// Runs the real CLI (node dist/cli/main.js) as a child process, with an environment the test
// controls: a throw-away HOME and no session bus unless one is given.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist/cli/main.js");

/** A fresh HOME for one test file; `remove()` deletes it. */
export function tempHome() {
  const dir = mkdtempSync(path.join(tmpdir(), "entra-broker-cli-home-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs `entra-broker ...args`. `env` is merged over a clean base (HOME from `home`, no
 * DBUS_SESSION_BUS_ADDRESS / XDG_RUNTIME_DIR / DISPLAY unless given). `onStderr(text, child)` sees
 * stderr as it grows (to drive a sign-in). Resolves to { code, signal, stdout, stderr }.
 */
export function runCli(args, { env = {}, home, onStderr, timeoutMs = 120_000 } = {}) {
  const base = { ...process.env };
  for (const k of [
    "DBUS_SESSION_BUS_ADDRESS",
    "XDG_RUNTIME_DIR",
    "DISPLAY",
    "WAYLAND_DISPLAY",
    "AZURE_AUTHORITY_HOST",
    "AZURE_LOG_LEVEL",
    "NODE_OPTIONS",
  ])
    delete base[k];
  if (home) base.HOME = home;
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...base, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stdout.on("data", (d) => (stdout += d));
  const failures = [];
  child.stderr.on("data", (d) => {
    stderr += d;
    if (onStderr) Promise.resolve(onStderr(stderr, child)).catch((e) => failures.push(e));
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (failures.length) reject(Object.assign(failures[0], { stderr }));
      else resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Calls `action(match)` once, the first time `pattern` matches stderr. */
export function once(pattern, action) {
  let done = false;
  return (text, child) => {
    if (done) return;
    const match = pattern.exec(text);
    if (!match) return;
    done = true;
    return action(match, child);
  };
}

/** The sign-in URL the CLI prints for the browser flow. */
export const SIGN_IN_URL = /open this page in a browser on this machine:\s+(https:\/\/\S+)\s/;

export function decodeJwt(token) {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));
}
