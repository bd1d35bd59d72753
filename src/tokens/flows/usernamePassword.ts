import type { AuthenticationResult } from "@azure/msal-node";
import { AbortError } from "../../errors";
import { Failure } from "../../failure";
import { publicClient } from "../apps";
import type { FlowRequest } from "./types";

/** The resource owner password grant (ROPC): no MFA, no consent prompt; for accounts that allow it. */
export async function acquireByUsernamePassword(request: FlowRequest, username: string, password: string): Promise<AuthenticationResult> {
  if (request.signal.aborted) throw new AbortError();
  const { scopes, authority, claims } = request;
  const app = publicClient(request.app, "username and password grant");
  const result = await app.acquireTokenByUsernamePassword({ scopes, authority, claims, username, password });
  if (!result) throw new Failure("bad_reply", "no_access_token", "The authority returned no token for the password grant.");
  return result;
}
