/**
 * entra-broker-devtools: the dev authority, an offline HTTPS Entra ID (v2) emulator for tests and
 * demos. The stand-in Linux broker is "entra-broker-devtools/stand-in-broker"; the headless
 * Chromium driver for the sign-in page is "entra-broker-devtools/chromium".
 * @module entra-broker-devtools
 */
export * from "./devAuthority/index";
export {
  StandInTools,
  type StandInToolName,
  type StandInToolMode,
  type StandInToolRun,
  type StandInToolsOptions,
} from "./standInTools/index";
// The real Azure CLI signed in offline (az-infra).
export * from "./azureCli/index";
