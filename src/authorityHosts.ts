/** The sovereign clouds' sign-in hosts, as `@azure/identity` names them. */
export enum AzureAuthorityHosts {
  AzureChina = "https://login.chinacloudapi.cn",
  AzureGermany = "https://login.microsoftonline.de",
  AzureGovernment = "https://login.microsoftonline.us",
  AzurePublicCloud = "https://login.microsoftonline.com",
}
