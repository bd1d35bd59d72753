// private_key_jwt: a client assertion the app signs with the key of a registered certificate.
import { checkAudience, checkReplay, checkTimeRange, invalidClient, requireSignature, checkAlgorithm } from "./assertionChecks";
import type { RegisteredCertificate, RegisteredClient } from "./clientRegistry";
import type { AuthorityContext, ResolvedTenant } from "./context";
import type { DecodedJwt } from "./jwt";

const CERT_ALGS = ["RS256", "PS256"] as const;

/** The token endpoint URLs an assertion may name as `aud` at this tenant (v2 and v1, by id or domain). */
export function tokenEndpointAudiences(ctx: AuthorityContext, resolved: ResolvedTenant): string[] {
  const hosts = [ctx.url, ctx.url.replace("127.0.0.1", "localhost")];
  const segments = resolved.tenant ? [resolved.tenant.tenantId, resolved.tenant.domain] : [resolved.segment];
  return hosts.flatMap((h) => segments.flatMap((s) => [`${h}/${s}/oauth2/v2.0/token`, `${h}/${s}/oauth2/token`]));
}

function hexOf(b64url: string): string {
  return Buffer.from(b64url, "base64url").toString("hex").toUpperCase();
}

function keyNotFound(client: RegisteredClient, thumbprint: string, reason = "The key was not found."): Error {
  return invalidClient(
    700027,
    `Client assertion contains an invalid signature. [Reason - ${reason}, Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${client.clientId}'. Review the documentation at https://learn.microsoft.com/en-us/graph/deployments to determine the corresponding service endpoint and https://learn.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http to build a query request URL, such as 'https://graph.microsoft.com/beta/applications/${client.clientId}']`,
  );
}

function x5cLeaf(header: Record<string, unknown>, client: RegisteredClient): Buffer | undefined {
  if (header.x5c === undefined) return undefined;
  const first: unknown = Array.isArray(header.x5c) ? header.x5c[0] : undefined;
  if (typeof first !== "string" || !/^[A-Za-z0-9+/]+=*$/.test(first))
    throw keyNotFound(client, "", "The x5c header is not a certificate chain.");
  return Buffer.from(first, "base64");
}

/** The registered certificate the header names by x5t#S256, x5t or (alone) the x5c leaf. */
function findCertificate(client: RegisteredClient, header: Record<string, unknown>): { cert: RegisteredCertificate; thumbprint: string } {
  const s256 = typeof header["x5t#S256"] === "string" ? header["x5t#S256"] : undefined;
  const sha1 = typeof header.x5t === "string" ? header.x5t : undefined;
  const leaf = x5cLeaf(header, client);
  let cert: RegisteredCertificate | undefined;
  let thumbprint = "";
  if (s256 !== undefined) {
    thumbprint = hexOf(s256);
    cert = client.certificates.find((c) => c.x5tS256 === s256);
  } else if (sha1 !== undefined) {
    thumbprint = hexOf(sha1);
    cert = client.certificates.find((c) => c.x5t === sha1);
  } else if (leaf) {
    cert = client.certificates.find((c) => c.der.equals(leaf));
    thumbprint = cert?.thumbprintHex ?? "";
  }
  if (!cert) throw keyNotFound(client, thumbprint);
  if (s256 !== undefined && sha1 !== undefined && cert.x5t !== sha1)
    throw keyNotFound(client, hexOf(sha1), "The x5t and x5t#S256 headers name different certificates.");
  if (leaf && !cert.der.equals(leaf)) {
    throw keyNotFound(client, thumbprint, "The first certificate of the x5c chain is not the certificate the thumbprint names.");
  }
  return { cert, thumbprint: thumbprint || cert.thumbprintHex };
}

/** Verifies a certificate client assertion fully; throws the OAuthError Entra answers with. */
export function verifyCertificateAssertion(
  ctx: AuthorityContext,
  client: RegisteredClient,
  jwt: DecodedJwt,
  resolved: ResolvedTenant,
): void {
  const alg = checkAlgorithm(jwt, CERT_ALGS);
  if (jwt.payload.iss !== client.clientId || jwt.payload.sub !== client.clientId) {
    throw invalidClient(
      700021,
      "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .",
    );
  }
  checkAudience(jwt.payload, tokenEndpointAudiences(ctx, resolved));
  checkTimeRange(jwt.payload);
  const { cert, thumbprint } = findCertificate(client, jwt.header);
  requireSignature(alg, cert.publicKey, jwt, thumbprint);
  checkReplay(ctx.store, client.clientId, jwt, ctx.settings.refuseAssertionReplay);
}
