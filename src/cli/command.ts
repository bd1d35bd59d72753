import { parseArgs, type ParseArgsConfig } from "node:util";
import { InvalidArgumentError } from "../errors";
import { EXIT } from "./exitCodes";

/** A CLI command: takes its arguments, returns the exit code. */
export type Command = (argv: string[]) => Promise<number>;

/** A command as the CLI lists it: its one-line summary, and its module loaded only to run it. */
export interface CommandEntry {
  summary: string;
  load(): Promise<Command>;
}

/** Stable codes of the CLI's own failures (listed in TROUBLESHOOTING.md). */
export type CliErrorCode =
  "CLI_USAGE" | "CLI_UNKNOWN_COMMAND" | "CLI_MISSING_OPTION" | "CLI_INVALID_OPTION" | "CLI_ACCOUNT_NOT_FOUND" | "CLI_AMBIGUOUS_ACCOUNT";

/** A failure the user can fix; printed as one line, without a stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: CliErrorCode = "CLI_USAGE",
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export type ParsedArgs = Record<string, string | boolean | string[] | undefined>;
export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

/** node:util's parseArgs, its errors reworded to name the flag; `--help` prints the usage and yields undefined. */
export function parseCommandArgs(name: string, argv: string[], options: OptionSpec, usage: string): ParsedArgs | undefined {
  let values: ParsedArgs;
  try {
    values = parseArgs({
      args: argv,
      options: { ...options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new CliError(`${reword(error as Error & { code?: string }, options)} (see "entra-broker ${name} --help")`);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return undefined;
  }
  return values;
}

/** parseArgs' messages are long and mention positionals; say which flag and what is wrong. */
function reword(error: Error & { code?: string }, options: OptionSpec): string {
  const flag = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1];
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${flag ?? ""}`.trim();
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument ${/'([^']*)'/.exec(error.message)?.[1] ?? ""}`.trim();
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const bare = flag?.replace(/^-+/, "");
      const spec = bare ? options[bare] : undefined;
      return spec?.type === "boolean" ? `${flag} takes no value` : `${flag ?? "an option"} needs a value`;
    }
    default:
      return error.message.split("\n")[0]; // Node's own parseArgs message: it has no fields to read
  }
}

/** The one value of a string option (the last one when repeated). */
export function stringArg(args: ParsedArgs, name: string): string | undefined {
  const value = args[name];
  return Array.isArray(value) ? value[value.length - 1] : typeof value === "string" ? value : undefined;
}

/** A value the library refused (a TypeError with a `code`), reported against the flag that carried it. */
export function checkedArg<T>(flag: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw new CliError(`${flag}: ${error.message}`, "CLI_INVALID_OPTION");
    throw error;
  }
}

export const EXIT_CODES_HELP = `Exit codes:
  0    success
  1    the authority or the broker refused or failed the request, or another error
  2    bad usage: unknown command or option, missing or invalid value
  3    a sign-in is needed and not allowed (--silent), or the user cancelled it
  4    something this machine lacks (no broker, no browser opener, no usable secret store); doctor: a check failed
  130  interrupted (Ctrl+C)`;

export function printHelp(commands: Record<string, Pick<CommandEntry, "summary">>): void {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(15)} ${c.summary}`);
  process.stdout.write(
    `Usage: entra-broker <command> [options]\n\nCommands:\n${lines.join("\n")}\n\nRun "entra-broker <command> --help" for a command's options.\n` +
      `Results go to stdout, progress and instructions to stderr.\n\n${EXIT_CODES_HELP}\n`,
  );
}
