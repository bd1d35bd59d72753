// The real Azure CLI, signed in offline against a dev authority (see README "The real Azure CLI, offline").
export { signInAzureCli, OfflineAzureCli } from "./offlineAzureCli";
export { BearerVerifier, BearerError } from "./bearer";
export type { VerifiedToken } from "./bearer";
export type { AzAccessToken, AzAccount, AzStep, ApproveDeviceCode, OfflineAzureCliOptions, SignInAzureCliOptions } from "./offlineAzureCli";
export { ArmStandIn, ARM_API_VERSIONS, MANAGEMENT_RESOURCE } from "./armStandIn";
export type { ArmDirectory, ArmRequest, ArmSubscription } from "./armStandIn";
export { DiscoveryProxy, DISCOVERY_HOST, discoveryAnswer } from "./discoveryProxy";
export type { ProxyEvent } from "./discoveryProxy";
export { AzCommandError } from "./runAz";
