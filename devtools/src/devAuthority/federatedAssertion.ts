// A federated client assertion: a token of an issuer the app trusts (federated identity credential).
import { createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";
import { checkAlgorithm, checkTimeRange, invalidClient, requireSignature } from "./assertionChecks";
import type { RegisteredClient, RegisteredFederatedCredential } from "./clientRegistry";
import type { AuthorityContext } from "./context";
import type { DecodedJwt } from "./jwt";

const FEDERATED_ALGS = ["RS256", "PS256", "ES256"] as const;
const FIC_DOCS =
  "Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation";

function noRecord(code: number, what: string, value: unknown): Error {
  const shown = String(Array.isArray(value) ? value.join(",") : value).slice(0, 256);
  return invalidClient(code, `No matching federated identity record found for presented assertion ${what} '${shown}'. ${FIC_DOCS}`);
}

function jwksKey(fic: RegisteredFederatedCredential, kid: unknown): KeyObject | undefined {
  const keys = fic.jwks?.keys ?? [];
  const jwk = keys.find((k) => k.kid === kid) ?? (kid === undefined && keys.length === 1 ? keys[0] : undefined);
  if (!jwk) return undefined;
  try {
    return createPublicKey({ key: jwk as JsonWebKey, format: "jwk" });
  } catch {
    return undefined;
  }
}

/** Verifies a federated assertion against the app's federated credentials and the issuer's keys. */
export function verifyFederatedAssertion(ctx: AuthorityContext, client: RegisteredClient, jwt: DecodedJwt): void {
  const alg = checkAlgorithm(jwt, FEDERATED_ALGS);
  const { iss, sub, aud } = jwt.payload;
  const byIssuer = client.federatedCredentials.filter((f) => typeof iss === "string" && ctx.federation.normalize(f.issuer) === iss);
  if (byIssuer.length === 0) throw noRecord(700211, "issuer", iss);
  const bySubject = byIssuer.filter((f) => f.subject === sub);
  if (bySubject.length === 0) throw noRecord(700213, "subject", sub);
  const auds = (Array.isArray(aud) ? aud : [aud]).filter((a): a is string => typeof a === "string");
  const fic = bySubject.find((f) => f.audiences.some((a) => auds.includes(a)));
  if (!fic) throw noRecord(700212, "audience", aud);
  checkTimeRange(jwt.payload);
  const kid = jwt.header.kid;
  const key = ctx.federation.publicKey(iss as string, kid) ?? jwksKey(fic, kid);
  if (!key) {
    throw invalidClient(
      700027,
      `Client assertion failed signature validation. [Reason - The key was not found., Key id used by the issuer: '${String(kid).slice(0, 128)}'] The dev authority knows the keys of its own /federation/ issuers and those given as 'jwks' in a federated credential.`,
    );
  }
  requireSignature(alg, key, jwt, typeof kid === "string" ? kid : "");
}
