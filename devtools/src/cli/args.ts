import { parseArgs, type ParseArgsConfig } from "node:util";

/** A command: takes its arguments, returns the exit code. */
export type Command = (argv: string[]) => Promise<number>;

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

/** Bad usage: printed as one line naming the flag, exit code 2. */
export class UsageError extends Error {
  readonly code = "CLI_USAGE";
  readonly exitCode = 2;
  override name = "UsageError";
}

/** node:util's parseArgs with the usage on `--help` (yields undefined) and one-line errors that name the flag. */
export function parseCommandArgs(
  name: string,
  argv: string[],
  options: OptionSpec,
  usage: string,
): Record<string, string | boolean | undefined> | undefined {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: argv,
      options: { ...options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    const e = error as Error & { code?: string };
    const flag = /'(-{1,2}[^' ]+)/.exec(e.message)?.[1] ?? "";
    const what =
      e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION"
        ? `unknown option ${flag}`
        : e.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL"
          ? `unexpected argument ${/'([^']*)'/.exec(e.message)?.[1] ?? ""}`
          : (e.message.split("\n")[0] ?? "bad arguments");
    throw new UsageError(`${what.trim()} (see "entra-broker-devtools ${name} --help")`);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return undefined;
  }
  return values as Record<string, string | boolean | undefined>;
}
