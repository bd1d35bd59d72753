import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { AggregateAuthenticationError, CredentialUnavailableError } from "../errors";
import { credentialLogger } from "../logging";

const log = credentialLogger("ChainedTokenCredential");

/**
 * Tries each credential in order: an unavailable one (or one that needs a sign-in it may not
 * start) hands over to the next, any other failure stops the chain. When all are unavailable, `AggregateAuthenticationError` lists why.
 */
export class ChainedTokenCredential implements TokenCredential {
  private readonly sources: TokenCredential[];

  constructor(...sources: TokenCredential[]) {
    this.sources = sources;
  }

  async getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken> {
    const errors: Error[] = [];
    for (const source of this.sources) {
      try {
        const token = await source.getToken(scopes, options);
        if (token) {
          log.info(`getToken() => ${source.constructor.name} returned a token.`);
          return token;
        }
        errors.push(new CredentialUnavailableError(`${source.constructor.name} returned no token.`));
      } catch (error) {
        // As @azure/identity: "needs a sign-in that is not allowed here" also lets the next one try.
        const name = (error as Error)?.name;
        if (name === "CredentialUnavailableError" || name === "AuthenticationRequiredError") {
          errors.push(error as Error);
          continue;
        }
        throw error;
      }
    }
    const aggregate = new AggregateAuthenticationError(errors, "ChainedTokenCredential authentication failed.");
    log.info(`getToken() => ERROR. ${aggregate.message}`);
    throw aggregate;
  }
}
