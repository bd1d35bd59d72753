// Managed identity endpoints of the dev authority: IMDS, App Service, Cloud Shell, Azure Arc, Service Fabric, Azure ML.
export { ManagedIdentityEndpoints } from "./endpoints";
export { MANAGED_IDENTITY_ENV_VARS } from "./environment";
export { MANAGED_IDENTITY_SOURCES } from "./types";
export type {
  DevManagedIdentity,
  ManagedIdentityCounters,
  ManagedIdentityEndpointsOptions,
  ManagedIdentityFault,
  ManagedIdentitySourceName,
} from "./types";
