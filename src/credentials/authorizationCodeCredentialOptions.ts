import type { UserCredentialOptions } from "./options";

export type AuthorizationCodeCredentialOptions = UserCredentialOptions;
