// The dev authority: an offline, HTTPS, Entra-ID-v2-compatible authority for tests and demos.
export { DevAuthority } from "./server";
export { stableGuid } from "./defaults";
export { decodeJwtPayload } from "./jwt";
export { makeCertificates, type DevCertificates } from "./certs";
export type { DevAuthorityOptions, DevClient, DevCounters, DevEndpoint, DevTenant, DevUser, InjectedFault } from "./types";
// Service credentials (client secret, certificate, federated assertions).
export { makeClientCertificate, type DevClientCertificate } from "./certs";
export type { DevClientAuthMethod, DevFederatedCredential, FederatedTokenOptions } from "./types";
