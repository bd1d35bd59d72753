#!/usr/bin/env node
// entra-broker's command line: results on stdout, progress and instructions on stderr.
import * as nodeModule from "node:module";
import { CliError, printHelp, type CommandEntry } from "./command";
import { EXIT, exitCodeFor } from "./exitCodes";
import { wasInterrupted } from "./interrupt";

// Node 22.1+ keeps compiled code across runs (V8's compile cache, in the OS temp folder): a command's
// modules (msal-node's among them) compile once, not in every run. Node 20 has no such cache.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// Each command's module is loaded only when that command runs: `--help` loads none of them.
const commands: Record<string, CommandEntry> = {
  token: {
    summary: "print an access token (signs in through the broker, the browser or a device code)",
    load: async () => (await import("./token")).runToken,
  },
  accounts: {
    summary: "list the signed-in accounts (persisted cache and OS broker)",
    load: async () => (await import("./accounts")).runAccounts,
  },
  logout: { summary: "sign accounts out (persisted cache and OS broker)", load: async () => (await import("./logout")).runLogout },
  doctor: {
    summary: "check the addon, the broker and the secret store here, and say what to install or register",
    load: async () => (await import("./doctor")).runDoctor,
  },
};

/** The command being run, named in its error messages. */
let running: string | undefined;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    printHelp(commands);
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) throw new CliError(`unknown command ${JSON.stringify(name)} (run "entra-broker --help")`, "CLI_UNKNOWN_COMMAND");
  running = name;
  return (await command.load())(rest);
}

/** What to try for failures whose message alone does not say. */
const HINTS: Array<[RegExp, string]> = [
  [/certificate|UNABLE_TO_VERIFY|SELF_SIGNED/i, "for a private authority such as the dev authority, pass its CA with --authority-ca FILE"],
  [/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET/, "check that --authority-host (or AZURE_AUTHORITY_HOST) is right and reachable"],
];

function withHint(text: string): string {
  const hint = HINTS.find(([pattern]) => pattern.test(text))?.[1];
  return hint ? `${text} (${hint})` : text;
}

/** One line for a failure: its class, its code, and the message (several lines only when it explains a fix). Never a stack. */
function describe(error: unknown): string {
  if (error instanceof CliError) return error.message;
  const e = (error ?? {}) as Error & { code?: unknown; statusCode?: number; errorResponse?: { errorDescription?: string } };
  const code = typeof e.code === "string" ? ` [${e.code}]` : "";
  if (e.name === "AuthenticationError" && e.errorResponse) {
    return `AuthenticationError${code}${e.statusCode ? ` (HTTP ${e.statusCode})` : ""}: ${e.errorResponse.errorDescription?.trim()}`;
  }
  if (e.name === "AuthenticationRequiredError")
    return `AuthenticationRequiredError${code}: a sign-in is needed (run without --silent to sign in)`;
  return `${e.name ?? "Error"}${code}: ${e.message ?? String(error)}`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const interrupted = wasInterrupted();
    process.stderr.write(`entra-broker${running ? ` ${running}` : ""}: ${interrupted ? "interrupted" : withHint(describe(error))}\n`);
    process.exitCode = exitCodeFor(error, interrupted);
  },
);
