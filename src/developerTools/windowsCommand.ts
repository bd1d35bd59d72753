// On Windows `az` and `azd` are batch files (az.cmd), which Node runs only through cmd.exe. We find
// the program on PATH ourselves (so "not installed" is ours to tell, not cmd's text), run an .exe
// directly, and hand a batch file to cmd.exe only with arguments that cmd cannot read as syntax.
import { existsSync } from "node:fs";
import { delimiter, extname, isAbsolute, join } from "node:path";
import { Failure } from "../failure";

export interface CommandLine {
  file: string;
  args: string[];
  /** The arguments are already quoted for cmd.exe. */
  verbatim: boolean;
}

/** Characters every argument we pass is limited to (validated upstream); nothing cmd.exe expands or splits on but the space. */
const PLAIN_ARGUMENT = /^[0-9A-Za-z._:/=() -]*$/;

/** Where `name` is on PATH (with PATHEXT), or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const exts = extname(name) ? [""] : (env.PATHEXT || ".COM;.EXE;.BAT;.CMD").split(";").filter(Boolean);
  const dirs = isAbsolute(name) ? [""] : (env.PATH || env.Path || "").split(delimiter).filter(Boolean);
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = dir ? join(dir, name + ext) : name + ext;
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/** How to start `command args` on Windows without a shell reading them; undefined when it is not installed. */
export function windowsCommandLine(command: string, args: string[]): CommandLine | undefined {
  const found = findOnPath(command);
  if (!found) return undefined;
  if (!/\.(cmd|bat)$/i.test(found)) return { file: found, args, verbatim: false };
  for (const arg of [found, ...args]) {
    if (!PLAIN_ARGUMENT.test(arg.replace(/\\/g, "/").replace(/^[A-Za-z]:/, ""))) {
      throw new Failure("invalid_request", "DEVELOPER_TOOL_FAILED", `Refusing to pass ${JSON.stringify(arg)} to cmd.exe.`);
    }
  }
  const quoted = [found, ...args].map((a) => `"${a}"`).join(" ");
  return { file: process.env.ComSpec || "cmd.exe", args: ["/d", "/s", "/c", `"${quoted}"`], verbatim: true };
}
