import type { ServiceCredentialOptions } from "./serviceCredentialOptions";

/** Options of `EnvironmentCredential`: authority, tenants, logging (`@azure/identity`'s names); the rest comes from the environment. */
export type EnvironmentCredentialOptions = ServiceCredentialOptions;
