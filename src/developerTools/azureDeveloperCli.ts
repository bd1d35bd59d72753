// `azd auth token`: the command AzureDeveloperCliCredential runs, what azd's stderr means, and its
// output (`token`, `expiresOn` as RFC 3339). azd takes claims itself (`--claims`, base64).
import type { AccessToken } from "@azure/core-auth";
import { Failure } from "../failure";
import type { TokenRequest } from "../tokens/tokenFront";
import { runProcess } from "./runProcess";
import { badReply, expiryField, parseJsonObject, tokenField, toolFailed, toolInput } from "./toolInput";

const TOOL = "Azure Developer CLI";

/** azd's stderr as the anchor reads it: the one place these texts live. */
const STDERR = {
  notInstalled: [/azd:(.*)not found/, /^'azd' is not recognized/],
  notSignedIn: [/not logged in, run `azd login` to login/, /not logged in, run `azd auth login` to login/],
  signInAgain: [/must use multi-factor authentication/, /reauthentication required/],
};

export function azureDeveloperCliArguments(scope: string, tenant: string | undefined, claims: string | undefined): string[] {
  const args = ["auth", "token", "--output", "json", "--no-prompt", "--scope", scope];
  if (tenant) args.push("--tenant-id", tenant);
  if (claims) args.push("--claims", Buffer.from(claims).toString("base64"));
  return args;
}

export async function azureDeveloperCliToken(request: TokenRequest, timeoutMs: number): Promise<AccessToken> {
  const { scope, tenant } = toolInput(request, TOOL);
  const args = azureDeveloperCliArguments(scope, tenant, request.claims);
  const outcome = await runProcess("azd", args, { timeoutMs, signal: request.signal });
  if (!outcome.found || STDERR.notInstalled.some((text) => text.test(outcome.stderr))) {
    throw new Failure("unavailable", "AZURE_DEVELOPER_CLI_NOT_INSTALLED", "Azure Developer CLI (azd) was not found on PATH.", {
      fix: ["install it (https://aka.ms/azd-install), then run azd auth login"],
    });
  }
  const login = tenant ? `azd auth login --tenant-id ${tenant}` : "azd auth login";
  if (STDERR.notSignedIn.some((text) => text.test(outcome.stderr))) {
    throw new Failure("unavailable", "AZURE_DEVELOPER_CLI_NOT_SIGNED_IN", "Azure Developer CLI is not signed in.", {
      fix: [`run ${login}`],
    });
  }
  if (STDERR.signInAgain.some((text) => text.test(outcome.stderr))) {
    throw new Failure("unavailable", "AZURE_DEVELOPER_CLI_NOT_SIGNED_IN", "Azure Developer CLI needs a new sign-in for this scope.", {
      fix: [`run ${login} --scope ${scope}`],
    });
  }
  if (outcome.exitCode !== 0) throw toolFailed("azd", outcome.exitCode, outcome.stderr, outcome.stdout);
  return parseAzureDeveloperCliToken(outcome.stdout);
}

/** `{"token": "...", "expiresOn": "2026-12-02T03:04:05Z"}`. */
export function parseAzureDeveloperCliToken(stdout: string): AccessToken {
  const reply = parseJsonObject(TOOL, stdout, "token");
  const token = tokenField(TOOL, reply.token, "token");
  const expiresOn = reply.expiresOn;
  if (typeof expiresOn !== "string" || !/(Z|[+-]\d{2}:\d{2})$/i.test(expiresOn))
    throw badReply(TOOL, '"expiresOn" is not an RFC 3339 time');
  return { token, expiresOnTimestamp: expiryField(TOOL, Date.parse(expiresOn), "expiresOn"), tokenType: "Bearer" };
}
