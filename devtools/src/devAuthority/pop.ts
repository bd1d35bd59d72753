// Proof-of-possession token requests (`token_type=pop` with `req_cnf`), as Entra takes them: the
// access token names the client's key in its `cnf` claim and the reply says `token_type: "pop"`.
import { OAuthError, param } from "./http";

/** The key an access token is bound to: its RFC 7638 thumbprint. */
export interface KeyBinding {
  kid: string;
}

const THUMBPRINT = /^[A-Za-z0-9_-]{16,128}$/;

function invalid(description: string): OAuthError {
  return new OAuthError("invalid_request", 900144, description);
}

/** The binding a token request asks for; undefined for a Bearer token. */
export function requestedBinding(form: URLSearchParams): KeyBinding | undefined {
  const tokenType = param(form, "token_type")?.toLowerCase();
  if (tokenType === undefined || tokenType === "bearer") return undefined;
  if (tokenType !== "pop")
    throw invalid(`The token_type '${tokenType.slice(0, 32).replace(/[^\x20-\x7e]/g, "?")}' is not supported: use 'pop' or 'bearer'.`);
  const reqCnf = param(form, "req_cnf");
  if (!reqCnf) throw invalid("The request body must contain the following parameter: 'req_cnf' (token_type is 'pop').");
  let cnf: unknown;
  try {
    cnf = JSON.parse(Buffer.from(reqCnf, "base64url").toString("utf8"));
  } catch {
    cnf = undefined;
  }
  const kid = (cnf as { kid?: unknown } | undefined)?.kid;
  if (typeof kid !== "string" || !THUMBPRINT.test(kid)) {
    throw invalid("The 'req_cnf' parameter must be base64url JSON naming the key's thumbprint as 'kid'.");
  }
  return { kid };
}
