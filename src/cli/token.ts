import type { AuthenticationRecord } from "../authenticationRecord";
import { brokerStatus } from "../broker/status";
import { hasDisplay, openSystemBrowser, type OpenBrowser } from "../browser/openBrowser";
import { DeviceCodeCredential } from "../credentials/deviceCodeCredential";
import { InteractiveBrowserBrokerCredential } from "../credentials/interactiveBrowserBrokerCredential";
import { InteractiveBrowserCredential } from "../credentials/interactiveBrowserCredential";
import { normalizeScopes } from "../util/validation";
import type { SignedInAccount } from "../index";
import {
  ACCOUNT_OPTIONS,
  ACCOUNT_OPTIONS_HELP,
  accountArgs,
  accountJson,
  credentialOptions,
  pickAccount,
  usernameArg,
} from "./accountOptions";
import { checkedArg, CliError, EXIT_CODES_HELP, parseCommandArgs, stringArg, type Command, type ParsedArgs } from "./command";
import { interruptSignal } from "./interrupt";

const USAGE = `Usage: entra-broker token --scope SCOPE [--scope SCOPE ...] [options]

Prints an access token on stdout: the token alone (TOKEN=$(entra-broker token --scope ...)), or with
--json {token, expiresOnTimestamp, expiresOn, tokenType, account}. Silent when it can be (an account
of an earlier run, from the persisted cache or the broker); otherwise signs in through the OS broker
where there is one, else the system browser (its URL is also printed on stderr). Progress on stderr.

Options:
  --scope S               a scope, e.g. https://graph.microsoft.com/.default (repeatable)
  --username U            use this signed-in account, or sign in as U
  --silent                never sign in interactively; exit 3 when a sign-in is needed
  --device-code           sign in with a code on another device (instructions on stderr)
  --timeout SECONDS       how long an interactive sign-in may take (default 300)
${ACCOUNT_OPTIONS_HELP}

${EXIT_CODES_HELP}`;

const OPTIONS = {
  ...ACCOUNT_OPTIONS,
  scope: { type: "string", multiple: true },
  username: { type: "string" },
  silent: { type: "boolean" },
  "device-code": { type: "boolean" },
  timeout: { type: "string" },
} as const;

/** The one credential of a `token` run: it lists the accounts, signs in when needed, gets the token. */
type SignIn = Pick<DeviceCodeCredential, "getToken" | "authenticate" | "getAccounts" | "selectAccount">;

export const runToken: Command = async (argv) => {
  const args = parseCommandArgs("token", argv, OPTIONS, USAGE);
  if (!args) return 0;
  const account = accountArgs(args);
  const scopes = scopeArgs(args);
  const timeout = timeoutArg(args);
  const username = usernameArg(args);
  const silent = !!args.silent;
  const deviceCode = !!args["device-code"];

  const options = { ...(await credentialOptions(account)), disableAutomaticAuthentication: silent, timeout: timeout * 1000 };
  const interactiveOptions = { ...options, loginHint: username, openBrowser: cliBrowser() };
  const credential: SignIn = deviceCode
    ? new DeviceCodeCredential({ ...options, userPromptCallback: (info) => process.stderr.write(`${info.message}\n`) })
    : account.broker
      ? new InteractiveBrowserBrokerCredential(interactiveOptions)
      : new InteractiveBrowserCredential(interactiveOptions);
  // An account of an earlier run (the one named, or the only one) makes the token silent.
  const known = pickAccount(await credential.getAccounts(), username);
  if (known) credential.selectAccount(known);

  const interrupt = interruptSignal();
  try {
    const getTokenOptions = { abortSignal: interrupt.signal };
    let signedIn: SignedInAccount | AuthenticationRecord | undefined = known;
    if (!known && !silent) {
      signedIn = await credential.authenticate(scopes, getTokenOptions);
      process.stderr.write(`signed in as ${signedIn.username} through ${via(deviceCode, account.broker)}\n`);
    }
    const token = await credential.getToken(scopes, getTokenOptions);
    if (account.json) {
      const result = {
        token: token.token,
        expiresOnTimestamp: token.expiresOnTimestamp,
        expiresOn: new Date(token.expiresOnTimestamp).toISOString(),
        ...(token.refreshAfterTimestamp ? { refreshAfterTimestamp: token.refreshAfterTimestamp } : {}),
        tokenType: token.tokenType ?? "Bearer",
        ...(signedIn ? { account: accountJson(signedIn) } : {}),
      };
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      process.stdout.write(`${token.token}\n`);
    }
    return 0;
  } finally {
    interrupt.dispose();
  }
};

/** `--scope` values; each may also hold several scopes separated by spaces. */
function scopeArgs(args: ParsedArgs): string[] {
  const values = (args.scope as string[] | undefined) ?? [];
  if (values.length === 0)
    throw new CliError("--scope is required, e.g. --scope https://graph.microsoft.com/.default", "CLI_MISSING_OPTION");
  const scopes = values.flatMap((v) => (v.trim() === "" ? [v] : v.trim().split(/\s+/)));
  return checkedArg("--scope", () => normalizeScopes(scopes));
}

function timeoutArg(args: ParsedArgs): number {
  const text = stringArg(args, "timeout");
  if (text === undefined) return 300;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(seconds > 0) || seconds > 86_400) {
    throw new CliError(`--timeout: ${JSON.stringify(text)} is not a number of seconds between 1 and 86400`, "CLI_INVALID_OPTION");
  }
  return seconds;
}

function via(deviceCode: boolean, brokerAllowed: boolean): string {
  if (deviceCode) return "a device code";
  const status = brokerStatus();
  if (brokerAllowed && status.available) return `the ${status.broker} broker`;
  return brokerAllowed ? `the browser (no broker: ${status.reason ?? "unavailable"})` : "the browser";
}

/** Prints the sign-in URL on stderr (for machines without a display, and for the user's record) and opens it where it can. */
function cliBrowser(): OpenBrowser {
  return async (url) => {
    process.stderr.write(`To sign in, open this page in a browser on this machine:\n\n  ${url}\n\n`);
    if (!hasDisplay()) return;
    try {
      await openSystemBrowser(url);
    } catch (error) {
      process.stderr.write(`(could not open a browser: ${(error as Error).message})\n`);
    }
  };
}
