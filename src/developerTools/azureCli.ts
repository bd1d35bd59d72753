// `az account get-access-token`: the command AzureCliCredential runs, what az's stderr means, and
// its output. az 2.45 prints `expiresOn` in local time without an offset; az 2.54 and later also
// print `expires_on` (epoch seconds), preferred when present.
import type { AccessToken } from "@azure/core-auth";
import { Failure } from "../failure";
import type { TokenRequest } from "../tokens/tokenFront";
import { runProcess } from "./runProcess";
import { badReply, claimsNeedSignIn, expiryField, parseJsonObject, tokenField, toolFailed, toolInput } from "./toolInput";

const TOOL = "Azure CLI";

/** az's stderr as the anchor reads it: the one place these texts live. */
const STDERR = {
  /** A shell's "command not found" (we run no shell; kept for wrappers that do). */
  notInstalled: [/az:(.*)not found/, /^'az' is not recognized/],
  /** "Please run 'az login' to setup account.", and az's other sign-in hints. */
  notSignedIn: /az login/,
};

export interface AzureCliSettings {
  subscription?: string;
  timeoutMs: number;
}

/** The arguments after `az`; everything in them was checked by `toolInput` / `checkSubscription`. */
export function azureCliArguments(resource: string, tenant: string | undefined, subscription: string | undefined): string[] {
  const args = ["account", "get-access-token", "--output", "json", "--resource", resource];
  if (tenant) args.push("--tenant", tenant);
  if (subscription) args.push("--subscription", subscription);
  return args;
}

export async function azureCliToken(request: TokenRequest, settings: AzureCliSettings): Promise<AccessToken> {
  const { scope, resource, tenant } = toolInput(request, TOOL);
  if (request.claims) {
    const claims = Buffer.from(request.claims).toString("base64");
    throw claimsNeedSignIn(TOOL, `az login --claims-challenge ${claims} --scope ${scope}${tenant ? ` --tenant ${tenant}` : ""}`);
  }
  const args = azureCliArguments(resource, tenant, settings.subscription);
  const outcome = await runProcess("az", args, { timeoutMs: settings.timeoutMs, signal: request.signal });
  if (!outcome.found || STDERR.notInstalled.some((text) => text.test(outcome.stderr))) {
    throw new Failure("unavailable", "AZURE_CLI_NOT_INSTALLED", "Azure CLI (az) was not found on PATH.", {
      fix: ["install it (https://aka.ms/azure-cli), then run az login"],
    });
  }
  if (outcome.exitCode !== 0) {
    if (STDERR.notSignedIn.test(outcome.stderr)) {
      throw new Failure(
        "unavailable",
        "AZURE_CLI_NOT_SIGNED_IN",
        `Azure CLI is not signed in (az said: ${outcome.stderr.trim().slice(0, 500)}).`,
        {
          fix: [tenant ? `run az login --tenant ${tenant}` : "run az login"],
        },
      );
    }
    throw toolFailed("az", outcome.exitCode, outcome.stderr, outcome.stdout);
  }
  return parseAzureCliToken(outcome.stdout);
}

/** az's JSON: `accessToken`, then `expires_on` (epoch seconds) or `expiresOn` (local time). */
export function parseAzureCliToken(stdout: string): AccessToken {
  const reply = parseJsonObject(TOOL, stdout, "accessToken");
  const token = tokenField(TOOL, reply.accessToken, "accessToken");
  const epoch = reply.expires_on;
  const expiresOnTimestamp =
    typeof epoch === "number" || (typeof epoch === "string" && /^\d+$/.test(epoch))
      ? expiryField(TOOL, Number(epoch) * 1000, "expires_on")
      : expiryField(TOOL, localTime(reply.expiresOn), "expiresOn");
  return { token, expiresOnTimestamp, tokenType: "Bearer" };
}

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

/** "2026-12-01 21:39:05.000000" in this machine's time zone (az ran here, with our environment); an ISO time with an offset as such. */
function localTime(value: unknown): number {
  if (typeof value !== "string") throw badReply(TOOL, 'no "expiresOn" or "expires_on"');
  const local = LOCAL_TIME.exec(value);
  if (local) {
    const [, y, mo, d, h, mi, s, frac = "0"] = local;
    return new Date(+y, +mo - 1, +d, +h, +mi, +s, Math.floor(Number(`0.${frac}`) * 1000)).getTime();
  }
  return /(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? Date.parse(value) : NaN;
}
