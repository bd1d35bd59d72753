// Routes each request to its endpoint, counting it and applying injected faults first.
import type { IncomingMessage, ServerResponse } from "node:http";
import { validRedirectUri, handleAuthorize } from "./authorize";
import { sendAuthorizeError } from "./authorizeResponse";
import type { AuthorityContext } from "./context";
import { DEVICE_LOGIN_PATH, handleDeviceCode, handleDeviceLoginGet, handleDeviceLoginPost } from "./deviceCode";
import { faultReply, type FaultTable } from "./faults";
import { FEDERATION_PREFIX } from "./federation";
import { entraErrorBody, OAuthError, readForm, sendHtml, sendJson, sendOAuthError } from "./http";
import { instanceDiscovery, openIdConfiguration } from "./metadata";
import { layout } from "./pages/layout";
import { errorPage } from "./pages/misc";
import { handleSignInPost } from "./signinPost";
import { SIGNIN_PATH } from "./steps";
import { handleToken } from "./token";
import type { DevCounters, DevEndpoint, InjectedFault } from "./types";

export interface RouterDeps {
  ctx: AuthorityContext;
  faults: FaultTable;
  counters: DevCounters;
  delay(ms: number): Promise<void>;
}

interface Route {
  endpoint: DevEndpoint | "signin" | "logout";
  method: "GET" | "POST";
  tenant?: string;
}

function match(segments: string[]): Route | undefined {
  const s = segments.map((x) => x.toLowerCase());
  const t = segments[0];
  const is = (...parts: string[]) => s.length === parts.length + 1 && parts.every((p, i) => s[i + 1] === p);
  if (s.length === 1 && s[0] === DEVICE_LOGIN_PATH.slice(1)) return { endpoint: "deviceLogin", method: "GET" };
  if (s.length === 1 && s[0] === SIGNIN_PATH.slice(1)) return { endpoint: "signin", method: "POST" };
  // /federation/<issuer>/.well-known/openid-configuration and /federation/<issuer>/keys: the issuer name rides as `tenant`.
  const rest = s.slice(2).join("/");
  if (s[0] === FEDERATION_PREFIX && (rest === ".well-known/openid-configuration" || rest === "keys")) {
    return { endpoint: "federation", method: "GET", tenant: `${segments[1]}/${rest}` };
  }
  if (is("v2.0", ".well-known", "openid-configuration") || is(".well-known", "openid-configuration")) {
    return { endpoint: "openidConfiguration", method: "GET", tenant: t };
  }
  if (is("discovery", "instance")) return { endpoint: "instanceDiscovery", method: "GET", tenant: t };
  if (is("discovery", "v2.0", "keys") || is("discovery", "keys")) return { endpoint: "jwks", method: "GET", tenant: t };
  if (is("oauth2", "v2.0", "authorize")) return { endpoint: "authorize", method: "GET", tenant: t };
  if (is("oauth2", "v2.0", "token")) return { endpoint: "token", method: "POST", tenant: t };
  if (is("oauth2", "v2.0", "devicecode")) return { endpoint: "devicecode", method: "POST", tenant: t };
  if (is("oauth2", "v2.0", "logout")) return { endpoint: "logout", method: "GET", tenant: t };
  return undefined;
}

function federationDocument(ctx: AuthorityContext, route: string): Record<string, unknown> {
  const [name, ...rest] = route.split("/");
  try {
    return rest.join("/") === "keys" ? ctx.federation.jwks(name) : ctx.federation.openIdConfiguration(name);
  } catch {
    throw new OAuthError("invalid_request", 90002, "Unknown federation issuer.");
  }
}

function splitUrl(raw: string): { segments: string[]; query: URLSearchParams } | undefined {
  const q = raw.indexOf("?");
  const path = q < 0 ? raw : raw.slice(0, q);
  if (!path.startsWith("/") || path.length > 2048) return undefined;
  try {
    const segments = path
      .split("/")
      .filter((x) => x !== "")
      .map((x) => decodeURIComponent(x));
    return { segments, query: new URLSearchParams(q < 0 ? "" : raw.slice(q + 1)) };
  } catch {
    return undefined;
  }
}

