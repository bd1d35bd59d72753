import type { ConfidentialCredentialOptions } from "./serviceCredentialOptions";

/** Options of `ClientAssertionCredential`: authority, tenants, persistence, logging (`@azure/identity`'s names). */
export type ClientAssertionCredentialOptions = ConfidentialCredentialOptions;
