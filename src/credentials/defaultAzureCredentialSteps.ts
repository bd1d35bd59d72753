import type { TokenCredential } from "@azure/core-auth";
import { invalidArgument } from "../errors";
import { AzureCliCredential } from "./azureCliCredential";
import { AzureDeveloperCliCredential } from "./azureDeveloperCliCredential";
import { AzurePowerShellCredential } from "./azurePowerShellCredential";
import { DefaultBrokerAccountCredential } from "./defaultBrokerAccountCredential";
import type { DefaultAzureCredentialOptions } from "./defaultAzureCredentialOptions";
import { EnvironmentCredential } from "./environmentCredential";
import { InteractiveBrowserBrokerCredential } from "./interactiveBrowserBrokerCredential";
import { ManagedIdentityCredential } from "./managedIdentityCredential";
import { CHAIN_IMDS_PROBE_TIMEOUT_MS } from "./managedIdentityCredentialOptions";
import { SharedTokenCacheCredential } from "./sharedTokenCacheCredential";
import { VisualStudioCodeCredential } from "./visualStudioCodeCredential";
import { WorkloadIdentityCredential } from "./workloadIdentityCredential";

type Env = NodeJS.ProcessEnv;

/** One step of the chain: its name, the `AZURE_TOKEN_CREDENTIALS` group, its exclude switch, and how it is made. */
export interface ChainStep {
  name: string;
  group: "prod" | "dev" | "interactive";
  excludedBy: keyof DefaultAzureCredentialOptions;
  /** Off by default where the seed says so. */
  excludedByDefault?: () => boolean;
  create(options: DefaultAzureCredentialOptions, env: Env, inChain: boolean): TokenCredential;
}

/** What every step takes from the chain's options. */
function shared(o: DefaultAzureCredentialOptions) {
  return {
    authorityHost: o.authorityHost,
    authorityCa: o.authorityCa,
    disableInstanceDiscovery: o.disableInstanceDiscovery,
    additionallyAllowedTenants: o.additionallyAllowedTenants,
    loggingOptions: o.loggingOptions,
  };
}

function tools(o: DefaultAzureCredentialOptions) {
  return { tenantId: o.tenantId, additionallyAllowedTenants: o.additionallyAllowedTenants, processTimeoutInMs: o.processTimeoutInMs };
}

/** `@azure/identity` 4.14's order, with the seed's shared cache after managed identity and the interactive step last. */
export const CHAIN: readonly ChainStep[] = [
  {
    name: "EnvironmentCredential",
    group: "prod",
    excludedBy: "excludeEnvironmentCredential",
    create: (o) => new EnvironmentCredential(shared(o)),
  },
  {
    name: "WorkloadIdentityCredential",
    group: "prod",
    excludedBy: "excludeWorkloadIdentityCredential",
    create(o, env) {
      const clientId = o.workloadIdentityClientId ?? o.managedIdentityClientId ?? env.AZURE_CLIENT_ID;
      const tenantId = o.tenantId ?? env.AZURE_TENANT_ID;
      const tokenFilePath = env.AZURE_FEDERATED_TOKEN_FILE;
      return new WorkloadIdentityCredential({ ...shared(o), tenantId, ...(tokenFilePath && clientId ? { clientId, tokenFilePath } : {}) });
    },
  },
  {
    name: "ManagedIdentityCredential",
    group: "prod",
    excludedBy: "excludeManagedIdentityCredential",
    create(o, env, inChain) {
      // Alone (AZURE_TOKEN_CREDENTIALS names it), it waits as long as it does anywhere else.
      const probe = inChain ? { probeTimeoutMs: CHAIN_IMDS_PROBE_TIMEOUT_MS } : {};
      const base = { loggingOptions: o.loggingOptions, ...probe };
      if (o.managedIdentityResourceId) return new ManagedIdentityCredential({ ...base, resourceId: o.managedIdentityResourceId });
      const clientId = o.managedIdentityClientId ?? env.AZURE_CLIENT_ID;
      return new ManagedIdentityCredential(clientId ? { ...base, clientId } : base);
    },
  },
  {
    name: "SharedTokenCacheCredential",
    group: "dev",
    excludedBy: "excludeSharedTokenCacheCredential",
    excludedByDefault: () => process.platform !== "win32",
    create: (o, env) =>
      new SharedTokenCacheCredential({
        ...shared(o),
        username: o.sharedCacheUsername ?? env.AZURE_USERNAME,
        tenantId: o.sharedCacheTenantId ?? env.AZURE_TENANT_ID,
      }),
  },
  {
    name: "VisualStudioCodeCredential",
    group: "dev",
    excludedBy: "excludeVisualStudioCodeCredential",
    create: (o) => new VisualStudioCodeCredential({ ...shared(o), tenantId: o.visualStudioCodeTenantId ?? o.tenantId }),
  },
  { name: "AzureCliCredential", group: "dev", excludedBy: "excludeAzureCliCredential", create: (o) => new AzureCliCredential(tools(o)) },
  {
    name: "AzurePowerShellCredential",
    group: "dev",
    excludedBy: "excludeAzurePowerShellCredential",
    create: (o) => new AzurePowerShellCredential(tools(o)),
  },
  {
    name: "AzureDeveloperCliCredential",
    group: "dev",
    excludedBy: "excludeAzureDeveloperCliCredential",
    create: (o) => new AzureDeveloperCliCredential(tools(o)),
  },
  {
    name: "BrokerCredential",
    group: "dev",
    excludedBy: "excludeBrokerCredential",
    create: (o) => new DefaultBrokerAccountCredential({ ...shared(o), tenantId: o.tenantId }),
  },
  {
    name: "InteractiveBrowserCredential",
    group: "interactive",
    excludedBy: "excludeInteractiveBrowserCredential",
    excludedByDefault: () => true,
    create: (o, env) =>
      new InteractiveBrowserBrokerCredential({
        ...shared(o),
        tenantId: o.interactiveBrowserTenantId ?? env.AZURE_TENANT_ID,
        parentWindowHandle: o.parentWindowHandle,
      }),
  },
];

/**
 * The steps to run: `AZURE_TOKEN_CREDENTIALS` (`dev`, `prod` or one step's name, any case) picks
 * them; else every step the options do not exclude.
 */
export function chainSteps(options: DefaultAzureCredentialOptions, env: Env): { steps: ChainStep[]; inChain: boolean } {
  const included = (s: ChainStep) => !(options[s.excludedBy] ?? s.excludedByDefault?.() ?? false);
  const selector = env.AZURE_TOKEN_CREDENTIALS?.trim().toLowerCase();
  if (selector) {
    if (selector === "dev" || selector === "prod")
      return { steps: CHAIN.filter((s) => s.group === selector && included(s)), inChain: true };
    const one = CHAIN.find((s) => s.group !== "interactive" && s.name.toLowerCase() === selector);
    if (one) return { steps: [one], inChain: false };
    const names = CHAIN.filter((s) => s.group !== "interactive").map((s) => s.name);
    throw invalidArgument(
      "INVALID_AZURE_TOKEN_CREDENTIALS",
      `Invalid value for AZURE_TOKEN_CREDENTIALS = ${JSON.stringify(env.AZURE_TOKEN_CREDENTIALS)}. Valid values are "prod", "dev" or one of ${names.join(", ")}.`,
    );
  }
  return { steps: CHAIN.filter(included), inChain: true };
}
