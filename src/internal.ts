// The project's own tests and benchmarks reach internals through this one module (dist/internal.js),
// so that moving a file changes one line here, not the tests that do not test the move. Not part of
// the package's exports: apps import from "entra-broker".
export * from "./errors";
export { Failure, isFailure } from "./failure";
export { credentialLogger } from "./logging";
export { loadNativeBroker } from "./broker/native";
export { NativeBrokerPlugin } from "./broker/plugin";
export { selectPlatform } from "./broker/select";
export { linuxBroker } from "./broker/linux";
export { macosBroker, macErrorToFailure, MACOS_REDIRECT_URI } from "./broker/macos";
export { windowsBroker } from "./broker/windows";
export { LoopbackRedirectServer } from "./browser/loopbackServer";
export { MemoryTokenCache, tokenKey } from "./cache/memory";
export { PersistenceFailure, persistenceStatus } from "./cache/persistence";
export { acquireLock } from "./cache/persistence/lock";
export { findAccessToken } from "./cache/persistedAccessToken";
export { toCredentialError, needsInteraction } from "./tokens/errors";
export { AuthorityNetworkClient } from "./tokens/networkClient";
export { TokenService } from "./tokens/tokenService";
export { acquireSilentWithBroker } from "./tokens/flows/broker";
export { normalizeScopes, resolveTenant, normalizeAuthorityHost, checkTenantId } from "./util/validation";
export { normalizeWindowHandle } from "./util/windowHandle";
export { EXIT, exitCodeFor } from "./cli/exitCodes";
export { CliError } from "./cli/command";
export { loadClientCertificate } from "./util/certificate";
export { runProcess, safeWorkingDirectory } from "./developerTools/runProcess";
export { parseProcessTable, descendantsOf } from "./developerTools/windowsProcessTree";
export { parseAzureCliToken, azureCliArguments } from "./developerTools/azureCli";
export { parsePowerShellToken, powerShellScript } from "./developerTools/azurePowerShell";
export { parseAzureDeveloperCliToken, azureDeveloperCliArguments } from "./developerTools/azureDeveloperCli";
export { vscodeAuthRecordPaths, VSCODE_CLIENT_ID } from "./developerTools/vscodeAccount";
// The variables EnvironmentCredential reads: its tests set and clear exactly these.
export { ENVIRONMENT_CREDENTIAL_VARIABLES } from "./credentials/environmentCredential";
// Managed identity (issue 14): the probe limits DefaultAzureCredential passes.
export { CHAIN_IMDS_PROBE_TIMEOUT_MS, DEFAULT_IMDS_PROBE_TIMEOUT_MS } from "./credentials/managedIdentityCredentialOptions";
