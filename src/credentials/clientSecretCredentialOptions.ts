import type { ConfidentialCredentialOptions } from "./serviceCredentialOptions";

/** Options of `ClientSecretCredential`: authority, tenants, persistence, logging (`@azure/identity`'s names). */
export type ClientSecretCredentialOptions = ConfidentialCredentialOptions;
