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
export type { BrokerKind } from "./broker/select";
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
  type ErrorResponse,
} from "./errors";
export type { AccountReference, SelectableAccount, SignedInAccount } from "./msal/accounts";
export { type AuthenticationRecord, serializeAuthenticationRecord, deserializeAuthenticationRecord } from "./authenticationRecord";
export { AzureAuthorityHosts } from "./authorityHosts";
export type { OpenBrowser } from "./browser/openBrowser";
export type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
