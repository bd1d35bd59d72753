import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { invalidArgument } from "../errors";
import { credentialLogger } from "../logging";
import { ManagedIdentityTokens } from "../tokens/managedIdentity";
import { TokenFront } from "../tokens/tokenFront";
import {
  DEFAULT_IMDS_PROBE_TIMEOUT_MS,
  type ManagedIdentityCredentialBaseOptions,
  type ManagedIdentityCredentialClientIdOptions,
  type ManagedIdentityCredentialObjectIdOptions,
  type ManagedIdentityCredentialOptions,
  type ManagedIdentityCredentialResourceIdOptions,
  type ManagedIdentityInternalOptions,
} from "./managedIdentityCredentialOptions";

type AnyOptions = ManagedIdentityCredentialBaseOptions &
  ManagedIdentityInternalOptions & { clientId?: string; resourceId?: string; objectId?: string };

/**
 * The managed identity of the Azure resource this runs on: a VM or scale set (IMDS), App Service
 * and Functions, Cloud Shell, an Azure Arc server, Service Fabric, Azure Machine Learning, as
 * msal-node detects from the environment. System-assigned by default; user-assigned by `clientId`,
 * `resourceId` or `objectId`. One scope per request (`https://management.azure.com/.default`).
 *
 * Off Azure it answers at once with `CredentialUnavailableError` (`MANAGED_IDENTITY_UNAVAILABLE`):
 * a refused IMDS in milliseconds, an IMDS that never answers after one probe of at most 3 s (1 s
 * inside `DefaultAzureCredential`), and every later call in the process without a request.
 */
export class ManagedIdentityCredential implements TokenCredential {
  private readonly front: TokenFront;
  private readonly tokens: ManagedIdentityTokens;

  /** A user-assigned identity by client id. */
  constructor(clientId: string, options?: ManagedIdentityCredentialBaseOptions);
  /** The system-assigned identity, or a user-assigned one by client id. */
  constructor(options?: ManagedIdentityCredentialClientIdOptions);
  /** A user-assigned identity by resource id. */
  constructor(options?: ManagedIdentityCredentialResourceIdOptions);
  /** A user-assigned identity by object id. */
  constructor(options?: ManagedIdentityCredentialObjectIdOptions);
  /** @internal `DefaultAzureCredential`'s: any of the ids, and the IMDS probe's limit (`probeTimeoutMs`, at most 1 s in a chain). */
  constructor(options: ManagedIdentityCredentialOptions & ManagedIdentityInternalOptions);
  constructor(
    clientIdOrOptions?: string | (ManagedIdentityCredentialOptions & ManagedIdentityInternalOptions),
    maybeOptions?: ManagedIdentityCredentialBaseOptions,
  ) {
    const options: AnyOptions =
      typeof clientIdOrOptions === "string" ? { ...maybeOptions, clientId: clientIdOrOptions } : { ...clientIdOrOptions };
    const id = identityOf(options);
    const logger = credentialLogger(
      "ManagedIdentityCredential",
      !!options.loggingOptions?.enableUnsafeSupportLogging,
      !!options.loggingOptions?.allowLoggingAccountIdentifiers,
    );
    const probeTimeoutMs = options.probeTimeoutMs ?? DEFAULT_IMDS_PROBE_TIMEOUT_MS;
    if (!Number.isFinite(probeTimeoutMs) || probeTimeoutMs <= 0) {
      throw invalidArgument("INVALID_TIMEOUT", `probeTimeoutMs must be a positive number of milliseconds (got ${String(probeTimeoutMs)}).`);
    }
    this.front = new TokenFront({
      tenantId: undefined,
      additionallyAllowedTenants: options.additionallyAllowedTenants ?? [],
      logger,
      singleScope: true,
    });
    this.tokens = new ManagedIdentityTokens({ id, probeTimeoutMs, logger });
  }

  /** A token for one scope; `CredentialUnavailableError` when no managed identity is here. Never throws synchronously. */
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return this.front.getToken(scopes, options ?? {}, this.tokens.source);
  }
}

/** The identity asked for: at most one of clientId, resourceId, objectId (empty ones count as absent, as the anchor's). */
function identityOf(options: AnyOptions): { clientId?: string; resourceId?: string; objectId?: string } {
  const given = (["clientId", "resourceId", "objectId"] as const).filter((k) => options[k] !== undefined && options[k] !== "");
  for (const k of given) {
    const value = options[k];
    if (typeof value !== "string" || /\s/.test(value) || [...value].some((c) => c.charCodeAt(0) < 0x20) || value.length > 512) {
      throw invalidArgument("INVALID_MANAGED_IDENTITY_ID", `Invalid ${k}: pass the identity's ${k} as a string without spaces.`);
    }
  }
  if (given.length > 1) {
    throw invalidArgument(
      "INVALID_MANAGED_IDENTITY_ID",
      `Pass only one of clientId, resourceId and objectId (got ${given.join(", ")}): each names one user-assigned identity.`,
    );
  }
  const [key] = given;
  return key ? { [key]: options[key] } : {};
}
