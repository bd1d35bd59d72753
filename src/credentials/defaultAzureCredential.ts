import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { AggregateAuthenticationError, CredentialUnavailableError, invalidArgument } from "../errors";
import { credentialLogger } from "../logging";
import { handsOver, runChain, type ChainAttempt, type ChainLink } from "./chainedTokenCredential";
import type { DefaultAzureCredentialOptions } from "./defaultAzureCredentialOptions";
import { chainSteps, type ChainStep } from "./defaultAzureCredentialSteps";

const log = credentialLogger("DefaultAzureCredential");

/**
 * `@azure/identity`'s default chain: environment, workload identity, managed identity, (on Windows)
 * the shared developer cache, VS Code, the Azure CLI, Azure PowerShell, the Developer CLI, and the
 * OS broker's default account; with `excludeInteractiveBrowserCredential: false`, an interactive
 * sign-in last. `AZURE_TOKEN_CREDENTIALS` (`dev`, `prod`, or one credential's name) narrows it.
 * Unlike the anchor it remembers the credential that worked: later calls go straight to it.
 */
export class DefaultAzureCredential implements TokenCredential {
  private readonly links: ChainLink[];
  private chosen?: ChainLink;

  constructor(options: DefaultAzureCredentialOptions = {}) {
    checkRequiredEnvVars(options.requiredEnvVars);
    const { steps, inChain } = chainSteps(options, process.env);
    this.links = steps.map((step) => ({ name: step.name, credential: make(step, options, inChain) }));
  }

  async getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken> {
    const chosen = this.chosen;
    let asked: { link: ChainLink; error: Error } | undefined;
    if (chosen) {
      try {
        const token = await chosen.credential.getToken(scopes, options);
        if (token) return token;
      } catch (error) {
        // Any other failure of what worked is the answer, as it would be in a fresh chain (that
        // stops there too): never a silent switch to another identity.
        if (!handsOver(error)) throw error;
        // What worked is no longer here (signed out, variables gone): look again from the top,
        // without asking it a second time.
        log.info(`getToken() => ${chosen.name} is unavailable now; trying the whole chain again.`);
        if (this.chosen === chosen) this.chosen = undefined;
        asked = { link: chosen, error: error as Error };
      }
    }
    const { token, link, attempts } = await runChain(this.links, scopes, options, asked);
    if (token && link) {
      this.chosen ??= link;
      log.info(`getToken() => ${link.name} returned a token; later calls use it first.`);
      return token;
    }
    throw allUnavailable(attempts);
  }
}

/** A step whose constructor threw is kept as one that says why, when asked (as the anchor). */
function make(step: ChainStep, options: DefaultAzureCredentialOptions, inChain: boolean): TokenCredential {
  try {
    return step.create(options, process.env, inChain);
  } catch (error) {
    const reason = (error as Error)?.message ?? String(error);
    log.warning(`Skipped ${step.name}: creating it failed: ${reason}`);
    return {
      getToken: () => Promise.reject(new CredentialUnavailableError(`${step.name} could not be created: ${reason}`, { cause: error })),
    };
  }
}

function allUnavailable(attempts: ChainAttempt[]): AggregateAuthenticationError {
  const lines = attempts.map((a) => `- ${a.name}: ${String(a.error.message || a.error.name).replace(/\n/g, "\n    ")}`);
  const message = attempts.length
    ? `DefaultAzureCredential found no credential that works here. Each one tried, and why not:\n${lines.join("\n")}`
    : "DefaultAzureCredential has no credential to try: every one is excluded (options or AZURE_TOKEN_CREDENTIALS).";
  const error = new AggregateAuthenticationError(
    attempts.map((a) => a.error),
    message,
    { detailsInMessage: true },
  );
  log.info(`getToken() => ERROR. ${message}`);
  return error;
}

function checkRequiredEnvVars(required: DefaultAzureCredentialOptions["requiredEnvVars"]): void {
  if (!required) return;
  const missing = (Array.isArray(required) ? required : [required]).filter((name) => !process.env[name]);
  if (missing.length) {
    throw invalidArgument(
      "MISSING_ENVIRONMENT_VARIABLE",
      `Required environment ${missing.length === 1 ? "variable" : "variables"} '${missing.join(", ")}' for DefaultAzureCredential ${missing.length === 1 ? "is" : "are"} not set or empty.`,
    );
  }
}
