// A PATH directory of stand-in developer tools (az, pwsh, azd: see stand-in-tools/standInTool.js),
// signed in to the dev authority as one of its users, with a mode per tool and a log of every run.
// In the Windows shape (for Windows Node under Wine) each tool is also what Windows finds on PATH:
// az.cmd, a batch file as the Azure CLI installs it, and NAME.exe (stand-in-tools/launcher.c) for
// the tools that are executables there (pwsh.exe, powershell.exe, azd.exe).
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** `powershell` is Windows PowerShell: the pwsh stand-in under that name, for the Windows shape. */
export type StandInToolName = "az" | "pwsh" | "powershell" | "azd";

const TOOL_NAMES: StandInToolName[] = ["az", "pwsh", "powershell", "azd"];

/**
 * How a stand-in answers: a token, "not signed in", the PowerShell module missing, a CLI failure
 * (azd), never (it hangs, with a child holding its pipes), garbage, or megabytes of output.
 */
export type StandInToolMode = "signed-in" | "signed-out" | "module-missing" | "failing" | "hang" | "garbage" | "flood";

export interface StandInToolsOptions {
  /** The dev authority: its URL and the path of its CA's PEM. */
  authority: { url: string; caPath: string };
  /** The signed-in user (a dev authority user) and the tenant the tools default to. */
  username: string;
  password: string;
  tenantId: string;
  /** The public client id the tools sign in with; default the Azure CLI's. */
  clientId?: string;
  /** Which tools are on PATH; default az, pwsh and azd. A tool left out is "not installed". */
  tools?: StandInToolName[];
  /** The PATH entry as a folder inside the temp folder (such as "Azure CLI (x86)/wbin"); default the temp folder itself. */
  folder?: string;
  /** The Windows shape: `launcher` the built stand-in-tools/launcher.c; `batch` the tools installed as NAME.cmd (default az). */
  windows?: { launcher: string; batch?: StandInToolName[] };
}

/** The Azure CLI's az.cmd, with node (from PATH) in place of its python; NAME the stand-in script beside it. */
function batchFile(name: StandInToolName): string {
  const script = `"%~dp0\\${name}"`;
  return [
    `@REM STAND-IN for ${name}.cmd (shaped as the Azure CLI's az.cmd): node runs the stand-in script beside it.`,
    `@IF EXIST "%~dp0\\node.exe" (`,
    `"%~dp0\\node.exe" ${script} %*`,
    `) ELSE (`,
    `node ${script} %*`,
    `)`,
    ``,
  ].join("\r\n");
}

export interface StandInToolRun {
  tool: StandInToolName;
  args: string[];
  cwd: string;
}

const SCRIPTS = path.resolve(__dirname, "..", "..", "stand-in-tools");

export class StandInTools {
  /** The directory to put first on PATH. */
  readonly dir: string;
  private readonly root: string;
  private readonly statePath: string;
  private state: Record<string, unknown>;

  constructor(options: StandInToolsOptions) {
    this.root = mkdtempSync(path.join(tmpdir(), "stand-in-tools-"));
    this.dir = options.folder ? path.join(this.root, options.folder) : this.root;
    mkdirSync(this.dir, { recursive: true });
    this.statePath = path.join(this.dir, "state.json");
    for (const tool of options.tools ?? ["az", "pwsh", "azd"]) {
      symlinkSync(path.join(SCRIPTS, tool === "powershell" ? "pwsh" : tool), path.join(this.dir, tool));
      const windows = options.windows;
      if (!windows) continue;
      // Windows Node sees Wine's view of a symlink as a file: the scripts' shared module goes beside them too.
      if (!existsSync(path.join(this.dir, "standInTool.js")))
        symlinkSync(path.join(SCRIPTS, "standInTool.js"), path.join(this.dir, "standInTool.js"));
      if ((windows.batch ?? ["az"]).includes(tool)) writeFileSync(path.join(this.dir, `${tool}.cmd`), batchFile(tool));
      else copyFileSync(windows.launcher, path.join(this.dir, `${tool}.exe`));
    }
    this.state = {
      authority: options.authority.url,
      caPath: options.authority.caPath,
      clientId: options.clientId ?? "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
      username: options.username,
      password: options.password,
      tenantId: options.tenantId,
      modes: {},
    };
    this.save();
    appendFileSync(path.join(this.dir, "invocations.log"), "");
  }

  /** PATH with the stand-ins first and node's own directory (their shebang needs node) after them. */
  pathWith(rest: string[] = [path.dirname(process.execPath)]): string {
    return [this.dir, ...rest].join(path.delimiter);
  }

  /** Sets how `tool` (or every tool) answers from its next run on. */
  setMode(mode: StandInToolMode, tool?: StandInToolName): void {
    const modes = { ...(this.state.modes as Record<string, string>) };
    if (tool) modes[tool] = mode;
    else for (const name of TOOL_NAMES) modes[name] = mode;
    this.state = { ...this.state, modes };
    this.save();
    for (const name of TOOL_NAMES) rmSync(path.join(this.dir, `${name}.hang.pids`), { force: true });
  }

  /** Every run so far (of `tool`, if given), oldest first. */
  runs(tool?: StandInToolName): StandInToolRun[] {
    const lines = readFileSync(path.join(this.dir, "invocations.log"), "utf8").split("\n").filter(Boolean);
    return lines.map((line) => JSON.parse(line) as StandInToolRun).filter((run) => !tool || run.tool === tool);
  }

  /** The process ids a hanging `tool` wrote (itself, its child), once it has started. */
  hangingPids(tool: StandInToolName): number[] {
    const file = path.join(this.dir, `${tool}.hang.pids`);
    return existsSync(file) ? readFileSync(file, "utf8").trim().split(" ").map(Number) : [];
  }

  close(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  private save(): void {
    writeFileSync(this.statePath, JSON.stringify(this.state, null, 2));
  }
}
