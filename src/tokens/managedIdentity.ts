// Managed identity tokens through msal-node's ManagedIdentityApplication (the source it detects
// from the environment: IMDS, App Service, Cloud Shell, Azure Arc, Service Fabric, Azure ML), with
// a cheap answer off Azure: IMDS is probed once per process, bounded, and its absence remembered.
import type { AccessToken } from "@azure/core-auth";
import type { ManagedIdentityApplication, ManagedIdentityIdParams } from "@azure/msal-node";
import { Failure } from "../failure";
import type { CredentialLogger } from "../logging";
import { abortable } from "./abort";
import { loadMsalNode, msalLoggerOptions } from "./apps";
import { imdsEndpoint, probeImds, wouldUseImds } from "./imdsProbe";
import { ManagedIdentityNetworkClient, withExchange, type Exchange } from "./managedIdentityNetwork";
import { managedIdentityFailure } from "./managedIdentityErrors";
import { toAccessToken, type TokenRequest } from "./tokenFront";

/** How long one exchange with a managed identity endpoint may take once it is known to be there. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface ManagedIdentityOptions {
  /** At most one of them; none: the system-assigned identity. */
  id: { clientId?: string; resourceId?: string; objectId?: string };
  /** The IMDS probe's time limit. */
  probeTimeoutMs: number;
  logger: CredentialLogger;
}

/** The ids each source cannot take at runtime (msal-node refuses or ignores them); others take all three. */
const UNSUPPORTED_IDS: Record<string, Array<"clientId" | "resourceId" | "objectId">> = {
  CloudShell: ["clientId", "resourceId", "objectId"],
  ServiceFabric: ["clientId", "resourceId", "objectId"],
  MachineLearning: ["resourceId", "objectId"],
};

export class ManagedIdentityTokens {
  private app?: ManagedIdentityApplication;

  constructor(private readonly options: ManagedIdentityOptions) {}

  /** The `TokenSource` of `ManagedIdentityCredential`: one scope, `.default` made the resource. */
  readonly source = async (request: TokenRequest): Promise<AccessToken> => {
    const resource = request.scopes[0].replace(/\/\.default$/, "");
    const { id, logger } = this.options;
    // Before msal-node is loaded: off Azure the answer costs one refused connection, or one bounded wait.
    if (wouldUseImds()) await probeImds(imdsEndpoint(), this.options.probeTimeoutMs, request.signal, logger);
    const app = this.application();
    const sourceName = app.getManagedIdentitySource();
    const refused = UNSUPPORTED_IDS[sourceName]?.find((k) => id[k] !== undefined);
    if (refused) {
      throw new Failure(
        "unsupported",
        "MANAGED_IDENTITY_USER_ASSIGNED_UNSUPPORTED",
        `A user-assigned managed identity cannot be chosen by ${refused} at runtime in ${sourceName}.`,
        {
          fix: [
            sourceName === "MachineLearning"
              ? "name the identity by clientId"
              : "omit clientId, resourceId and objectId (in Service Fabric, the identity is set in the cluster's configuration)",
          ],
        },
      );
    }
    logger.info(`Requesting a token for ${resource} from ${sourceName}.`);
    const exchange: Exchange = { signal: request.signal, timeoutMs: REQUEST_TIMEOUT_MS };
    try {
      const call = withExchange(exchange, () => app.acquireToken({ resource, forceRefresh: request.renewing, claims: request.claims }));
      return toAccessToken(await abortable(call, request.signal));
    } catch (error) {
      throw managedIdentityFailure(error, exchange, sourceName) ?? error;
    }
  };

  private application(): ManagedIdentityApplication {
    if (this.app) return this.app;
    const { id, logger } = this.options;
    const managedIdentityIdParams: ManagedIdentityIdParams = {
      userAssignedClientId: id.clientId,
      userAssignedResourceId: id.resourceId,
      userAssignedObjectId: id.objectId,
    };
    const msal = loadMsalNode();
    this.app = new msal.ManagedIdentityApplication({
      managedIdentityIdParams,
      // Retries are our client's (a few, brief, never on a refused connection); msal's IMDS policy waits seconds.
      system: { networkClient: new ManagedIdentityNetworkClient(), disableInternalRetries: true, loggerOptions: msalLoggerOptions(logger) },
    });
    return this.app;
  }
}
