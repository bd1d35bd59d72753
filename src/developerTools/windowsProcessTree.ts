// Ending a tool's process tree on Windows (az.cmd is cmd.exe running python, which may start more).
// `taskkill /T /F` is Windows's own way. Where taskkill has no /T (Wine before 9 rejects the option
// and ends nothing) the tree is read from wmic's process table and each process ended with
// TerminateProcess (process.kill). Both programs come from %SystemRoot%\System32, never from PATH.
import type { execFile as ExecFile } from "node:child_process";
import { join } from "node:path";

function system32(): string {
  return join(process.env.SystemRoot || process.env.SYSTEMROOT || "C:\\Windows", "System32");
}

/** Ends `pid` and every process under it; returns at once (the tree ends shortly after). */
export function endWindowsTree(pid: number): void {
  execFile()(join(system32(), "taskkill.exe"), ["/pid", String(pid), "/T", "/F"], { windowsHide: true }, (error) => {
    if (error) endByTable(pid);
  });
}

/** wmic can stall (seen under Wine on its first query): each try has a limit, and after the last the tool itself is ended. */
const TABLE_TRIES = 3;
const TABLE_TIMEOUT_MS = 3000;

function endByTable(root: number, triesLeft = TABLE_TRIES): void {
  const wmic = join(system32(), "wbem", "wmic.exe");
  const args = ["process", "get", "ParentProcessId,ProcessId"];
  execFile()(wmic, args, { windowsHide: true, encoding: "buffer", timeout: TABLE_TIMEOUT_MS }, (error, stdout) => {
    if (error && error.killed && triesLeft > 1) return endByTable(root, triesLeft - 1);
    for (const pid of error ? [root] : descendantsOf(root, parseProcessTable(stdout))) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  });
}

/** wmic's `ParentProcessId ProcessId` table (UTF-16 with a byte order mark, or ASCII) as [parent, pid] pairs. */
export function parseProcessTable(output: Buffer): Array<[number, number]> {
  const text = output[0] === 0xff && output[1] === 0xfe ? output.subarray(2).toString("utf16le") : output.toString("latin1");
  const pairs: Array<[number, number]> = [];
  for (const line of text.split(/\r?\n/)) {
    const row = /^\s*(\d+)\s+(\d+)\s*$/.exec(line);
    if (row) pairs.push([Number(row[1]), Number(row[2])]);
  }
  return pairs;
}

/** `root` and everything under it, root first. */
export function descendantsOf(root: number, table: Array<[number, number]>): number[] {
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [parent, pid] of table) if (parent === tree[i] && pid !== parent && !tree.includes(pid)) tree.push(pid);
  }
  return tree;
}

/** child_process when a tree is ended (Windows only), not at import. */
function execFile(): typeof ExecFile {
  return (require("node:child_process") as typeof import("node:child_process")).execFile;
}
