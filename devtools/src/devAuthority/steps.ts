// Moves a sign-in flow along: shows the next page, or completes it (code for authorize, approval for device).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthorityContext } from "./context";
import type { Flow } from "./flow";
import { OAuthError, sendHtml } from "./http";
import { consentPage } from "./pages/consent";
import { deviceDonePage } from "./pages/device";
import { errorPage } from "./pages/misc";
import { mfaPage } from "./pages/mfa";
import { passwordPage, pickerPage } from "./pages/signIn";
import { sendAuthorizeError, sendAuthorizeResponse } from "./authorizeResponse";
import { sessionAccounts } from "./session";

export const SIGNIN_PATH = "/signin";

export function showPage(ctx: AuthorityContext, req: IncomingMessage, res: ServerResponse, flow: Flow, error?: string): void {
  const base = { action: SIGNIN_PATH, flowId: flow.id, error };
  if (flow.page === "pick") {
    const accounts = sessionAccounts(ctx, req)
      .map((u) => ctx.findUser(u))
      .filter((u) => u !== undefined)
      .map((u) => ({ username: u.username, displayName: u.displayName }));
    return sendHtml(res, 200, pickerPage({ ...base, accounts }));
  }
  if (flow.page === "password") {
    return sendHtml(res, 200, passwordPage({ ...base, username: flow.username ?? flow.loginHint }));
  }
  const user = ctx.findUser(flow.username);
  if (flow.page === "mfa") {
    return sendHtml(res, 200, mfaPage({ ...base, username: user?.username ?? "", code: flow.mfaCode }));
  }
  sendHtml(
    res,
    200,
    consentPage({
      ...base,
      clientId: flow.clientId,
      username: user?.username ?? "",
      resource: flow.scopes.resource,
      permissions: flow.scopes.permissions,
    }),
  );
}

export function needsMfa(ctx: AuthorityContext, flow: Flow): boolean {
  return ctx.settings.stepUp && !!flow.acrs && !flow.mfaDone;
}

export function needsConsent(ctx: AuthorityContext, flow: Flow): boolean {
  if (flow.consented || !flow.username) return false;
  if (flow.prompt === "consent") return true;
  return !ctx.store.hasConsent(flow.username, flow.clientId, flow.scopes.permissions);
}

/** Called once the user is authenticated: MFA, consent, then completion. */
export function advance(ctx: AuthorityContext, req: IncomingMessage, res: ServerResponse, flow: Flow): void {
  if (needsMfa(ctx, flow)) {
    flow.page = "mfa";
    return showPage(ctx, req, res, flow);
  }
  if (needsConsent(ctx, flow)) {
    flow.page = "consent";
    return showPage(ctx, req, res, flow);
  }
  complete(ctx, res, flow);
}

function complete(ctx: AuthorityContext, res: ServerResponse, flow: Flow): void {
  ctx.flows.end(flow.id);
  const user = ctx.findUser(flow.username);
  if (!user) return sendHtml(res, 400, errorPage("Sign-in failed", "The user account no longer exists."));
  let tenantId: string;
  try {
    tenantId = ctx.tenantForUser(flow.resolved, user).tenantId;
  } catch (e) {
    if (e instanceof OAuthError) return fail(ctx, res, flow, e.error, e.message);
    throw e;
  }
  const acrs = ctx.settings.stepUp && flow.mfaDone ? flow.acrs : undefined;
  if (flow.kind === "device") {
    const rec = flow.deviceCode ? ctx.store.deviceCodes.get(flow.deviceCode) : undefined;
    if (!rec || rec.status !== "pending" || rec.expiresAt < Date.now()) {
      return sendHtml(
        res,
        400,
        errorPage("Code expired", "This code has expired or was already used. Request a new code from your device."),
      );
    }
    Object.assign(rec, { status: "approved", username: user.username, tenantId, acrs });
    return sendHtml(res, 200, deviceDonePage({ approved: true, username: user.username, clientId: flow.clientId }));
  }
  const target = flow.authorize!;
  const code = ctx.store.addCode({
    clientId: flow.clientId,
    redirectUri: target.redirectUri,
    codeChallenge: target.codeChallenge,
    username: user.username,
    tenantId,
    scope: flow.scopeRaw,
    nonce: target.nonce,
    claims: flow.claims,
    acrs,
    expiresAt: Date.now() + 5 * 60 * 1000,
    used: false,
  });
  sendAuthorizeResponse(res, target, { code });
}

/** Ends the flow with an OAuth error (cancel and the like). */
export function fail(ctx: AuthorityContext, res: ServerResponse, flow: Flow, error: string, description: string): void {
  ctx.flows.end(flow.id);
  if (flow.kind === "device") {
    const rec = flow.deviceCode ? ctx.store.deviceCodes.get(flow.deviceCode) : undefined;
    if (rec && rec.status === "pending") rec.status = "declined";
    return sendHtml(res, 200, deviceDonePage({ approved: false, clientId: flow.clientId }));
  }
  sendAuthorizeError(res, flow.authorize!, error, description);
}
