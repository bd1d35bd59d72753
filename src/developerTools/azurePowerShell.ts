// `Get-AzAccessToken` through PowerShell: the script AzurePowerShellCredential runs (the anchor's,
// which handles Az.Accounts' SecureString tokens in PowerShell 5 and 7, and stops at the first
// error), what its errors mean, and its output. One process per token: no `pwsh /?` probe first.
import type { AccessToken } from "@azure/core-auth";
import { Failure } from "../failure";
import type { TokenRequest } from "../tokens/tokenFront";
import { runProcess } from "./runProcess";
import { badReply, claimsNeedSignIn, expiryField, parseJsonObject, tokenField, toolFailed, toolInput } from "./toolInput";

const TOOL = "Azure PowerShell";

/** PowerShell 7, then Windows PowerShell where it exists. */
export const POWERSHELL_COMMANDS = process.platform === "win32" ? ["pwsh", "powershell"] : ["pwsh"];

/** What Az.Accounts writes, as the anchor reads it: the one place these texts live. */
const OUTPUT = {
  moduleMissing:
    "The specified module 'Az.Accounts' with version '2.2.0' was not loaded because no valid module file was found in any module directory",
  notSignedIn: "Run Connect-AzAccount to login",
};

/** The script; `resource` and `tenant` were checked by `toolInput` (no quote, `$` or backtick can reach it). */
export function powerShellScript(resource: string, tenant: string | undefined): string {
  return `
$ErrorActionPreference = 'Stop'
$tenantId = "${tenant ?? ""}"
$m = Import-Module Az.Accounts -MinimumVersion 2.2.0 -PassThru
$useSecureString = $m.Version -ge [version]'2.17.0' -and $m.Version -lt [version]'5.0.0'
$params = @{ ResourceUrl = "${resource}" }
if ($tenantId.Length -gt 0) { $params["TenantId"] = $tenantId }
if ($useSecureString) { $params["AsSecureString"] = $true }
$token = Get-AzAccessToken @params
$result = New-Object -TypeName PSObject
$result | Add-Member -MemberType NoteProperty -Name ExpiresOn -Value $token.ExpiresOn
if ($token.Token -is [System.Security.SecureString]) {
  if ($PSVersionTable.PSVersion.Major -lt 7) {
    $ssPtr = [System.Runtime.InteropServices.Marshal]::SecureStringToBSTR($token.Token)
    try { $result | Add-Member -MemberType NoteProperty -Name Token -Value ([System.Runtime.InteropServices.Marshal]::PtrToStringBSTR($ssPtr)) }
    finally { [System.Runtime.InteropServices.Marshal]::ZeroFreeBSTR($ssPtr) }
  } else {
    $result | Add-Member -MemberType NoteProperty -Name Token -Value ($token.Token | ConvertFrom-SecureString -AsPlainText)
  }
} else {
  $result | Add-Member -MemberType NoteProperty -Name Token -Value $token.Token
}
Write-Output (ConvertTo-Json $result)
`;
}

export async function azurePowerShellToken(request: TokenRequest, timeoutMs: number): Promise<AccessToken> {
  const { resource, tenant } = toolInput(request, TOOL);
  if (request.claims) {
    const claims = Buffer.from(request.claims).toString("base64");
    throw claimsNeedSignIn(TOOL, `Connect-AzAccount -ClaimsChallenge ${claims}${tenant ? ` -Tenant ${tenant}` : ""}`);
  }
  const args = ["-NoProfile", "-NonInteractive", "-Command", powerShellScript(resource, tenant)];
  for (const shell of POWERSHELL_COMMANDS) {
    const outcome = await runProcess(shell, args, { timeoutMs, signal: request.signal });
    if (!outcome.found) continue;
    const said = `${outcome.stderr}\n${outcome.stdout}`;
    if (said.includes(OUTPUT.moduleMissing)) {
      throw new Failure("unavailable", "AZURE_POWERSHELL_MODULE_MISSING", "The Az.Accounts module (2.2.0 or later) is not installed.", {
        fix: ['run "Install-Module -Name Az -Scope CurrentUser -Repository PSGallery -Force" in PowerShell, then Connect-AzAccount'],
      });
    }
    if (said.includes(OUTPUT.notSignedIn)) {
      throw new Failure("unavailable", "AZURE_POWERSHELL_NOT_SIGNED_IN", "Azure PowerShell is not signed in.", {
        fix: [tenant ? `run Connect-AzAccount -Tenant ${tenant} in PowerShell` : "run Connect-AzAccount in PowerShell"],
      });
    }
    if (outcome.exitCode !== 0) throw toolFailed(shell, outcome.exitCode, outcome.stderr, "");
    return parsePowerShellToken(outcome.stdout);
  }
  throw new Failure(
    "unavailable",
    "AZURE_POWERSHELL_NOT_INSTALLED",
    `PowerShell (${POWERSHELL_COMMANDS.join(" or ")}) was not found on PATH.`,
    {
      fix: ["install PowerShell 7 (https://aka.ms/powershell) and the Az module, then run Connect-AzAccount"],
    },
  );
}

/** `{"ExpiresOn": <DateTimeOffset as ConvertTo-Json writes it>, "Token": "..."}`. */
export function parsePowerShellToken(stdout: string): AccessToken {
  const reply = parseJsonObject(TOOL, stdout, "Token");
  const token = tokenField(TOOL, reply.Token, "Token");
  return { token, expiresOnTimestamp: expiryField(TOOL, powerShellDate(reply.ExpiresOn), "ExpiresOn"), tokenType: "Bearer" };
}

/** PowerShell 7 writes "2026-12-02T03:04:05.1234567+00:00"; Windows PowerShell "\/Date(1796180645000)\/". */
function powerShellDate(value: unknown): number {
  if (typeof value !== "string") throw badReply(TOOL, 'no "ExpiresOn" string');
  const legacy = /^\/Date\((\d+)(?:[+-]\d{4})?\)\/$/.exec(value);
  if (legacy) return Number(legacy[1]);
  return /(Z|[+-]\d{2}:\d{2})$/i.test(value) ? Date.parse(value) : NaN;
}
