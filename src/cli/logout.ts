import {
  ACCOUNT_OPTIONS,
  ACCOUNT_OPTIONS_HELP,
  accountArgs,
  accountCredential,
  credentialOptions,
  findAccount,
  usernameArg,
} from "./accountOptions";
import { CliError, EXIT_CODES_HELP, parseCommandArgs, type Command } from "./command";
import { EXIT } from "./exitCodes";

const LOGOUT_USAGE = `Usage: entra-broker logout (--username U | --all) [options]

Signs accounts out: removes them from the persisted token cache and, unless --no-broker, signs
them out of the OS broker. Prints each signed-out username on stdout (a JSON array with --json).

Options:
  --username U            the account to sign out
  --all                   sign every account out
${ACCOUNT_OPTIONS_HELP}

${EXIT_CODES_HELP}`;

export const runLogout: Command = async (argv) => {
  const args = parseCommandArgs(
    "logout",
    argv,
    { ...ACCOUNT_OPTIONS, username: { type: "string" }, all: { type: "boolean" } },
    LOGOUT_USAGE,
  );
  if (!args) return 0;
  const username = usernameArg(args);
  if (username === undefined && !args.all) throw new CliError("give --username U or --all", "CLI_MISSING_OPTION");
  if (username !== undefined && args.all) throw new CliError("give either --username or --all, not both", "CLI_USAGE");
  const options = accountArgs(args);
  const credential = accountCredential(options, await credentialOptions(options));
  const accounts = await credential.getAccounts();
  const chosen = username === undefined ? accounts : [findAccount(accounts, username)].filter((a) => a !== undefined);
  if (username !== undefined && chosen.length === 0) {
    throw new CliError(`no signed-in account is named ${username} (see "entra-broker accounts")`, "CLI_ACCOUNT_NOT_FOUND", EXIT.failure);
  }
  for (const account of chosen) {
    await credential.signOut(account);
    process.stderr.write(`signed out ${account.username} (${account.sources.join(", ")})\n`);
  }
  if (options.json) process.stdout.write(`${JSON.stringify(chosen.map((a) => a.username))}\n`);
  else for (const a of chosen) process.stdout.write(`${a.username}\n`);
  if (chosen.length === 0) process.stderr.write("no accounts were signed in\n");
  return 0;
};
