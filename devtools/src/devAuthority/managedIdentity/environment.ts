// The environment variables that make msal-node's source detection pick one source, pointed at our endpoint.
import { createHash } from "node:crypto";
import { PROTOCOLS } from "./protocols";
import type { ManagedIdentitySourceName } from "./types";

/** Every variable msal-node's source detection reads: `env(source, base)` removes the others. */
export const MANAGED_IDENTITY_ENV_VARS = [
  "AZURE_POD_IDENTITY_AUTHORITY_HOST",
  "IDENTITY_ENDPOINT",
  "IDENTITY_HEADER",
  "IDENTITY_SERVER_THUMBPRINT",
  "IMDS_ENDPOINT",
  "MSI_ENDPOINT",
  "MSI_SECRET",
  "DEFAULT_IDENTITY_CLIENT_ID",
] as const;

/** `source`'s variables; with `base`, a copy of it without any other source's variables. */
export function sourceEnvironment(
  source: ManagedIdentitySourceName,
  url: string,
  secret: string,
  systemClientId: string,
  base?: NodeJS.ProcessEnv,
): Record<string, string> {
  const p = PROTOCOLS[source];
  const vars: Record<ManagedIdentitySourceName, Record<string, string>> = {
    imds: { AZURE_POD_IDENTITY_AUTHORITY_HOST: url },
    appService: { IDENTITY_ENDPOINT: url + p.path, IDENTITY_HEADER: secret },
    cloudShell: { MSI_ENDPOINT: url + p.path },
    azureArc: { IDENTITY_ENDPOINT: url + p.path, IMDS_ENDPOINT: url },
    serviceFabric: {
      IDENTITY_ENDPOINT: url + p.path,
      IDENTITY_HEADER: secret,
      IDENTITY_SERVER_THUMBPRINT: createHash("sha1").update(secret).digest("hex").toUpperCase(),
    },
    machineLearning: {
      MSI_ENDPOINT: url + p.path,
      MSI_SECRET: secret,
      DEFAULT_IDENTITY_CLIENT_ID: systemClientId,
    },
  };
  if (!base) return vars[source];
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(base))
    if (v !== undefined && !(MANAGED_IDENTITY_ENV_VARS as readonly string[]).includes(k)) out[k] = v;
  return { ...out, ...vars[source] };
}
