import type { AccountInfo, AuthenticationResult } from "@azure/msal-node";
import { Failure } from "../../failure";
import { tenantOfAuthority } from "../../util/authority";
import type { FlowRequest } from "./types";

/**
 * Silent acquisition: msal's cache, then its refresh token (or the broker's silent call).
 * Claims make msal skip cached access tokens, as a claims challenge requires.
 */
export async function acquireSilent(request: FlowRequest): Promise<AuthenticationResult> {
  const { app, account, scopes, authority, claims } = request;
  if (!account) {
    throw new Failure("interaction_needed", "no_account_found", "No account is signed in yet.");
  }
  return app.acquireTokenSilent({
    account: forTenant(account, authority),
    scopes,
    authority,
    claims,
    forceRefresh: request.forceRefresh,
    extraQueryParameters: request.extraQueryParameters,
  });
}

/**
 * msal looks tokens up by the account's tenant, not the authority's: ask for the requested
 * tenant's profile so a token from another tenant is never handed out for this one.
 */
export function forTenant(account: AccountInfo, authority: string): AccountInfo {
  const tenant = tenantOfAuthority(authority);
  if (["common", "organizations", "consumers", ""].includes(tenant) || tenant === account.tenantId) return account;
  return { ...account, tenantId: tenant };
}
