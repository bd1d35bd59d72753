import type { AccessToken, GetTokenOptions } from "@azure/core-auth";
import type { AccountInfo, AuthenticationResult } from "@azure/msal-node";
import type { AuthenticationRecord } from "../authenticationRecord";
import { BrokerSession } from "../broker/session";
import { AbortError, AuthenticationRequiredError, CredentialUnavailableError } from "../errors";
import type { CredentialLogger } from "../logging";
import { abortable, toAbortSignal } from "./abort";
import {
  listAccounts,
  removeAccount,
  type AccountReference,
  type AccountStores,
  type SelectableAccount,
  type SignedInAccount,
} from "./accounts";
import { MsalApps, type MsalAppsOptions } from "./apps";
import { needsInteraction, toCredentialError } from "./errors";
import { popRequest, requirePopBroker } from "./flows/pop";
import { toAccessToken, TokenFront, type TokenRequest } from "./tokenFront";
import { acquireSilent, forTenant } from "./flows/silent";
import type { FlowRequest, TokenFlow } from "./flows/types";
import { withAbortSignal } from "./networkClient";

export interface TokenServiceOptions extends MsalAppsOptions {
  additionallyAllowedTenants: string[];
  authenticationRecord?: AuthenticationRecord;
  disableAutomaticAuthentication: boolean;
  /** Interactive wait limit, ms. */
  timeoutMs: number;
  loginHint?: string;
  /** Extra authorize/token parameters for every request (MSA passthrough). */
  extraQueryParameters?: Record<string, string>;
  /** The silent step; default msal's cache and refresh token. The broker credential brings its own. */
  silentFlow?: TokenFlow;
  /** Use the OS broker where there is one: this layer owns its session and hands the plugin to msal and the flows. */
  useBroker?: boolean;
}

/**
 * The token layer under every user credential, on the shared {@link TokenFront}: silent-first
 * acquisition, one interactive sign-in at a time, and the accounts signed in.
 */
export class TokenService {
  private readonly apps: MsalApps;
  private readonly front: TokenFront;
  /** Tokens in memory belong to the current account. */
  private readonly partition = () => this.account?.homeAccountId;
  private account?: AccountInfo;
  private signIn?: Promise<unknown>;

  constructor(private readonly options: TokenServiceOptions) {
    if (options.useBroker && !options.brokerPlugin) {
      const session = new BrokerSession(options.logger);
      this.options = options = { ...options, brokerPlugin: () => session.plugin() };
    }
    this.apps = new MsalApps(options);
    this.front = new TokenFront(options);
    if (options.authenticationRecord) this.account = recordToAccount(options.authenticationRecord);
  }

  private get logger(): CredentialLogger {
    return this.options.logger;
  }

  /** A token: from memory, else silently, else through `interactive` when allowed. Never throws synchronously. */
  getToken(scopes: string | string[], getTokenOptions: GetTokenOptions = {}, interactive?: TokenFlow): Promise<AccessToken> {
    return this.front.getToken(scopes, getTokenOptions, (request) => this.acquire(request, interactive), this.partition);
  }

  /** Always interactive: `authenticate()` of the interactive credentials. */
  async authenticate(scopesIn: string | string[], options: GetTokenOptions, interactive: TokenFlow): Promise<AuthenticationRecord> {
    // A record needs no PoP token; the Bearer token signed in with goes to the memory layer.
    const { proofOfPossessionOptions: _unused, ...getTokenOptions } = options;
    if (getTokenOptions.abortSignal?.aborted) throw new AbortError();
    const { scopes, tenant = this.options.tenantId } = this.front.resolve(scopesIn, getTokenOptions);
    const signal = toAbortSignal(getTokenOptions.abortSignal);
    try {
      // Making the app probes the broker, which does not watch the signal; the flows themselves do,
      // and end their native calls and servers before they settle.
      const request = await abortable(this.flowRequest(scopes, tenant, getTokenOptions, signal), signal);
      const result = await this.interactively(interactive, request);
      this.front.remember(scopes, tenant, !!getTokenOptions.enableCae, toAccessToken(result), this.partition);
      return this.record(result);
    } catch (error) {
      throw toCredentialError(error, scopes, getTokenOptions);
    }
  }

  private async acquire(token: TokenRequest, interactive: TokenFlow | undefined): Promise<AccessToken> {
    const { scopes, signal, options } = token;
    if (token.pop) await requirePopBroker(this.options.brokerPlugin);
    const tenant = token.tenant ?? this.options.tenantId;
    const persisted = await this.persistedToken(token, tenant);
    if (persisted) return persisted;
    const request = { ...(await this.flowRequest(scopes, tenant, options, signal)), forceRefresh: token.renewing };
    return toAccessToken(await this.acquireResult(request, options, interactive));
  }

  /** The signed-in account's token straight from the persisted cache, when msal would return it as it is. */
  private async persistedToken(token: TokenRequest, tenant: string): Promise<AccessToken | undefined> {
    const account = this.account;
    if (!account || token.pop || token.claims || token.renewing) return undefined;
    const realm = forTenant(account, this.apps.authority(tenant)).tenantId;
    const found = await this.apps.persistedToken(token.enableCae, { ...account, realm, scopes: token.scopes });
    if (found) this.logger.info("The token came from the persisted cache, read without msal.");
    return found;
  }

