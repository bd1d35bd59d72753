// POST /{tenant}/oauth2/v2.0/devicecode and the /devicelogin pages.
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseClaims } from "./claims";
import type { AuthorityContext } from "./context";
import { param, sendHtml } from "./http";
import { deviceCodePage } from "./pages/device";
import { parseScopes } from "./scopes";
import { sessionAccounts } from "./session";
import { showPage } from "./steps";
import { authenticateClient } from "./clientAuthentication";

export const DEVICE_LOGIN_PATH = "/devicelogin";

export function handleDeviceCode(ctx: AuthorityContext, req: IncomingMessage, form: URLSearchParams, segment: string) {
  const resolved = ctx.resolveTenant(segment);
  const { clientId } = authenticateClient(ctx, req, form, resolved, "devicecode");
  const scope = param(form, "scope") ?? "";
  parseScopes(scope); // validates
  const claims = parseClaims(param(form, "claims"));
  const s = ctx.settings;
  const rec = ctx.store.addDeviceCode({
    clientId,
    tenantSegment: resolved.segment,
    scope,
    claims,
    expiresAt: Date.now() + s.deviceCodeLifetimeSeconds * 1000,
    status: "pending",
    redeemed: false,
  });
  const verificationUri = `${ctx.url}${DEVICE_LOGIN_PATH}`;
  return {
    user_code: rec.userCode,
    device_code: rec.deviceCode,
    verification_uri: verificationUri,
    expires_in: s.deviceCodeLifetimeSeconds,
    interval: s.deviceCodeIntervalSeconds,
    message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${rec.userCode} to authenticate.`,
  };
}

export function handleDeviceLoginGet(res: ServerResponse, query: URLSearchParams): void {
  const code = (query.get("otc") ?? "").replace(/[^A-Za-z0-9-]/g, "").slice(0, 16);
  sendHtml(res, 200, deviceCodePage({ action: DEVICE_LOGIN_PATH, code }));
}

export function handleDeviceLoginPost(ctx: AuthorityContext, req: IncomingMessage, res: ServerResponse, form: URLSearchParams): void {
  const raw = (form.get("otc") ?? form.get("code") ?? "").trim().slice(0, 64);
  const rec = raw ? ctx.store.deviceByUserCode(raw) : undefined;
  const again = (error: string) => sendHtml(res, 200, deviceCodePage({ action: DEVICE_LOGIN_PATH, code: raw, error }));
  if (!rec) return again("AADSTS70018: That code didn't work. Check the code and try again.");
  if (rec.expiresAt < Date.now()) return again("AADSTS70019: That code has expired. Request a new code from your device.");
  if (rec.status !== "pending") return again("AADSTS70019: That code was already used. Request a new code from your device.");
  const flow = ctx.flows.create({
    kind: "device",
    resolved: ctx.resolveTenant(rec.tenantSegment),
    clientId: rec.clientId,
    scopeRaw: rec.scope,
    scopes: parseScopes(rec.scope),
    claims: rec.claims,
    acrs: rec.claims?.acrs,
    deviceCode: rec.deviceCode,
  });
  flow.page = sessionAccounts(ctx, req).length > 0 ? "pick" : "password";
  showPage(ctx, req, res, flow);
}
