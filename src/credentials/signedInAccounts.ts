import type { AccountReference, SelectableAccount, SignedInAccount } from "../tokens/accounts";

/** Where a user credential's account methods go: its token service, or the credential it wraps. */
export interface AccountMethods {
  getAccounts(): Promise<SignedInAccount[]>;
  selectAccount(account: SelectableAccount): void;
  signOut(account: AccountReference): Promise<void>;
}

/**
 * The account methods every user credential has (device code, browser, broker), written once:
 * each credential names where they go.
 */
export abstract class SignedInAccounts implements AccountMethods {
  protected abstract readonly accounts: AccountMethods;

  /**
   * The accounts signed in for this credential's client id: those in its token cache (the
   * persisted one with `tokenCachePersistenceOptions`) and, when the credential uses one, the OS
   * broker. Nothing is opened; no token is requested.
   */
  getAccounts(): Promise<SignedInAccount[]> {
    return this.accounts.getAccounts();
  }

  /**
   * Makes later `getToken` calls silent for `account` (one of {@link getAccounts}, or an
   * `AuthenticationRecord`), as `authenticationRecord` given at construction would.
   */
  selectAccount(account: SelectableAccount): void {
    this.accounts.selectAccount(account);
  }

  /**
   * Signs `account` out: removes it from the token cache (the persisted one too), and out of the
   * OS broker when the credential uses one that holds it. When it is the account this credential
   * uses, the next `getToken` signs in again.
   */
  signOut(account: AccountReference): Promise<void> {
    return this.accounts.signOut(account);
  }
}
