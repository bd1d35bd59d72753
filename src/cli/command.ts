import { parseArgs, type ParseArgsConfig } from "node:util";

/** A CLI command: takes its arguments, returns the exit code. */
export type Command = ((argv: string[]) => Promise<number>) & { summary?: string };

/** A failure the user can fix; printed without a stack. Exit 2 means bad usage. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

export type ParsedArgs = Record<string, string | boolean | undefined>;

/** node:util's parseArgs with our error wording; `--help` prints the usage and yields undefined. */
export function parseCommandArgs(name: string, argv: string[], options: NonNullable<ParseArgsConfig["options"]>, usage: string): ParsedArgs | undefined {
  let values: ParsedArgs;
  try {
    values = parseArgs({ args: argv, options: { ...options, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: false }).values as ParsedArgs;
  } catch (error) {
    throw new CliError(`${name}: ${(error as Error).message}\n\n${usage}`);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return undefined;
  }
  return values;
}

export function printHelp(commands: Record<string, Command>): void {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(15)} ${c.summary ?? ""}`);
  process.stdout.write(`Usage: entra-broker <command> [options]\n\nCommands:\n${lines.join("\n")}\n\nRun "entra-broker <command> --help" for a command's options.\n`);
}
