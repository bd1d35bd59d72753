#!/usr/bin/env node
// entra-broker-devtools' command line. A command's module (and what it pulls in: the dev authority,
// D-Bus, entra-broker) is loaded only when that command runs.
import type { Command } from "./args";

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  "dev-authority": {
    summary: "start the offline Entra ID emulator (HTTPS on 127.0.0.1)",
    load: async () => (await import("./devAuthority")).runDevAuthority,
  },
  demo: {
    summary: "sign in with entra-broker against the embedded dev authority and show the token's claims",
    load: async () => (await import("./demo")).runDemo,
  },
};

const HELP = `Usage: entra-broker-devtools <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(15)} ${c.summary}`)
  .join("\n")}

Run "entra-broker-devtools <command> --help" for a command's options.
Exit codes: 0 success, 1 failure, 2 bad usage.`;

async function main([name, ...rest]: string[]): Promise<number> {
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${HELP}\n`);
    return name ? 0 : 2;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`entra-broker-devtools: unknown command ${JSON.stringify(name)} (run "entra-broker-devtools --help")\n`);
    return 2;
  }
  try {
    return await (
      await command.load()
    )(rest);
  } catch (error) {
    const e = (error ?? {}) as Error & { code?: unknown; exitCode?: unknown };
    const missingPeer = e.code === "MODULE_NOT_FOUND" && /'entra-broker'/.test(e.message ?? "");
    const text = missingPeer
      ? "this command needs entra-broker beside entra-broker-devtools (npm install entra-broker)"
      : e.name === "UsageError"
        ? e.message
        : `${e.name ?? "Error"}${typeof e.code === "string" ? ` [${e.code}]` : ""}: ${e.message ?? String(error)}`;
    process.stderr.write(`entra-broker-devtools ${name}: ${text}\n`);
    return typeof e.exitCode === "number" ? e.exitCode : 1;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
