// The one way this package runs a developer tool (az, pwsh, azd): no shell, a working directory
// outside the app's project (a hostile `az.cmd` or `.azure/` there must not be picked up), a time
// limit that ends the whole process tree, capped output, and the caller's abort signal obeyed.
import { AbortError } from "../errors";
import { Failure } from "../failure";
import { windowsCommandLine } from "./windowsCommand";
import { endWindowsTree } from "./windowsProcessTree";

/** How a tool run ended: it ran (any exit code), or there was no such program. */
export type ProcessOutcome = { found: true; exitCode: number; stdout: string; stderr: string } | { found: false };

export interface RunOptions {
  /** Ends the process tree past this; a `timed_out` Failure. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Per stream; more than this ends the process: a `bad_reply` Failure. Default 1 MiB. */
  maxOutputBytes?: number;
}

const DEFAULT_MAX_OUTPUT = 1024 * 1024;

/** A directory that exists and holds nothing a tool would read as project configuration (the anchor's choice). */
export function safeWorkingDirectory(): string {
  return process.platform === "win32" ? process.env.SystemRoot || process.env.SYSTEMROOT || "C:\\Windows" : "/bin";
}

/** Runs `command args` and collects its output. Rejects on timeout, abort, oversized output or a spawn failure other than "not found". */
export function runProcess(command: string, args: string[], options: RunOptions): Promise<ProcessOutcome> {
  if (options.signal?.aborted) return Promise.reject(new AbortError());
  const line = process.platform === "win32" ? windowsCommandLine(command, args) : { file: command, args, verbatim: false };
  if (!line) return Promise.resolve({ found: false });
  const max = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  return new Promise((resolve, reject) => {
    const { spawn } = require("node:child_process") as typeof import("node:child_process"); // at the first run, not at import
    const child = spawn(line.file, line.args, {
      cwd: safeWorkingDirectory(),
      env: process.env,
      shell: false,
      stdio: ["ignore", "pipe", "pipe"],
      windowsHide: true,
      windowsVerbatimArguments: line.verbatim,
      // Its own process group on POSIX, so that the time limit ends the tool's children too (az is python under a script).
      detached: process.platform !== "win32",
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const size = { out: 0, err: 0 };
    let ended = false;
    const finish = (settle: () => void) => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      settle();
    };
    const stopWith = (error: Error) => {
      killTree(child.pid);
      child.stdout?.destroy();
      child.stderr?.destroy();
      finish(() => reject(error));
    };
    const collect = (into: Buffer[], which: "out" | "err") => (chunk: Buffer) => {
      size[which] += chunk.length;
      if (size[which] > max) {
        stopWith(
          new Failure("bad_reply", "DEVELOPER_TOOL_BAD_REPLY", `${command} wrote more than ${max} bytes; it was stopped.`, {
            reason: "output too large",
          }),
        );
        return;
      }
      into.push(chunk);
    };
    child.stdout.on("data", collect(out, "out"));
    child.stderr.on("data", collect(err, "err"));
    const onAbort = () => stopWith(new AbortError());
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const timer = setTimeout(
      () =>
        stopWith(
          new Failure(
            "unavailable",
            "DEVELOPER_TOOL_TIMED_OUT",
            `${command} did not finish within ${options.timeoutMs} ms and was stopped.`,
            {
              reason: "time limit reached",
              fix: [`run the same ${command} command in a terminal to see what it waits for`, "raise processTimeoutInMs"],
            },
          ),
        ),
      options.timeoutMs,
    );
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") finish(() => resolve({ found: false }));
      else
        stopWith(
          new Failure("unavailable", "DEVELOPER_TOOL_FAILED", `${command} could not be started: ${error.message}`, { cause: error }),
        );
    });
    child.on("close", (code, signal) => {
      const stdout = Buffer.concat(out).toString("utf8");
      const stderr = Buffer.concat(err).toString("utf8");
      finish(() => resolve({ found: true, exitCode: code ?? (signal ? 128 : 1), stdout, stderr }));
    });
  });
}

/** Ends a tool and everything it started. */
function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  if (process.platform === "win32") {
    endWindowsTree(pid);
    return;
  }
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}
