// GET /{tenant}/oauth2/v2.0/authorize: validates the request, then starts the sign-in pages.
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendAuthorizeError } from "./authorizeResponse";
import { parseClaims } from "./claims";
import type { AuthorityContext } from "./context";
import type { AuthorizeTarget, Flow, ResponseMode } from "./flow";
import { OAuthError, sendHtml } from "./http";
import { errorPage } from "./pages/misc";
import { parseScopes } from "./scopes";
import { sessionAccounts } from "./session";
import { advance, needsConsent, needsMfa, showPage } from "./steps";
import { checkClientId } from "./clientAuthentication";

const PROMPTS = ["login", "select_account", "consent", "none", "create"];
const MODES: ResponseMode[] = ["query", "fragment", "form_post"];
const CHALLENGE_RE = /^[A-Za-z0-9_-]{43}$/;

/** A redirect URI we are willing to send a response to, or undefined. */
export function validRedirectUri(raw: string | null): string | undefined {
  if (!raw || raw.length > 2048) return undefined;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return undefined;
  }
  if (u.hash) return undefined;
  const scheme = u.protocol.slice(0, -1).toLowerCase();
  if (["javascript", "data", "file", "vbscript", "blob", "about"].includes(scheme)) return undefined;
  if (scheme === "http" && !["localhost", "127.0.0.1", "[::1]"].includes(u.hostname.toLowerCase())) return undefined;
  return raw;
}

function single(q: URLSearchParams, name: string): string | undefined {
  const all = q.getAll(name);
  if (all.length > 1) throw new OAuthError("invalid_request", 90015, `The parameter '${name}' is duplicated.`);
  return all[0] === "" ? undefined : all[0];
}

function invalid(code: number, text: string): OAuthError {
  return new OAuthError("invalid_request", code, text);
}

function pageError(res: ServerResponse, e: OAuthError): void {
  sendHtml(res, 400, errorPage("Sign-in failed", e.message));
}

export function handleAuthorize(
  ctx: AuthorityContext,
  req: IncomingMessage,
  res: ServerResponse,
  segment: string,
  q: URLSearchParams,
): void {
  let clientId: string;
  let resolved;
  try {
    resolved = ctx.resolveTenant(segment);
    clientId = checkClientId(single(q, "client_id"));
  } catch (e) {
    if (e instanceof OAuthError) return pageError(res, e);
    throw e;
  }
  const redirectUri = validRedirectUri(q.getAll("redirect_uri").length === 1 ? q.get("redirect_uri") : null);
  if (!redirectUri) {
    return pageError(res, invalid(50011, "The redirect URI is missing or not valid for this application."));
  }
  const modeRaw = q.get("response_mode") ?? "query";
  const target: AuthorizeTarget = {
    redirectUri,
    state: q.get("state") ?? undefined,
    responseMode: (MODES as string[]).includes(modeRaw) ? (modeRaw as ResponseMode) : "query",
  };
  let flow: Flow;
  try {
    if (target.state !== undefined && target.state.length > 8192) throw invalid(90100, "The 'state' parameter is too long.");
    if (!(MODES as string[]).includes(modeRaw)) throw invalid(900144, "The 'response_mode' parameter is not valid.");
    if (single(q, "response_type") !== "code") {
      throw new OAuthError("unsupported_response_type", 700054, "The response_type must be 'code'.");
    }
    const challenge = single(q, "code_challenge");
    const method = single(q, "code_challenge_method");
    if (challenge !== undefined) {
      if ((method ?? "plain") !== "S256") throw invalid(501491, "Only the S256 code_challenge_method is supported.");
      if (!CHALLENGE_RE.test(challenge)) throw invalid(501491, "The code_challenge is not valid.");
      target.codeChallenge = challenge;
    } else if (method !== undefined) {
      throw invalid(50125, "A code_challenge_method was given without a code_challenge.");
    }
    // Without a challenge the request is still accepted (public clients without PKCE are allowed).
    const nonce = single(q, "nonce");
    if (nonce !== undefined) target.nonce = nonce.slice(0, 1024);
    const prompt = single(q, "prompt");
    if (prompt !== undefined && !PROMPTS.includes(prompt)) throw invalid(90023, `Invalid prompt value.`);
    const scopeRaw = single(q, "scope") ?? "";
    const claims = parseClaims(single(q, "claims"));
    flow = ctx.flows.create({
      kind: "authorize",
      resolved,
      clientId,
      scopeRaw,
      scopes: parseScopes(scopeRaw),
      claims,
      acrs: claims?.acrs,
      loginHint: single(q, "login_hint")?.slice(0, 256),
      prompt,
      authorize: target,
    });
  } catch (e) {
    if (e instanceof OAuthError) return sendAuthorizeError(res, target, e.error, e.message);
    throw e;
  }
  start(ctx, req, res, flow);
}

function start(ctx: AuthorityContext, req: IncomingMessage, res: ServerResponse, flow: Flow): void {
  const accounts = sessionAccounts(ctx, req);
  const hint = flow.loginHint?.toLowerCase();
  const hinted = hint && accounts.includes(hint) ? hint : undefined;
  if (flow.prompt === "none") {
    const pick = hinted ?? (accounts.length === 1 && !hint ? accounts[0] : undefined);
    const user = ctx.findUser(pick);
    const refuse = (error: string, code: number, text: string) => {
      ctx.flows.end(flow.id);
      sendAuthorizeError(res, flow.authorize!, error, `AADSTS${code}: ${text}`);
    };
    if (!user) {
      if (accounts.length > 1 && !hint) return refuse("interaction_required", 16000, "Multiple accounts are signed in; pick one.");
      return refuse("login_required", 50058, "A silent sign-in request was sent but no user is signed in.");
    }
    try {
      ctx.tenantForUser(flow.resolved, user);
    } catch (e) {
      if (e instanceof OAuthError) return refuse("interaction_required", e.code, e.description);
      throw e;
    }
    flow.username = user.username;
    if (needsMfa(ctx, flow)) return refuse("interaction_required", 50076, "Multi-factor authentication is required.");
    if (needsConsent(ctx, flow)) return refuse("consent_required", 65001, "The user has not consented to use the application.");
    return advance(ctx, req, res, flow);
  }
  if (flow.prompt === "login" || accounts.length === 0) {
    flow.page = "password";
    return showPage(ctx, req, res, flow);
  }
  if (hinted && flow.prompt !== "select_account") {
    const user = ctx.findUser(hinted);
    if (user) {
      try {
        ctx.tenantForUser(flow.resolved, user);
        flow.username = user.username;
        return advance(ctx, req, res, flow);
      } catch (e) {
        if (!(e instanceof OAuthError)) throw e;
      }
    }
  }
  flow.page = "pick";
  showPage(ctx, req, res, flow);
}
