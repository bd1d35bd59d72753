// Runs the real `az` without a shell, with a time limit; a failure says which command (secrets
// masked), how it ended and what az printed.
import { execFile } from "node:child_process";

export interface AzRun {
  stdout: string;
  stderr: string;
  /** Wall time of the process, in milliseconds. */
  ms: number;
}

export interface RunAzOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  timeoutMs: number;
  /** Arguments to show as `***` in errors (passwords, secrets). */
  secrets?: string[];
  /** Called with each chunk az writes to stderr, as it comes (the device-code message). */
  onStderr?: (chunk: string) => void;
  /** Ends az early (SIGKILL) when aborted. */
  signal?: AbortSignal;
}

/** `az` failed, timed out, or could not start. */
export class AzCommandError extends Error {
  constructor(
    message: string,
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderr: string,
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = "AzCommandError";
  }
}

export function runAz(azPath: string, args: string[], o: RunAzOptions): Promise<AzRun> {
  const shown = `az ${args.map((a) => (o.secrets?.includes(a) ? "***" : a)).join(" ")}`;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = execFile(
      azPath,
      args,
      {
        env: o.env,
        cwd: o.cwd,
        timeout: o.timeoutMs,
        killSignal: "SIGKILL",
        signal: o.signal,
        maxBuffer: 16 * 1024 * 1024,
        encoding: "utf8",
      },
      (error, stdout, stderr) => {
        const ms = performance.now() - started;
        if (!error) return resolve({ stdout, stderr, ms });
        const e = error as NodeJS.ErrnoException & { code?: number | string; killed?: boolean; signal?: string };
        const stopped = e.name === "AbortError";
        const timedOut = !stopped && !!e.killed && e.signal === "SIGKILL";
        const exitCode = typeof e.code === "number" ? e.code : null;
        const how = stopped
          ? "stopped"
          : timedOut
            ? `timed out after ${o.timeoutMs} ms`
            : e.code === "ENOENT"
              ? `could not start '${azPath}' (not installed? run scripts/setup.sh)`
              : `exited with ${exitCode ?? e.signal ?? e.code}`;
        const masked = (o.secrets ?? []).reduce((text, secret) => text.split(secret).join("***"), stderr);
        const tail = masked.trim().split("\n").slice(-5).join("\n");
        reject(new AzCommandError(`${shown}: ${how}${tail ? `\n${tail}` : ""}`, shown, exitCode, masked, timedOut));
      },
    );
    child.stdin?.end();
    if (o.onStderr) child.stderr?.on("data", (d: Buffer | string) => o.onStderr!(d.toString()));
  });
}
