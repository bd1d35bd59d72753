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
 * The one cached account the filter selects, as azure-identity selects it; none, or several, is a
 * Failure (kind `unavailable`) whose message lists the accounts there are (never logged: the
 * logged `reason` names none).
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
  if (matching.length === 1) return matching[0];
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

/** The tenant matches the account's tenant or its home tenant (the second part of its home account id). */
function matches(account: SignedInAccount, { username, tenantId }: AccountFilter): boolean {
  if (username && account.username.toLowerCase() !== username.toLowerCase()) return false;
  if (tenantId) {
    const tenant = tenantId.toLowerCase();
    const home = account.homeAccountId.split(".")[1]?.toLowerCase();
    if (account.tenantId.toLowerCase() !== tenant && home !== tenant) return false;
  }
  return true;
}

function describeFilter({ username, tenantId }: AccountFilter): string {
  return `${username ? ` username ${username}` : ""}${username && tenantId ? " and" : ""}${tenantId ? ` tenantId ${tenantId}` : ""}`;
}

/** Which filters were given, without their values (a username is personal data: it stays out of logs). */
function filterNames({ username, tenantId }: AccountFilter): string {
  return [username && "username", tenantId && "tenantId"].filter(Boolean).join(" and ");
}

function list(accounts: SignedInAccount[]): string {
  return accounts.map((a) => `${a.username || "(no username)"} (tenant ${a.tenantId})`).join(", ");
}
