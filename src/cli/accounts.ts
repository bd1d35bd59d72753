import { ACCOUNT_OPTIONS, ACCOUNT_OPTIONS_HELP, accountArgs, accountJson, accountCredential, credentialOptions } from "./accountOptions";
import { EXIT_CODES_HELP, parseCommandArgs, type Command } from "./command";

const ACCOUNTS_USAGE = `Usage: entra-broker accounts [options]

Lists the accounts signed in for the client id: those in the persisted token cache and, unless
--no-broker, those the OS broker holds. One per line (username, tenant, home account id, where it
is kept), or a JSON array with --json.

Options:
${ACCOUNT_OPTIONS_HELP}

${EXIT_CODES_HELP}`;

export const runAccounts: Command = async (argv) => {
  const args = parseCommandArgs("accounts", argv, ACCOUNT_OPTIONS, ACCOUNTS_USAGE);
  if (!args) return 0;
  const options = accountArgs(args);
  const accounts = await accountCredential(options, await credentialOptions(options)).getAccounts();
  if (options.json) {
    process.stdout.write(`${JSON.stringify(accounts.map(accountJson), null, 2)}\n`);
  } else {
    for (const a of accounts) process.stdout.write(`${a.username}\t${a.tenantId}\t${a.homeAccountId}\t${a.sources.join(",")}\n`);
  }
  if (accounts.length === 0) process.stderr.write("no accounts are signed in\n");
  return 0;
};
