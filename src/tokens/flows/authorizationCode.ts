import type { AuthenticationResult } from "@azure/msal-node";
import { AbortError } from "../../errors";
import type { FlowRequest } from "./types";

/** Redeems an authorization code the app obtained itself. */
export async function redeemAuthorizationCode(request: FlowRequest, code: string, redirectUri: string): Promise<AuthenticationResult> {
  if (request.signal.aborted) throw new AbortError();
  const { app, scopes, authority, claims } = request;
  return app.acquireTokenByCode({ code, redirectUri, scopes, authority, claims });
}
