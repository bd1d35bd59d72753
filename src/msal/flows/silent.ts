import type { AuthenticationResult } from "@azure/msal-node";
import type { FlowRequest } from "./types";

/**
 * Silent acquisition: msal's cache, then its refresh token (or the broker's silent call).
 * Claims make msal skip cached access tokens, as a claims challenge requires.
 */
export async function acquireSilent(request: FlowRequest): Promise<AuthenticationResult> {
  const { app, account, scopes, authority, claims } = request;
  if (!account) {
    throw Object.assign(new Error("No account is signed in yet."), { name: "InteractionRequiredAuthError", errorCode: "no_account_found" });
  }
  return app.acquireTokenSilent({ account, scopes, authority, claims, extraQueryParameters: request.extraQueryParameters });
}
