import { Failure } from "../failure";
import type { SignedInAccount } from "../tokens/accounts";

/** What narrows the shared cache's accounts down to one. */
export interface AccountFilter {
  username?: string;
  tenantId?: string;
  /** The authority host the credential uses: accounts of other clouds cannot be used with it. */
  host: string;
}

/** The public cloud's host names, one cloud: an account cached under one is usable with the others. */
const PUBLIC_CLOUD = new Set(["login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net"]);

const CHOOSE_FIX =
  "name the account with the username option (DefaultAzureCredential: AZURE_USERNAME), tenantId, or an authenticationRecord";

/**
 * The one cached account the filter selects, as azure-identity selects it (one person signed in to
 * several tenants is one account); none, or several, is a Failure (kind `unavailable`) whose
 * message lists the accounts there are with their tenants (never logged: the logged `reason`
 * names none). The account comes back with `tenantId` set to the tenant profile to use: the one
 * `tenantId` names, else the home one when it is signed in there.
 */
export function chooseAccount(cached: SignedInAccount[], filter: AccountFilter): SignedInAccount {
  const inCloud = cached.filter((a) => sameCloud(a.authority, filter.host));
  if (inCloud.length === 0) {
    throw new Failure(
      "unavailable",
      "SHARED_CACHE_NO_ACCOUNT",
      "SharedTokenCacheCredential authentication unavailable. No accounts were found in the cache.",
      {
        reason: cached.length
          ? `no cached account of ${filter.host} (${cached.length} of other clouds)`
          : "the shared cache holds no account",
        fix: [
          "sign in with a tool that shares the cache (an app using tokenCachePersistenceOptions: { enabled: true }, Visual Studio on Windows)",
          "use another credential, e.g. AzureCliCredential after az login",
        ],
      },
    );
  }
  const matching = inCloud.filter((a) => matches(a, filter));
  const wanted = describeFilter(filter);
  if (matching.length === 1) return { ...matching[0], tenantId: profileFor(matching[0], filter.tenantId) };
  if (matching.length === 0) {
    throw new Failure(
      "unavailable",
      "SHARED_CACHE_NO_ACCOUNT",
      `SharedTokenCacheCredential authentication unavailable. No account matching the specified${wanted} was found in the cache. Accounts in the cache: ${list(inCloud)}.`,
      { reason: `none of the ${inCloud.length} cached accounts matches the ${filterNames(filter)} given`, fix: [CHOOSE_FIX] },
    );
  }
  const several = wanted ? ` matching the specified${wanted}` : "";
  throw new Failure(
    "unavailable",
    "SHARED_CACHE_AMBIGUOUS",
    `SharedTokenCacheCredential authentication unavailable. Multiple accounts${several} were found in the cache: ${list(matching)}.`,
    { reason: `${matching.length} cached accounts match`, fix: [CHOOSE_FIX] },
  );
}

function sameCloud(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase() || (PUBLIC_CLOUD.has(a.toLowerCase()) && PUBLIC_CLOUD.has(b.toLowerCase()));
}

const tenantsOf = (account: SignedInAccount) => (account.tenantIds?.length ? account.tenantIds : [account.tenantId]);
const homeTenantOf = (account: SignedInAccount) => account.homeAccountId.split(".")[1];
const same = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();

/** The tenant matches one the account is signed in to, or its home tenant (the second part of its home account id). */
function matches(account: SignedInAccount, { username, tenantId }: AccountFilter): boolean {
  if (username && account.username.toLowerCase() !== username.toLowerCase()) return false;
  if (tenantId && !same(homeTenantOf(account), tenantId) && !tenantsOf(account).some((t) => same(t, tenantId))) return false;
  return true;
}

/** The tenant profile to use: the one asked for, else home, else the first. */
function profileFor(account: SignedInAccount, tenantId: string | undefined): string {
  const tenants = tenantsOf(account);
  const home = homeTenantOf(account);
  return (
    tenants.find((t) => tenantId && same(t, tenantId)) ??
    (tenantId && same(home, tenantId) ? home : undefined) ??
    tenants.find((t) => same(home, t)) ??
    account.tenantId
  );
}

function describeFilter({ username, tenantId }: AccountFilter): string {
  return `${username ? ` username ${username}` : ""}${username && tenantId ? " and" : ""}${tenantId ? ` tenantId ${tenantId}` : ""}`;
}

/** Which filters were given, without their values (a username is personal data: it stays out of logs). */
function filterNames({ username, tenantId }: AccountFilter): string {
  return [username && "username", tenantId && "tenantId"].filter(Boolean).join(" and ");
}

function list(accounts: SignedInAccount[]): string {
  const tenants = (a: SignedInAccount) => (tenantsOf(a).length > 1 ? `tenants ${tenantsOf(a).join(", ")}` : `tenant ${a.tenantId}`);
  return accounts.map((a) => `${a.username || "(no username)"} (${tenants(a)})`).join("; ");
}
