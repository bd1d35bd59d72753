// A child process run to its end with its output collected: the one copy of the spawn, collect,
// and kill-after-a-limit steps the test helpers share.
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";

/**
 * Runs `command` with `args` and resolves `{ code, signal, stdout, stderr, timedOut, ms }` when it
 * exits. A child still running after `limitMs` is killed (SIGKILL) and its result says `timedOut`.
 * Rejects only when the command cannot be started.
 */
export function runCollected(command, args, { env, cwd, limitMs }) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, limitMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut, ms: performance.now() - started });
    });
  });
}

/** The first line `child` prints on stdout; rejects when it closes before printing one (`why()` says more). */
export function firstLine(child, why = () => "") {
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(out.slice(0, out.indexOf("\n")));
    });
    child.on("close", (code) => reject(new Error(`exited (${code}) before printing a line ${why()}`)));
  });
}
