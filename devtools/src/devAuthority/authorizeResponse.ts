// Delivers an authorization response to the redirect URI: query / fragment redirect or form_post page.
import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { AuthorizeTarget } from "./flow";
import { redirect, sendHtml } from "./http";
import { formPostPage } from "./pages/misc";

export function sendAuthorizeResponse(res: ServerResponse, target: AuthorizeTarget, fields: Record<string, string>): void {
  const all: Record<string, string> = { ...fields };
  if (target.state !== undefined) all.state = target.state;
  if (target.responseMode === "form_post") {
    const nonce = randomBytes(16).toString("base64");
    return sendHtml(res, 200, formPostPage(target.redirectUri, all, nonce), {
      "content-security-policy": `default-src 'none'; script-src 'nonce-${nonce}'; base-uri 'none'; frame-ancestors 'none'`,
    });
  }
  const url = new URL(target.redirectUri);
  const params = new URLSearchParams(all);
  if (target.responseMode === "fragment") {
    url.hash = params.toString();
  } else {
    for (const [k, v] of params) url.searchParams.append(k, v);
  }
  redirect(res, url.toString());
}

export function sendAuthorizeError(res: ServerResponse, target: AuthorizeTarget, error: string, description: string): void {
  sendAuthorizeResponse(res, target, { error, error_description: description });
}
