// The browser session cookie: which accounts are signed in in this browser.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthorityContext } from "./context";
import { parseCookies } from "./http";
import type { Session } from "./store";

export const SESSION_COOKIE = "dev_authority_session";

export function currentSession(ctx: AuthorityContext, req: IncomingMessage): Session | undefined {
  return ctx.store.session(parseCookies(req)[SESSION_COOKIE]);
}

/** Valid signed-in accounts of this browser, most recent first. */
export function sessionAccounts(ctx: AuthorityContext, req: IncomingMessage): string[] {
  return ctx.store.sessionAccounts(currentSession(ctx, req));
}

/** Records a fresh sign-in of the user in this browser's session, creating the session (and cookie) if needed. */
export function rememberSignIn(ctx: AuthorityContext, req: IncomingMessage, res: ServerResponse, username: string): void {
  const session = currentSession(ctx, req) ?? ctx.store.newSession();
  const u = username.toLowerCase();
  session.accounts = [u, ...session.accounts.filter((a) => a !== u)];
  session.signedInAt.set(u, ctx.store.stamp());
  res.setHeader("set-cookie", `${SESSION_COOKIE}=${session.id}; Path=/; Secure; HttpOnly; SameSite=Lax`);
}
