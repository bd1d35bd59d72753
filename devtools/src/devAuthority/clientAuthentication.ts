// Client authentication at the token endpoint: none (public), client secret, certificate assertion
// (private_key_jwt) or federated assertion, with the errors Entra answers for each misuse.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { decodeAssertion, invalidClient, JWT_BEARER_ASSERTION_TYPE } from "./assertionChecks";
import { verifyCertificateAssertion } from "./clientAssertion";
import type { RegisteredClient } from "./clientRegistry";
import type { AuthorityContext, ResolvedTenant } from "./context";
import { verifyFederatedAssertion } from "./federatedAssertion";
import { OAuthError, param } from "./http";
import type { DevClientAuthMethod } from "./types";

export const CLIENT_CREDENTIALS_GRANT = "client_credentials";
const CLIENT_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export interface ClientAuthentication {
  clientId: string;
  /** The registration, when the client is confidential. */
  client?: RegisteredClient;
  /** How it authenticated; undefined for a public client. */
  method?: DevClientAuthMethod;
}

function basicAuth(req: IncomingMessage): { id: string; secret: string } | undefined {
  const h = req.headers.authorization;
  if (!h || !/^basic /i.test(h)) return undefined;
  const text = Buffer.from(h.slice(6).trim(), "base64").toString("utf8");
  const i = text.indexOf(":");
  if (i < 0) return undefined;
  try {
    return { id: decodeURIComponent(text.slice(0, i)), secret: decodeURIComponent(text.slice(i + 1)) };
  } catch {
    return undefined;
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function checkClientId(clientId: string | undefined): string {
  if (!clientId) throw new OAuthError("invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
  if (!CLIENT_ID_RE.test(clientId)) {
    throw new OAuthError("unauthorized_client", 700016, "Application with the given identifier was not found in the directory.");
  }
  return clientId;
}

function appNotFound(clientId: string, resolved: ResolvedTenant): OAuthError {
  return new OAuthError(
    "unauthorized_client",
    700016,
    `Application with identifier '${clientId}' was not found in the directory '${resolved.tenant?.domain ?? resolved.segment}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  );
}

function authenticateWithAssertion(
  ctx: AuthorityContext,
  client: RegisteredClient,
  assertion: string,
  resolved: ResolvedTenant,
): DevClientAuthMethod {
  const jwt = decodeAssertion(assertion);
  // Entra tells them apart by the issuer: the app itself, or an identity provider it trusts.
  if (jwt.payload.iss === client.clientId || client.federatedCredentials.length === 0) {
    verifyCertificateAssertion(ctx, client, jwt, resolved);
    return "certificate";
  }
  verifyFederatedAssertion(ctx, client, jwt);
  return "federated";
}

/** Authenticates the client: confidential clients must present a credential, public ones none. */
export function authenticateClient(
  ctx: AuthorityContext,
  req: IncomingMessage,
  form: URLSearchParams,
  resolved: ResolvedTenant,
  grantType: string,
): ClientAuthentication {
  const basic = basicAuth(req);
  const clientId = checkClientId(param(form, "client_id") ?? basic?.id);
  if (basic && basic.id !== clientId) throw invalidClient(700016, "The client_id does not match the credentials.");
  const secret = param(form, "client_secret") ?? basic?.secret;
  const assertionType = param(form, "client_assertion_type");
  const assertion = param(form, "client_assertion");
  if (assertion !== undefined && assertionType === undefined) {
    throw new OAuthError("invalid_request", 900144, "The request body must contain the following parameter: 'client_assertion_type'.");
  }
  if (assertionType !== undefined && assertionType !== JWT_BEARER_ASSERTION_TYPE) {
    throw new OAuthError("invalid_request", 900144, `The 'client_assertion_type' must be '${JWT_BEARER_ASSERTION_TYPE}'.`);
  }
  if (assertionType !== undefined && !assertion) {
    throw new OAuthError("invalid_request", 900144, "The request body must contain the following parameter: 'client_assertion'.");
  }
  if (secret !== undefined && assertion !== undefined) {
    throw new OAuthError("invalid_request", 90014, "The request must contain either 'client_secret' or 'client_assertion', not both.");
  }
  const client = ctx.client(clientId);
  if (!client?.confidential) {
    if (grantType === CLIENT_CREDENTIALS_GRANT) throw appNotFound(clientId, resolved);
    if (secret !== undefined || assertion !== undefined) {
      throw invalidClient(700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.");
    }
    return { clientId };
  }
  if (assertion !== undefined) return { clientId, client, method: authenticateWithAssertion(ctx, client, assertion, resolved) };
  if (secret === undefined || secret === "") {
    if (grantType === CLIENT_CREDENTIALS_GRANT) {
      throw invalidClient(7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
    }
    throw invalidClient(7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }
  if (client.clientSecret === undefined || !same(secret, client.clientSecret)) {
    throw invalidClient(
      7000215,
      "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '" +
        clientId +
        "'.",
    );
  }
  return { clientId, client, method: "secret" };
}
