// POST /signin: the forms of the sign-in pages (account picker, password, MFA, consent, cancel).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthorityContext, NormalizedUser } from "./context";
import type { Flow } from "./flow";
import { OAuthError, sendHtml } from "./http";
import { errorPage } from "./pages/misc";
import { rememberSignIn, sessionAccounts } from "./session";
import { advance, fail, showPage } from "./steps";

function one(form: URLSearchParams, name: string): string | undefined {
  const v = form.getAll(name);
  return v.length === 1 ? v[0] : undefined;
}

/** The reason a user may not sign in at this flow's tenant, or undefined when they may. */
function tenantProblem(ctx: AuthorityContext, flow: Flow, user: NormalizedUser): string | undefined {
  try {
    ctx.tenantForUser(flow.resolved, user);
    return undefined;
  } catch (e) {
    if (e instanceof OAuthError) return e.message;
    throw e;
  }
}

function onPicker(ctx: AuthorityContext, req: IncomingMessage, res: ServerResponse, flow: Flow, form: URLSearchParams): void {
  const account = one(form, "account");
  if (account === undefined) {
    if (one(form, "action") === "use-another") {
      flow.page = "password";
      flow.loginHint = undefined;
      flow.username = undefined;
    }
    return showPage(ctx, req, res, flow);
  }
  const user = ctx.findUser(account);
  const signedIn = sessionAccounts(ctx, req).includes(account.toLowerCase());
  if (!user || !signedIn || flow.prompt === "login") {
    flow.page = "password";
    flow.loginHint = user?.username;
    return showPage(ctx, req, res, flow);
  }
  const problem = tenantProblem(ctx, flow, user);
  if (problem) return showPage(ctx, req, res, flow, problem);
  flow.username = user.username;
  advance(ctx, req, res, flow);
}

function onPassword(ctx: AuthorityContext, req: IncomingMessage, res: ServerResponse, flow: Flow, form: URLSearchParams): void {
  const username = (one(form, "username") ?? "").trim();
  const password = one(form, "password") ?? "";
  flow.loginHint = username.slice(0, 256);
  const user = ctx.findUser(username);
  if (!user) {
    return showPage(ctx, req, res, flow, "AADSTS50034: We couldn't find an account with that username. Try another.");
  }
  if (user.password !== password) {
    return showPage(ctx, req, res, flow, "AADSTS50126: Your account or password is incorrect.");
  }
  const problem = tenantProblem(ctx, flow, user);
  if (problem) return showPage(ctx, req, res, flow, problem);
  flow.username = user.username;
  rememberSignIn(ctx, req, res, user.username);
  advance(ctx, req, res, flow);
}

function onMfa(ctx: AuthorityContext, req: IncomingMessage, res: ServerResponse, flow: Flow, form: URLSearchParams): void {
  if ((one(form, "mfa_code") ?? "").trim() !== flow.mfaCode) {
    return showPage(ctx, req, res, flow, "AADSTS50074: The verification code is not correct. Try again.");
  }
  flow.mfaDone = true;
  advance(ctx, req, res, flow);
}

function onConsent(ctx: AuthorityContext, req: IncomingMessage, res: ServerResponse, flow: Flow, form: URLSearchParams): void {
  if (one(form, "action") !== "accept" || !flow.username) return showPage(ctx, req, res, flow);
  ctx.store.grantConsent(flow.username, flow.clientId, flow.scopes.permissions);
  flow.consented = true;
  advance(ctx, req, res, flow);
}

export function handleSignInPost(ctx: AuthorityContext, req: IncomingMessage, res: ServerResponse, form: URLSearchParams): void {
  const flow = ctx.flows.get(one(form, "flow"));
  if (!flow) {
    return sendHtml(
      res,
      400,
      errorPage("Sign-in expired", "This sign-in has expired or is not valid. Go back to the application and start again."),
    );
  }
  if (one(form, "action") === "cancel") {
    const description =
      flow.page === "consent" ? "AADSTS65004: User declined to consent to access the app." : "AADSTS50140: The user canceled the sign-in.";
    return fail(ctx, res, flow, "access_denied", description);
  }
  switch (flow.page) {
    case "pick":
      return onPicker(ctx, req, res, flow, form);
    case "password":
      return onPassword(ctx, req, res, flow, form);
    case "mfa":
      return onMfa(ctx, req, res, flow, form);
    case "consent":
      return onConsent(ctx, req, res, flow, form);
  }
}
