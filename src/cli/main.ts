#!/usr/bin/env node
// entra-broker's command line: results on stdout, progress and instructions on stderr.
import { runDemo } from "./demo";
import { runDevAuthority } from "./devAuthority";
import { CliError, printHelp, type Command } from "./command";

const commands: Record<string, Command> = {
  demo: runDemo,
  "dev-authority": runDevAuthority,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    printHelp(commands);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`entra-broker: unknown command "${name}". Run "entra-broker --help".\n`);
    return 2;
  }
  return command(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliError) {
      process.stderr.write(`entra-broker: ${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    const e = error as Error & { code?: string };
    process.stderr.write(`entra-broker: ${e?.name ?? "Error"}${e?.code ? ` [${e.code}]` : ""}: ${e?.message ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
