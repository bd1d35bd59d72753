import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { AuthenticationRequiredError, CredentialUnavailableError } from "../errors";
import { toCredentialError } from "../tokens/errors";
import { InteractiveBrowserBrokerCredential } from "./interactiveBrowserBrokerCredential";
import type { UserCredentialOptions } from "./options";

/**
 * `DefaultAzureCredential`'s broker step (the anchor's `BrokerCredential`): a token for the account
 * the OS broker holds as its default (WAM's signed-in Windows account, the macOS SSO extension's,
 * the Linux broker's first), silently. No broker here, or no account in it: unavailable, so the
 * chain moves on; nothing is ever shown to the user.
 */
export class DefaultBrokerAccountCredential implements TokenCredential {
  private readonly broker: InteractiveBrowserBrokerCredential;

  constructor(options: Omit<UserCredentialOptions, "clientId">) {
    this.broker = new InteractiveBrowserBrokerCredential({
      ...options,
      useDefaultBrokerAccount: true,
      disableAutomaticAuthentication: true,
      // A silent call needs no window; WAM takes the zero handle for "none".
      parentWindowHandle: new Uint8Array(8),
    });
  }

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    const { brokerPrerequisites } = await import("../broker/availability"); // the broker's modules load when the chain reaches it
    const { missing } = brokerPrerequisites();
    if (missing) throw toCredentialError(missing, []);
    try {
      return await this.broker.getToken(scopes, options);
    } catch (error) {
      if (!(error instanceof AuthenticationRequiredError)) throw error;
      throw new CredentialUnavailableError(
        "BrokerCredential: the OS broker gave no token for a default account silently (none is signed in, or no broker answered). Sign in to the OS (Windows account, Company Portal, Intune) or use another credential.",
        { code: "BROKER_NO_DEFAULT_ACCOUNT", cause: error },
      );
    }
  }
}