function isHtml(endpoint: Route["endpoint"]): boolean {
  return endpoint === "authorize" || endpoint === "deviceLogin" || endpoint === "signin" || endpoint === "logout";
}

function replyFault(res: ServerResponse, route: Route, f: InjectedFault, query: URLSearchParams): boolean {
  const r = faultReply(f);
  if (!r) return false;
  if (route.endpoint === "authorize" && r.status < 500) {
    const redirectUri = validRedirectUri(query.get("redirect_uri"));
    if (redirectUri) {
      const mode = query.get("response_mode") === "form_post" ? "form_post" : "query";
      sendAuthorizeError(res, { redirectUri, state: query.get("state") ?? undefined, responseMode: mode }, r.error, r.description);
      return true;
    }
  }
  if (isHtml(route.endpoint)) {
    sendHtml(res, r.status, errorPage("Something went wrong", `${r.error}: ${r.description}`));
  } else {
    sendJson(res, r.status, entraErrorBody(r.error, r.codes, r.description));
  }
  return true;
}

export async function route(deps: RouterDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { ctx, counters } = deps;
  const parsed = splitUrl(req.url ?? "");
  const r = parsed ? match(parsed.segments) : undefined;
  if (!parsed || !r) {
    return sendJson(res, 404, entraErrorBody("not_found", [], "The requested resource was not found."));
  }
  const method = req.method ?? "GET";
  const allowed = r.endpoint === "deviceLogin" ? ["GET", "POST"] : [r.method];
  if (!allowed.includes(method)) {
    return sendJson(
      res,
      405,
      entraErrorBody("invalid_request", [900561], "The endpoint only accepts " + allowed.join(", ") + " requests."),
      {
        allow: allowed.join(", "),
      },
    );
  }
  try {
    const form = method === "POST" ? await readForm(req) : new URLSearchParams();
    let grantType: string | undefined;
    if (r.endpoint !== "signin" && r.endpoint !== "logout") {
      counters[r.endpoint] += 1;
      if (r.endpoint === "token") {
        grantType = form.get("grant_type") ?? "(none)";
        counters.tokenByGrant[grantType] = (counters.tokenByGrant[grantType] ?? 0) + 1;
      }
      const fault = deps.faults.take(r.endpoint, grantType);
      if (fault?.delayMs && fault.delayMs > 0) await deps.delay(fault.delayMs);
      if (fault && replyFault(res, r, fault, parsed.query)) return;
    }
    const tenant = r.tenant ?? "common";
    switch (r.endpoint) {
      case "openidConfiguration":
        return sendJson(res, 200, openIdConfiguration(ctx, tenant));
      case "instanceDiscovery":
        return sendJson(res, 200, instanceDiscovery(ctx, parsed.query));
      case "jwks":
        ctx.resolveTenant(tenant);
        return sendJson(res, 200, ctx.signer.jwks());
      case "authorize":
        return handleAuthorize(ctx, req, res, tenant, parsed.query);
      case "token":
        return sendJson(res, 200, handleToken(ctx, req, form, tenant, counters));
      case "devicecode":
        return sendJson(res, 200, handleDeviceCode(ctx, req, form, tenant));
      case "federation":
        return sendJson(res, 200, federationDocument(ctx, tenant));
      case "deviceLogin":
        return method === "GET" ? handleDeviceLoginGet(res, parsed.query) : handleDeviceLoginPost(ctx, req, res, form);
      case "signin":
        return handleSignInPost(ctx, req, res, form);
      case "logout":
        return sendHtml(
          res,
          200,
          layout({ title: "Signed out", body: '<p id="signed-out">You have signed out. You may close this window.</p>' }),
        );
    }
  } catch (e) {
    if (res.headersSent) return;
    if (e instanceof OAuthError) {
      return isHtml(r.endpoint) ? sendHtml(res, e.status, errorPage("Sign-in failed", e.message)) : sendOAuthError(res, e);
    }
    sendJson(res, 500, entraErrorBody("server_error", [90033], "An internal error occurred in the dev authority."));
  }
}
