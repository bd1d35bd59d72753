// The stand-in's side of the conversation with the authority (the dev authority in tests): the token
// endpoint over node https, trusting only the CA it was given.
import https from "node:https";
import { Status, fail } from "./protocol";

export interface AuthorityConfig {
  url: string;
  ca: string;
}

export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  client_info?: string;
  expires_in?: number | string;
  ext_expires_in?: number | string;
  scope?: string;
  token_type?: string;
}

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Maps the authority the client sent (MSALRuntime drops the port) onto the configured authority:
 * only its tenant (first path segment) is kept.
 */
export function tenantOf(requestAuthority: unknown): string {
  if (typeof requestAuthority !== "string" || requestAuthority.length === 0) return "common";
  try {
    const segment = new URL(requestAuthority).pathname.split("/").filter(Boolean)[0];
    return segment && /^[A-Za-z0-9._-]+$/.test(segment) ? segment : "common";
  } catch {
    return "common";
  }
}

export function hostOf(requestAuthority: unknown, fallbackUrl: string): string {
  for (const candidate of [requestAuthority, fallbackUrl]) {
    if (typeof candidate !== "string") continue;
    try {
      return new URL(candidate).hostname;
    } catch {
      // next
    }
  }
  return "login.microsoftonline.com";
}

/** POSTs a form to `{url}/{tenant}/oauth2/v2.0/token`; OAuth and transport errors become broker errors. */
export async function requestToken(
  authority: AuthorityConfig,
  tenant: string,
  form: Record<string, string>,
  signal?: AbortSignal,
): Promise<TokenResponse> {
  const endpoint = new URL(`${authority.url.replace(/\/+$/, "")}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`);
  const body = new URLSearchParams(form).toString();
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = https.request(
      endpoint,
      {
        method: "POST",
        ca: authority.ca,
        signal,
        timeout: REQUEST_TIMEOUT_MS,
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "content-length": Buffer.byteLength(body),
          accept: "application/json",
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" })));
    req.on("error", reject);
    req.end(body);
  }).catch((error: NodeJS.ErrnoException): never => {
    if (signal?.aborted) fail(Status.UserCanceled, "The interactive flow was cancelled.");
    const code = error.code ?? "";
    if (code === "ETIMEDOUT" || code === "ECONNRESET" || code === "EAI_AGAIN") {
      fail(Status.NetworkTemporarilyUnavailable, `Network error talking to the authority: ${code}`);
    }
    fail(Status.NoNetwork, `Could not reach the authority: ${code || error.message}`);
  });

  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // handled below
  }
  if (status >= 200 && status < 300 && typeof json.access_token === "string") {
    return json as unknown as TokenResponse;
  }
  const oauthError = typeof json.error === "string" ? json.error : "";
  const description = typeof json.error_description === "string" ? json.error_description : text.slice(0, 200);
  const suberror = typeof json.suberror === "string" ? json.suberror : "";
  const errorCodes = Array.isArray(json.error_codes) ? json.error_codes : [];
  const errorCode = typeof errorCodes[0] === "number" ? errorCodes[0] : 0;
  const context = `Recieved an error from AAD. Code: '${oauthError || status}', description: '${description}', suberror: '${suberror}'`;
  if (status >= 500 || status === 429) fail(Status.ServerTemporarilyUnavailable, context, { errorCode, tag: status });
  if (["invalid_grant", "interaction_required", "consent_required", "login_required"].includes(oauthError)) {
    fail(Status.InteractionRequired, context, { errorCode, tag: status });
  }
  if (["invalid_client", "unauthorized_client", "invalid_request", "invalid_scope"].includes(oauthError)) {
    fail(Status.IncorrectConfiguration, context, { errorCode, tag: status });
  }
  fail(Status.Unexpected, context, { errorCode, tag: status });
}

export function base64UrlJson(segment: string): Record<string, unknown> {
  try {
    const value = JSON.parse(Buffer.from(segment, "base64url").toString("utf8")) as unknown;
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The claims of a JWT, unverified (the stand-in trusts the authority it was configured with). */
export function jwtClaims(token: string | undefined): Record<string, unknown> {
  if (!token) return {};
  const payload = token.split(".")[1];
  return payload ? base64UrlJson(payload) : {};
}
