// Shared helpers of the dev authority tests: raw HTTPS calls trusting only the authority's CA, PKCE.
import { createHash, randomBytes } from "node:crypto";
import https from "node:https";

export function call(authority, method, path, form, headers = {}) {
  const body = form === undefined ? undefined : new URLSearchParams(form).toString();
  const h = { ...headers };
  if (body !== undefined) {
    h["content-type"] = "application/x-www-form-urlencoded";
    h["content-length"] = Buffer.byteLength(body);
  }
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, authority.url), { method, headers: h, ca: authority.ca, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => {
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

export function pkce() {
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  return { verifier, challenge };
}

export function decodeJwt(token) {
  const [h, p] = token.split(".");
  return { header: JSON.parse(Buffer.from(h, "base64url")), payload: JSON.parse(Buffer.from(p, "base64url")) };
}

export const CLIENT = "11111111-2222-3333-4444-555555555555";
export const REDIRECT = "http://localhost:53100/callback";

export function authorizeUrl(
  authority,
  {
    tenant = "organizations",
    clientId = CLIENT,
    redirectUri = REDIRECT,
    scope = "openid profile offline_access https://graph.microsoft.com/User.Read",
    state = "st-" + randomBytes(4).toString("hex"),
    challenge,
    extra = {},
  } = {},
) {
  const u = new URL(`/${tenant}/oauth2/v2.0/authorize`, authority.url);
  const q = { client_id: clientId, response_type: "code", redirect_uri: redirectUri, scope, state, response_mode: "query", ...extra };
  if (challenge) Object.assign(q, { code_challenge: challenge, code_challenge_method: "S256" });
  for (const [k, v] of Object.entries(q)) u.searchParams.set(k, v);
  return u.toString();
}

export function redeem(
  authority,
  {
    tenant = "organizations",
    code,
    verifier,
    clientId = CLIENT,
    redirectUri = REDIRECT,
    scope = "openid profile offline_access https://graph.microsoft.com/User.Read",
    extra = {},
  },
) {
  const form = {
    grant_type: "authorization_code",
    client_id: clientId,
    code,
    redirect_uri: redirectUri,
    scope,
    client_info: "1",
    ...extra,
  };
  if (verifier) form.code_verifier = verifier;
  return call(authority, "POST", `/${tenant}/oauth2/v2.0/token`, form);
}
