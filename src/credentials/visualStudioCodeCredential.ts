import { randomUUID } from "node:crypto";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { AccountInfo, AuthenticationResult } from "@azure/msal-node";
import type { AuthenticationRecord } from "../authenticationRecord";
import { loadVscodeAccount, VSCODE_CLIENT_ID } from "../developerTools/vscodeAccount";
import { Failure } from "../failure";
import { needsInteraction } from "../tokens/errors";
import { acquireSilentWithBroker } from "../tokens/flows/broker";
import type { FlowRequest } from "../tokens/flows/types";
import type { TokenService } from "../tokens/tokenService";
import { createTokenService } from "./createTokenService";
import type { VisualStudioCodeCredentialOptions } from "./visualStudioCodeCredentialOptions";

const NAME = "VisualStudioCodeCredential";
const SIGN_IN_FIX = "sign in to Azure in VS Code with the Azure Resources extension (command 'Azure: Sign In')";

/**
 * The Azure account VS Code is signed in with, as `@azure/identity` 4.14 finds it: the record the
 * Azure Resources extension exports (`~/.azure/ms-azuretools.vscode-azureresourcegroups/authRecord.json`)
 * names the account, and the OS broker holding VS Code's sign-in gives its tokens, silently. Never
 * interactive: not signed in, or no broker, is `CredentialUnavailableError` saying what to do.
 */
export class VisualStudioCodeCredential implements TokenCredential {
  private readonly tokens: TokenService;
  private readonly unsupported?: Failure;

  constructor(options: VisualStudioCodeCredentialOptions = {}) {
    const tenantId = options.tenantId ?? "common";
    if (tenantId.toLowerCase() === "adfs") {
      this.unsupported = new Failure("unsupported", "VSCODE_TENANT_UNSUPPORTED", `${NAME} does not support ADFS tenants.`, {
        reason: "ADFS tenant",
      });
    }
    this.tokens = createTokenService(
      NAME,
      { ...options, clientId: VSCODE_CLIENT_ID, tenantId, disableAutomaticAuthentication: true },
      { useBroker: true, silentFlow: (request) => this.silent(request) },
    );
  }

  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.tokens.getToken(scopes, options);
  }

  /** The broker's silent call for VS Code's account; the account is looked up once, then kept. */
  private async silent(request: FlowRequest): Promise<AuthenticationResult> {
    if (this.unsupported) throw this.unsupported;
    const account = request.account?.nativeAccountId ? request.account : await this.brokerAccount(request);
    try {
      return await acquireSilentWithBroker({ ...request, account }, { useDefaultBrokerAccount: false });
    } catch (error) {
      if (!needsInteraction(error)) throw error;
      throw notSignedIn(`the broker needs VS Code's sign-in of ${account.username} renewed`, error);
    }
  }

  /** VS Code's account (the extension's record) as the broker holds it, made this credential's account. */
  private async brokerAccount(request: FlowRequest): Promise<AccountInfo> {
    const record = await loadVscodeAccount();
    const broker = request.broker;
    if (!broker) {
      throw new Failure(
        "unavailable",
        "VSCODE_BROKER_UNAVAILABLE",
        `${NAME} needs the OS broker VS Code signs in through, and none is here.`,
        {
          reason: "no OS broker",
          fix: [
            "use the machine's broker (WAM on Windows, Company Portal's SSO extension on macOS, the Microsoft identity broker on Linux)",
            "use AzureCliCredential after az login",
          ],
        },
      );
    }
    const held = await broker.getAllAccounts(VSCODE_CLIENT_ID, randomUUID());
    const found = held.find((a) => a.homeAccountId === record.homeAccountId) ?? held.find((a) => sameUser(a, record));
    if (!found?.nativeAccountId) throw notSignedIn(`the broker holds no account ${record.homeAccountId} of VS Code's record`);
    this.tokens.selectAccount({ ...found, authority: found.environment, nativeAccountId: found.nativeAccountId });
    return found;
  }
}

function sameUser(account: AccountInfo, record: AuthenticationRecord): boolean {
  return !!account.username && account.username.toLowerCase() === record.username.toLowerCase();
}

function notSignedIn(reason: string, cause?: unknown): Failure {
  return new Failure("unavailable", "VSCODE_NOT_SIGNED_IN", "VS Code's Azure account is not signed in to the OS broker.", {
    reason,
    fix: [SIGN_IN_FIX],
    cause,
  });
}
