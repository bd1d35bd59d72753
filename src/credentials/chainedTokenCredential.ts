import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { AggregateAuthenticationError, CredentialUnavailableError } from "../errors";
import { credentialLogger } from "../logging";

const log = credentialLogger("ChainedTokenCredential");

/** A credential of a chain, by the name its failures are reported under. */
export interface ChainLink {
  name: string;
  credential: TokenCredential;
}

/** One credential that handed over, and why. */
export interface ChainAttempt {
  name: string;
  error: Error;
}

/**
 * Tries each link in order: an unavailable one (or one that needs a sign-in it may not start)
 * hands over to the next, any other failure ends the chain. Returns the token and who gave it,
 * or every hand-over. `asked` is a link that already handed over for this call: its answer is
 * reused, not asked for again.
 */
export async function runChain<L extends ChainLink>(
  links: readonly L[],
  scopes: string | string[],
  options: GetTokenOptions,
  asked?: { link: L; error: Error },
): Promise<{ token?: AccessToken; link?: L; attempts: ChainAttempt[] }> {
  const attempts: ChainAttempt[] = [];
  for (const link of links) {
    if (link === asked?.link) {
      attempts.push({ name: link.name, error: asked.error });
      continue;
    }
    try {
      const token = await link.credential.getToken(scopes, options);
      if (token) return { token, link, attempts };
      attempts.push({ name: link.name, error: new CredentialUnavailableError(`${link.name} returned no token.`) });
    } catch (error) {
      // As @azure/identity: "needs a sign-in that is not allowed here" also lets the next one try.
      if (handsOver(error)) {
        attempts.push({ name: link.name, error: error as Error });
        continue;
      }
      throw error;
    }
  }
  return { attempts };
}

/** An error that lets the next credential of a chain try (by name, as the anchor: any package's classes). */
export function handsOver(error: unknown): boolean {
  const name = (error as Error | null)?.name;
  return name === "CredentialUnavailableError" || name === "AuthenticationRequiredError";
}

/**
 * Tries each credential in order: an unavailable one (or one that needs a sign-in it may not
 * start) hands over to the next, any other failure stops the chain. When all are unavailable, `AggregateAuthenticationError` lists why.
 */
export class ChainedTokenCredential implements TokenCredential {
  private readonly links: ChainLink[];

  constructor(...sources: TokenCredential[]) {
    this.links = sources.map((credential) => ({ name: credential.constructor.name, credential }));
  }

  async getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken> {
    const { token, link, attempts } = await runChain(this.links, scopes, options);
    if (token && link) {
      log.info(`getToken() => ${link.name} returned a token.`);
      return token;
    }
    const aggregate = new AggregateAuthenticationError(
      attempts.map((a) => a.error),
      "ChainedTokenCredential authentication failed.",
    );
    log.info(`getToken() => ERROR. ${aggregate.message}`);
    throw aggregate;
  }
}
