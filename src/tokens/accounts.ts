import { randomUUID } from "node:crypto";
import type { AccountInfo, INativeBrokerPlugin } from "@azure/msal-node";
import type { MsalApps } from "./apps";

/**
 * An account signed in for a credential's client id: in its token cache (the persisted one when
 * `tokenCachePersistenceOptions` is on), in the OS broker's accounts, or both.
 */
export interface SignedInAccount {
  /** The user's sign-in name (UPN or email). */
  username: string;
  /** The user's display name, when the authority gave one. */
  name?: string;
  /** The account's id across tenants: `<object id>.<home tenant id>`. */
  homeAccountId: string;
  /** The tenant the account signed in to (of several, the first msal or the broker gave). */
  tenantId: string;
  /**
   * Every tenant it is signed in to, `tenantId` first: a guest signed in to other tenants too has
   * one tenant profile in the cache for each (same `homeAccountId`, one entry here).
   */
  tenantIds: string[];
  /** The authority host it signed in with, e.g. `login.microsoftonline.com` (as in an `AuthenticationRecord`). */
  authority: string;
  /** The broker's id for it, when the broker holds it. */
  nativeAccountId?: string;
  /** Where it is kept: the token cache, the OS broker, or both. */
  sources: Array<"cache" | "broker">;
}

/** What names an account to sign out: a {@link SignedInAccount}, or an `AuthenticationRecord`. */
export type AccountReference = Pick<SignedInAccount, "homeAccountId" | "authority"> &
  Partial<Pick<SignedInAccount, "nativeAccountId" | "sources">>;

/** What names an account to use silently: a {@link SignedInAccount}, or an `AuthenticationRecord`. */
export type SelectableAccount = AccountReference & Pick<SignedInAccount, "username" | "tenantId">;

/** Where a credential's accounts are kept: its msal apps (both CAE caches) and, maybe, the broker. */
export interface AccountStores {
  apps: MsalApps;
  clientId: string;
  brokerPlugin?: () => Promise<INativeBrokerPlugin | undefined>;
}

/**
 * Every account msal's caches (both CAE settings) and the OS broker (when in use) know, merged by
 * home account id and host: msal gives one entry per tenant profile, here they are one account.
 */
export async function listAccounts(stores: AccountStores): Promise<SignedInAccount[]> {
  const merged = new Map<string, SignedInAccount>();
  const add = (account: AccountInfo, source: "cache" | "broker") => {
    const key = `${account.homeAccountId}|${account.environment}`;
    const known = merged.get(key);
    if (known) {
      if (!known.sources.includes(source)) known.sources.push(source);
      if (!known.tenantIds.some((t) => t.toLowerCase() === account.tenantId.toLowerCase())) known.tenantIds.push(account.tenantId);
      known.nativeAccountId ??= account.nativeAccountId;
      return;
    }
    merged.set(key, {
      username: account.username,
      ...(account.name ? { name: account.name } : {}),
      homeAccountId: account.homeAccountId,
      tenantId: account.tenantId,
      tenantIds: [account.tenantId],
      authority: account.environment,
      ...(account.nativeAccountId ? { nativeAccountId: account.nativeAccountId } : {}),
      sources: [source],
    });
  };
  for (const enableCae of [false, true]) {
    for (const account of await (await stores.apps.app(enableCae)).getTokenCache().getAllAccounts()) add(account, "cache");
  }
  const broker = await stores.brokerPlugin?.();
  if (broker) for (const account of await broker.getAllAccounts(stores.clientId, randomUUID())) add(account, "broker");
  return [...merged.values()];
}

/** Signs `account` out of the broker (when it holds it) and removes it from msal's caches. */
export async function removeAccount(stores: AccountStores, account: AccountReference): Promise<void> {
  const inBroker = account.nativeAccountId && (account.sources === undefined || account.sources.includes("broker"));
  const broker = inBroker ? await stores.brokerPlugin?.() : undefined;
  if (broker) await broker.signOut({ clientId: stores.clientId, accountId: account.nativeAccountId!, correlationId: randomUUID() });
  for (const enableCae of [false, true]) {
    const cache = (await stores.apps.app(enableCae)).getTokenCache();
    for (const cached of await cache.getAllAccounts()) {
      if (cached.homeAccountId === account.homeAccountId && cached.environment === account.authority) await cache.removeAccount(cached);
    }
  }
}
