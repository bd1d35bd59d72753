// Off Azure, managed identity must answer at once. Where msal-node would use IMDS (no other
// source's variables set), one bounded probe per process tells whether IMDS is there: any HTTP
// answer means it is; a refused connection, or no answer within the time limit, means it is not,
// and every later call in this process is told so without a request.
import { existsSync } from "node:fs";
import { AbortError } from "../errors";
import { Failure } from "../failure";
import type { CredentialLogger } from "../logging";
import { probe } from "./managedIdentityNetwork";

const IMDS_TOKEN_PATH = "/metadata/identity/oauth2/token";

/** The IMDS token endpoint msal-node uses (the pod identity host when set, as msal builds it). */
export function imdsEndpoint(): string {
  const host = process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
  return host ? `${host}${IMDS_TOKEN_PATH}` : `http://169.254.169.254${IMDS_TOKEN_PATH}`;
}

/**
 * True when msal-node would fall back to IMDS: none of the variables of its other sources are set
 * (its ManagedIdentityClient's order) and no Azure Arc agent is installed. Read before loading
 * msal-node, so that an absent IMDS costs no module load.
 */
export function wouldUseImds(env = process.env): boolean {
  const set = (...names: string[]) => names.every((n) => env[n] !== undefined);
  if (set("IDENTITY_ENDPOINT", "IDENTITY_HEADER") || set("MSI_ENDPOINT") || set("IDENTITY_ENDPOINT", "IMDS_ENDPOINT")) return false;
  const himds =
    process.platform === "win32"
      ? `${env.ProgramFiles}\\AzureConnectedMachineAgent\\himds.exe`
      : process.platform === "linux"
        ? "/opt/azcmagent/bin/himds"
        : "";
  return !(himds && existsSync(himds));
}

/** Per endpoint: resolved when IMDS answered, rejected with the Failure when it is known absent. */
const known = new Map<string, Promise<void>>();

/** Resolves when IMDS at `endpoint` is there; rejects with an `unavailable` Failure when it is not. */
export function probeImds(endpoint: string, timeoutMs: number, signal: AbortSignal, log: CredentialLogger): Promise<void> {
  let result = known.get(endpoint);
  if (!result) {
    result = probeOnce(endpoint, timeoutMs, signal, log);
    known.set(endpoint, result);
    // An abort says nothing about IMDS: the next call probes again.
    result.catch((error: unknown) => {
      if (error instanceof AbortError) known.delete(endpoint);
    });
  }
  return result;
}

async function probeOnce(endpoint: string, timeoutMs: number, signal: AbortSignal, log: CredentialLogger): Promise<void> {
  const host = new URL(endpoint).host;
  const started = Date.now();
  try {
    // Without the Metadata header IMDS answers 400 at once, issuing nothing: the answer alone tells it is there.
    const status = await probe(`${endpoint}?api-version=2018-02-01`, timeoutMs, signal);
    log.info(`IMDS at ${host} answered the probe (HTTP ${status}) in ${Date.now() - started} ms.`);
  } catch (error) {
    if (signal.aborted || error instanceof AbortError) throw new AbortError();
    const code = (error as NodeJS.ErrnoException).code ?? "unknown";
    const what = code === "ETIMEDOUT" ? `did not answer within ${timeoutMs} ms` : `could not be reached (${code})`;
    log.info(`IMDS at ${host} ${what}: no managed identity in this process.`);
    throw new Failure(
      "unavailable",
      "MANAGED_IDENTITY_UNAVAILABLE",
      `No managed identity endpoint is available: IMDS at ${host} ${what}, so this is not an Azure host with a managed identity.`,
      {
        reason: `IMDS ${what}`,
        fix: [
          "run on an Azure resource with a managed identity assigned",
          "off Azure, use another credential (AzureCliCredential, a service principal through EnvironmentCredential)",
        ],
        cause: error,
      },
    );
  }
}
