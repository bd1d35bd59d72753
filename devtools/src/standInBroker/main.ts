#!/usr/bin/env node
// The stand-in broker as its own process, for tests that need it out of process (a scripted "exit",
// being killed mid-call) and for D-Bus activation from a .service file:
//   node dist/standInBroker/main.js --authority-url URL --ca-file PATH --user ada@contoso.example --password ...
// Options may also come as JSON in ENTRA_BROKER_STAND_IN_OPTIONS (so secrets stay off the command
// line); command-line flags win. Prints "ready <unique bus name>" on stdout once it owns the name.
import { readFileSync } from "node:fs";
import { StandInBroker, type StandInBrokerOptions } from "./service";

export const OPTIONS_ENV = "ENTRA_BROKER_STAND_IN_OPTIONS";

const USAGE = `usage: main.js --authority-url URL (--ca-file PATH | ${OPTIONS_ENV}) [--user NAME --password PW]
  [--bus-address ADDR] [--version V] [--account-shape withAccount|withoutAccount]
  [--granted-scopes-as string|array] [--unknown-account-status N] [--state-file PATH] [--no-control]`;

export function parseArguments(argv: string[], env: NodeJS.ProcessEnv): StandInBrokerOptions {
  const fromEnv = env[OPTIONS_ENV] ? (JSON.parse(env[OPTIONS_ENV]) as Partial<StandInBrokerOptions>) : {};
  const flags = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) throw new Error(`unexpected argument '${arg}'`);
    const eq = arg.indexOf("=");
    if (eq > 0) flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    else if (arg === "--no-control" || arg === "--help") switches.add(arg.slice(2));
    else if (i + 1 < argv.length) flags.set(arg.slice(2), argv[++i]);
    else throw new Error(`${arg} needs a value`);
  }
  if (switches.has("help")) throw new Error(USAGE);
  const known = [
    "authority-url",
    "ca-file",
    "user",
    "password",
    "bus-address",
    "version",
    "account-shape",
    "granted-scopes-as",
    "unknown-account-status",
    "state-file",
  ];
  for (const name of flags.keys()) if (!known.includes(name)) throw new Error(`unknown option --${name}\n${USAGE}`);

  const url = flags.get("authority-url") ?? fromEnv.authority?.url;
  const caFile = flags.get("ca-file");
  const ca = caFile ? readFileSync(caFile, "utf8") : fromEnv.authority?.ca;
  if (!url || !ca) throw new Error(`--authority-url and --ca-file are required\n${USAGE}`);
  const username = flags.get("user");
  const password = flags.get("password") ?? env.ENTRA_BROKER_STAND_IN_PASSWORD;
  if (username && password === undefined) throw new Error("--user needs --password (or ENTRA_BROKER_STAND_IN_PASSWORD)");
  const shape = flags.get("account-shape") ?? fromEnv.accountShape;
  if (shape !== undefined && shape !== "withAccount" && shape !== "withoutAccount") throw new Error(`bad --account-shape ${shape}`);
  const scopesAs = flags.get("granted-scopes-as") ?? fromEnv.grantedScopesAs;
  if (scopesAs !== undefined && scopesAs !== "string" && scopesAs !== "array") throw new Error(`bad --granted-scopes-as ${scopesAs}`);
  const unknownStatus = flags.get("unknown-account-status");
  return {
    ...fromEnv,
    busAddress: flags.get("bus-address") ?? fromEnv.busAddress,
    authority: { url, ca },
    user: username ? { username, password: password as string } : fromEnv.user,
    version: flags.get("version") ?? fromEnv.version,
    accountShape: shape,
    grantedScopesAs: scopesAs,
    unknownAccountStatus: unknownStatus !== undefined ? Number(unknownStatus) : fromEnv.unknownAccountStatus,
    stateFile: flags.get("state-file") ?? fromEnv.stateFile,
    control: !switches.has("no-control"),
  };
}

async function main(): Promise<void> {
  let options: StandInBrokerOptions;
  try {
    options = parseArguments(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const broker = await StandInBroker.start(options);
  process.stdout.write(`ready ${broker.uniqueName ?? ""}\n`);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => void broker.stop().finally(() => process.exit(0)));
  }
  await broker.whenStopped();
  // A scripted exit, Stop, or the bus went away: the service process ends (as an activated broker does).
  process.exit(0);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`stand-in broker: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  });
}
