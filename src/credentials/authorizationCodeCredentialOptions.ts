import type { UserCredentialOptions } from "./options";

/** Options of `AuthorizationCodeCredential`: the shared user-credential options. */
export type AuthorizationCodeCredentialOptions = UserCredentialOptions;
