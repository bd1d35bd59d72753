import type { UserCredentialOptions } from "./options";

/**
 * Options of `VisualStudioCodeCredential`, as `@azure/identity`'s: the tenant (default `common`),
 * the tenants a call may name, the authority host. The client id is VS Code's own.
 */
export type VisualStudioCodeCredentialOptions = Omit<UserCredentialOptions, "clientId">;
