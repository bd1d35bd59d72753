import type { AuthenticationResult } from "@azure/msal-node";
import { AbortError } from "../../errors";
import { confidentialClient } from "../apps";
import type { FlowRequest } from "./types";

/**
 * The client credentials grant: the app's own token, with its secret, certificate or assertion.
 * msal keeps app tokens in its cache; `forceRefresh` (ours is due for renewal) skips it, and so
 * do claims, which msal never answers from its cache.
 */
export async function acquireByClientCredential(request: FlowRequest): Promise<AuthenticationResult | null> {
  if (request.signal.aborted) throw new AbortError();
  const { scopes, authority, claims } = request;
  return confidentialClient(request.app, "client credentials grant").acquireTokenByClientCredential({
    scopes,
    authority,
    claims,
    skipCache: request.forceRefresh,
  });
}
