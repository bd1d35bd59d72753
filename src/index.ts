/**
 * entra-broker: sign desktop users in to Microsoft Entra ID through the OS broker or the system browser.
 * @module entra-broker
 */
// Public exports only. Behaviour lives in the folders named after it.
export { InteractiveBrowserCredential } from "./credentials/interactiveBrowserCredential";
export type {
  InteractiveBrowserCredentialNodeOptions,
  BrokerOptions,
  BrowserCustomizationOptions,
} from "./credentials/interactiveBrowserCredentialOptions";
export { InteractiveBrowserBrokerCredential } from "./credentials/interactiveBrowserBrokerCredential";
export type { InteractiveBrowserBrokerCredentialOptions } from "./credentials/interactiveBrowserBrokerCredentialOptions";
export { brokerStatus, type BrokerStatus } from "./broker/status";
export type { BrokerKind } from "./broker/native";
export type { NativeWindowHandle } from "./broker/native";
export { DeviceCodeCredential, defaultDeviceCodePromptCallback } from "./credentials/deviceCodeCredential";
export type { DeviceCodeCredentialOptions, DeviceCodeInfo, DeviceCodePromptCallback } from "./credentials/deviceCodeCredentialOptions";
export { AuthorizationCodeCredential } from "./credentials/authorizationCodeCredential";
export type { AuthorizationCodeCredentialOptions } from "./credentials/authorizationCodeCredentialOptions";
export { ChainedTokenCredential } from "./credentials/chainedTokenCredential";
export type { InteractiveCredentialOptions, TokenCachePersistenceOptions, UserCredentialOptions } from "./credentials/options";
export {
  AbortError,
  AggregateAuthenticationError,
  AuthenticationError,
  AuthenticationRequiredError,
  CredentialUnavailableError,
  InvalidArgumentError,
  type BrokerUnavailableCode,
  type CredentialUnavailableErrorCode,
  type ErrorResponse,
  type InvalidArgumentErrorCode,
} from "./errors";
export type { PersistenceFailureCode } from "./cache/persistence/failure";
export type { BrokerFailureCode } from "./broker/platform";
export type { NativeBrokerErrorCode } from "./broker/native";
export type { AccountReference, SelectableAccount, SignedInAccount } from "./tokens/accounts";
export { type AuthenticationRecord, serializeAuthenticationRecord, deserializeAuthenticationRecord } from "./authenticationRecord";
export { AzureAuthorityHosts } from "./authorityHosts";
export type { OpenBrowser } from "./browser/openBrowser";
export type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
// Service credentials: client secret, certificate and assertion, username and password, environment, workload identity.
export { ClientSecretCredential } from "./credentials/clientSecretCredential";
export type { ClientSecretCredentialOptions } from "./credentials/clientSecretCredentialOptions";
export { ClientCertificateCredential } from "./credentials/clientCertificateCredential";
export type {
  ClientCertificateCredentialOptions,
  ClientCertificateCredentialPEMConfiguration,
  ClientCertificatePEMCertificate,
  ClientCertificatePEMCertificatePath,
} from "./credentials/clientCertificateCredentialOptions";
export { ClientAssertionCredential } from "./credentials/clientAssertionCredential";
export type { ClientAssertionCredentialOptions } from "./credentials/clientAssertionCredentialOptions";
export { UsernamePasswordCredential } from "./credentials/usernamePasswordCredential";
export type { UsernamePasswordCredentialOptions } from "./credentials/usernamePasswordCredentialOptions";
export { EnvironmentCredential } from "./credentials/environmentCredential";
export type { EnvironmentCredentialOptions } from "./credentials/environmentCredentialOptions";
export { WorkloadIdentityCredential } from "./credentials/workloadIdentityCredential";
export type { WorkloadIdentityCredentialOptions } from "./credentials/workloadIdentityCredentialOptions";
export type { ConfidentialCredentialOptions, ServiceCredentialOptions } from "./credentials/serviceCredentialOptions";
export type { ServiceCredentialUnavailableCode } from "./errors";
// Developer tools: tokens from az, Azure PowerShell and azd.
export { AzureCliCredential } from "./credentials/azureCliCredential";
export type { AzureCliCredentialOptions } from "./credentials/azureCliCredentialOptions";
export { AzurePowerShellCredential } from "./credentials/azurePowerShellCredential";
export type { AzurePowerShellCredentialOptions } from "./credentials/azurePowerShellCredentialOptions";
export { AzureDeveloperCliCredential } from "./credentials/azureDeveloperCliCredential";
export type { AzureDeveloperCliCredentialOptions } from "./credentials/azureDeveloperCliCredentialOptions";
export type { DeveloperToolUnavailableCode } from "./errors";
// Developer credentials: VS Code's account (through the OS broker) and the shared token cache.
export { VisualStudioCodeCredential } from "./credentials/visualStudioCodeCredential";
export type { VisualStudioCodeCredentialOptions } from "./credentials/visualStudioCodeCredentialOptions";
export { SharedTokenCacheCredential } from "./credentials/sharedTokenCacheCredential";
export type { SharedTokenCacheCredentialOptions } from "./credentials/sharedTokenCacheCredentialOptions";
export type { DeveloperSignInCode } from "./errors";
// Managed identity.
export { ManagedIdentityCredential } from "./credentials/managedIdentityCredential";
export type {
  ManagedIdentityCredentialBaseOptions,
  ManagedIdentityCredentialClientIdOptions,
  ManagedIdentityCredentialObjectIdOptions,
  ManagedIdentityCredentialResourceIdOptions,
} from "./credentials/managedIdentityCredentialOptions";
export type { ManagedIdentityUnavailableCode } from "./errors";
// DefaultAzureCredential and the bearer token provider.
export { DefaultAzureCredential } from "./credentials/defaultAzureCredential";
export type {
  DefaultAzureCredentialClientIdOptions,
  DefaultAzureCredentialEnvVars,
  DefaultAzureCredentialOptions,
  DefaultAzureCredentialResourceIdOptions,
} from "./credentials/defaultAzureCredentialOptions";
export { getBearerTokenProvider, type GetBearerTokenProviderOptions } from "./bearerTokenProvider";
