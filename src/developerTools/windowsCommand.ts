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

/**
 * Characters a batch file's path and arguments are limited to: nothing cmd.exe expands (`%`, `!`)
 * or reads as syntax (`&`, `|`, `<`, `>`, `^`, `"`) even inside quotes. Scopes, tenants and
 * subscriptions are validated upstream; `+` and `=` are base64's (azd's `--claims`).
 */
const PLAIN_ARGUMENT = /^[0-9A-Za-z._:/=()+ -]*$/;

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
      // Unavailable, not a refusal: a chain moves on to a credential that can run here.
      throw new Failure(
        "unavailable",
        "DEVELOPER_TOOL_UNSAFE_FOR_CMD",
        `Refusing to pass ${JSON.stringify(arg)} to cmd.exe: it holds characters cmd.exe could read as syntax.`,
        {
          fix: [
            `install ${command} in a folder whose path has only letters, digits, spaces and . _ - ( ) +`,
            `put a folder holding ${command} earlier on PATH`,
          ],
        },
      );
    }
  }
  const quoted = [found, ...args].map((a) => `"${a}"`).join(" ");
  return { file: process.env.ComSpec || "cmd.exe", args: ["/d", "/s", "/c", `"${quoted}"`], verbatim: true };
}