  private async acquireResult(request: FlowRequest, options: GetTokenOptions, interactive: TokenFlow | undefined) {
    const { scopes, signal } = request;
    try {
      return await abortable(this.silent(request), signal);
    } catch (silentError) {
      if (!needsInteraction(silentError)) throw silentError;
      if (this.options.disableAutomaticAuthentication || !interactive) {
        throw new AuthenticationRequiredError({
          scopes,
          getTokenOptions: options,
          message: "Automatic authentication has been disabled. You may call the authenticate() method.",
          cause: silentError,
        });
      }
      // Someone else is signing in: wait for them, then try silently again.
      while (this.signIn) {
        await this.signIn.catch(() => undefined);
        if (this.account) {
          try {
            return await abortable(this.silent({ ...request, account: this.account }), signal);
          } catch (again) {
            if (!needsInteraction(again)) throw again;
          }
        }
      }
      return this.interactively(interactive, { ...request, account: this.account });
    }
  }

  private silent(request: FlowRequest): Promise<AuthenticationResult> {
    return withAbortSignal(request.signal, () => (this.options.silentFlow ?? acquireSilent)(request));
  }

  private async interactively(interactive: TokenFlow, request: FlowRequest): Promise<AuthenticationResult> {
    const signIn = withAbortSignal(request.signal, async () => {
      await loadPersistedAccounts(request);
      return interactive(request);
    });
    this.signIn = signIn;
    try {
      const result = await signIn;
      this.setAccount(result.account);
      return result;
    } finally {
      if (this.signIn === signIn) this.signIn = undefined;
    }
  }

  private async flowRequest(scopes: string[], tenant: string, options: GetTokenOptions, signal: AbortSignal): Promise<FlowRequest> {
    const [app, broker] = await Promise.all([this.apps.app(!!options.enableCae), this.options.brokerPlugin?.()]);
    return {
      app,
      broker,
      scopes,
      authority: this.apps.authority(tenant),
      claims: options.claims,
      account: this.account,
      loginHint: this.options.loginHint,
      signal,
      timeoutMs: this.options.timeoutMs,
      extraQueryParameters: this.options.extraQueryParameters,
      proofOfPossession: popRequest(options.proofOfPossessionOptions),
    };
  }

  /** The accounts signed in for this client id: the token cache (both CAE settings) and the OS broker. */
  async getAccounts(): Promise<SignedInAccount[]> {
    try {
      return await listAccounts(this.accountStores());
    } catch (error) {
      throw toCredentialError(error, []);
    }
  }

  /** Signs `account` out of the broker (when it holds it) and removes it from the token cache. */
  async signOut(account: AccountReference): Promise<void> {
    try {
      await removeAccount(this.accountStores(), account);
    } catch (error) {
      throw toCredentialError(error, []);
    }
    if (this.account?.homeAccountId === account.homeAccountId) {
      this.account = undefined;
      this.front.clear();
    }
  }

  /** Later tokens are for `account`, silently while its tokens last (as a constructor's `authenticationRecord`); returns msal's form of it. */
  selectAccount(account: SelectableAccount): AccountInfo {
    const selected = recordToAccount({ ...account, clientId: this.options.clientId });
    this.setAccount(selected);
    return selected;
  }

  private accountStores(): AccountStores {
    return { apps: this.apps, clientId: this.options.clientId, brokerPlugin: this.options.brokerPlugin };
  }

  private setAccount(account: AccountInfo | null | undefined): void {
    if (!account) return;
    if (this.account && this.account.homeAccountId !== account.homeAccountId) this.front.clear();
    if (!this.account || this.account.homeAccountId !== account.homeAccountId) {
      this.logger.info(`Signed in as ${this.logger.user(account.username)}.`);
      if (this.logger.accountIdentifiers) {
        this.logger.info(
          `[Authenticated account] Client ID: ${this.options.clientId}. Tenant ID: ${account.tenantId}. User Principal Name: ${account.username || "No User Principal Name available"}. Object ID (user): ${account.localAccountId || account.homeAccountId.split(".")[0]}`,
        );
      }
    }
    this.account = account;
  }

  private record(result: AuthenticationResult): AuthenticationRecord {
    const account = result.account;
    if (!account) throw new CredentialUnavailableError("The sign-in returned no account.", { code: "NO_ACCOUNT" });
    return {
      authority: account.environment,
      homeAccountId: account.homeAccountId,
      clientId: this.options.clientId,
      tenantId: account.tenantId,
      username: account.username,
      ...(account.nativeAccountId ? { nativeAccountId: account.nativeAccountId } : {}),
    };
  }
}

function recordToAccount(record: AuthenticationRecord): AccountInfo {
  return {
    homeAccountId: record.homeAccountId,
    environment: record.authority,
    tenantId: record.tenantId,
    username: record.username,
    localAccountId: record.homeAccountId.split(".")[0],
    nativeAccountId: record.nativeAccountId,
  };
}

/**
 * msal builds the signed-in account from its in-memory cache before it reads the persisted one: a
 * user already cached in another tenant (a guest) would be saved with this tenant's profile only,
 * dropping the others. Reading the accounts first loads the persisted cache (a no-op without one).
 */
async function loadPersistedAccounts(request: FlowRequest): Promise<void> {
  try {
    await request.app.getTokenCache().getAllAccounts();
  } catch {
    // The sign-in's own cache write reports a persistence failure; this read is only a preload.
  }
}
