import type { AccessToken } from "@azure/core-auth";
import type { ClientAssertionCallback, ConfidentialClientApplication, Configuration, PublicClientApplication } from "@azure/msal-node";
import type { NativeBrokerPlugin } from "../broker/plugin";
import { findAccessToken, type AccessTokenQuery } from "../cache/persistedAccessToken";
import type { PersistentCacheOptions, Store } from "../cache/persistence";
import { packageLogger, type CredentialLogger } from "../logging";
import { AuthorityNetworkClient } from "./networkClient";

export type MsalApp = PublicClientApplication | ConfidentialClientApplication;

type MsalNode = typeof import("@azure/msal-node");
let msalNode: MsalNode | undefined;

/**
 * msal-node, loaded on first use (it and its dependencies take longer to load than the rest of
 * the package): importing entra-broker or building a credential never loads it.
 */
export function loadMsalNode(): MsalNode {
  return (msalNode ??= require("@azure/msal-node") as MsalNode);
}

/** The app as a confidential client, for the flows only a confidential client has (client credentials). */
export function confidentialClient(app: MsalApp, flow: string): ConfidentialClientApplication {
  if (!(app instanceof loadMsalNode().ConfidentialClientApplication)) throw new TypeError(`The ${flow} needs a confidential client.`);
  return app;
}

/** The app as a public client, for the flows only a public client has (device code, broker). */
export function publicClient(app: MsalApp, flow: string): PublicClientApplication {
  if (!(app instanceof loadMsalNode().PublicClientApplication)) throw new TypeError(`The ${flow} needs a public client.`);
  return app;
}

/** What a confidential client proves itself with (msal-node's `auth` fields). */
export type ClientCredential =
  | { clientSecret: string }
  | { clientCertificate: { thumbprintSha256: string; privateKey: string; x5c?: string } }
  | { clientAssertion: ClientAssertionCallback };

export interface MsalAppsOptions {
  clientId: string;
  tenantId: string;
  authorityHost: string;
  disableInstanceDiscovery: boolean;
  /** Extra CA for the authority (the dev authority's); scoped to our HTTP client. */
  authorityCa?: string | Buffer;
  clientSecret?: string;
  /**
   * A confidential client's credential, resolved when the first app is built (a certificate file
   * is read then, before anything is sent); set, the apps are confidential clients.
   */
  clientCredential?: () => Promise<ClientCredential>;
  /** Resolves to the broker plugin when an OS broker is to be used. */
  brokerPlugin?: () => Promise<NativeBrokerPlugin | undefined>;
  /** Keep msal's cache in the OS secret store (tokenCachePersistenceOptions); memory only when absent. */
  persistence?: PersistentCacheOptions;
  logger: CredentialLogger;
}

/** Hosts for which msal-node ships instance metadata; any other host is asked itself. */
const KNOWN_CLOUD_HOSTS = new Set([
  "login.microsoftonline.com",
  "login.windows.net",
  "login.microsoft.com",
  "sts.windows.net",
  "login.chinacloudapi.cn",
  "login.partner.microsoftonline.cn",
  "login.microsoftonline.de",
  "login.microsoftonline.us",
  "login.usgovcloudapi.net",
  "login-us.microsoftonline.com",
]);

/**
 * The msal-node applications of one credential: one per CAE setting (separate caches, persisted
 * apart as `@azure/identity` keeps them), built on first use so constructing a credential costs
 * nothing and never touches the secret store.
 */
export class MsalApps {
  private readonly network: AuthorityNetworkClient;
  private readonly apps = new Map<boolean, Promise<MsalApp>>();
  /** The persisted cache's store per CAE setting, opened once: the token read below and msal's plugin share it. */
  private readonly stores = new Map<boolean, Promise<Store>>();
  private discovery?: Promise<string | undefined>;

  constructor(private readonly options: MsalAppsOptions) {
    this.network = new AuthorityNetworkClient({ ca: options.authorityCa });
  }

  authority(tenantId: string): string {
    return `${this.options.authorityHost}/${tenantId}`;
  }

  get host(): string {
    return new URL(this.options.authorityHost).host;
  }

  app(enableCae: boolean): Promise<MsalApp> {
    let app = this.apps.get(enableCae);
    if (!app) {
      app = this.create(enableCae);
      app.catch(() => this.apps.delete(enableCae));
      this.apps.set(enableCae, app);
    }
    return app;
  }

  /**
   * A Bearer token msal would return silently, read from the persisted cache before msal-node is
   * loaded at all (a fresh process's first `getToken`); `undefined` leaves it to msal. Only until
   * this setting's app exists (then msal's memory is the cache) and never with a broker (msal then
   * asks the broker, not its cache).
   */
  async persistedToken(enableCae: boolean, query: Omit<AccessTokenQuery, "clientId">): Promise<AccessToken | undefined> {
    if (!this.options.persistence || this.options.brokerPlugin || this.options.clientCredential || this.apps.has(enableCae))
      return undefined;
    try {
      const { currentContents } = await import("../cache/persistence");
      const contents = await currentContents(await this.store(enableCae, false));
      return contents ? findAccessToken(contents, { ...query, clientId: this.options.clientId }) : undefined;
    } catch {
      return undefined; // the store's failure comes again, with its fix, when msal's app is made
    }
  }

  private store(enableCae: boolean, loadMsalMeanwhile: boolean): Promise<Store> {
    let store = this.stores.get(enableCae);
    if (!store) {
      const whileWaiting = loadMsalMeanwhile ? loadMsalNode : undefined;
      const options = { ...(this.options.persistence as PersistentCacheOptions), enableCae, whileWaiting };
      // The secret store's glue loads with the first credential that persists its cache, not at import.
      store = import("../cache/persistence").then(({ openStore }) => openStore(options));
      store.catch(() => this.stores.delete(enableCae)); // a failed probe is retried next time
      this.stores.set(enableCae, store);
    }
    return store;
  }

  private async create(enableCae: boolean): Promise<MsalApp> {
    const { options } = this;
    // First: a credential that cannot be loaded (bad certificate) fails before any request is sent.
    const credential = options.clientCredential ? await options.clientCredential() : undefined;
    const custom = !KNOWN_CLOUD_HOSTS.has(new URL(options.authorityHost).hostname);
    // Discovery's request goes out first: loading the secret store's module blocks for a while.
    const discovery = custom && !options.disableInstanceDiscovery ? this.discover() : undefined;
    const [brokerPlugin, cachePlugin, cloudDiscoveryMetadata] = await Promise.all([
      options.brokerPlugin?.(),
      // msal-node loads while the secret store's probe waits on its D-Bus/Keychain round trip.
      options.persistence
        ? Promise.all([this.store(enableCae, true), import("../cache/persistence")]).then(([store, { persistentCachePlugin }]) =>
            persistentCachePlugin(store, options.logger),
          )
        : undefined,
      discovery,
    ]);
    const config: Configuration = {
      auth: {
        clientId: options.clientId,
        authority: this.authority(options.tenantId),
        knownAuthorities:
          options.disableInstanceDiscovery || options.tenantId === "adfs" || (custom && !cloudDiscoveryMetadata) ? [this.host] : [],
        cloudDiscoveryMetadata,
        clientCapabilities: enableCae ? ["cp1"] : undefined,
        clientSecret: options.clientSecret,
        ...credential,
      },
      system: { networkClient: this.network, loggerOptions: msalLoggerOptions(options.logger) },
      broker: brokerPlugin ? { nativeBrokerPlugin: brokerPlugin } : undefined,
      cache: cachePlugin ? { cachePlugin } : undefined,
    };
    const msal = loadMsalNode();
    return options.clientSecret || credential ? new msal.ConfidentialClientApplication(config) : new msal.PublicClientApplication(config);
  }

  /**
   * Instance discovery for a host msal-node does not know, asked of that host itself (msal-node
   * would ask login.microsoftonline.com, which vouches only for Microsoft's clouds).
   */
  private discover(): Promise<string | undefined> {
    if (this.discovery) return this.discovery;
    this.discovery = (async () => {
      const authorize = `${this.authority("common")}/oauth2/v2.0/authorize`;
      const url = `${this.options.authorityHost}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(authorize)}`;
      const response = await this.network.sendGetRequestAsync<{ metadata?: unknown }>(url);
      if (response.status !== 200 || !Array.isArray(response.body?.metadata)) {
        this.options.logger.warning(`Instance discovery at ${this.host} answered HTTP ${response.status}; continuing without it.`);
        return undefined;
      }
      return JSON.stringify(response.body);
    })();
    this.discovery.catch(() => (this.discovery = undefined)); // retried by the next app creation
    return this.discovery;
  }
}

/** msal's log lines go to our logger; lines msal marks as personal data only with unsafe logging. */
export function msalLoggerOptions(log: CredentialLogger): NonNullable<Configuration["system"]>["loggerOptions"] {
  const { LogLevel } = loadMsalNode();
  return {
    piiLoggingEnabled: log.unsafeSupportLogging,
    logLevel: packageLogger().verbose.enabled ? LogLevel.Verbose : packageLogger().info.enabled ? LogLevel.Info : LogLevel.Warning,
    loggerCallback(level, message, containsPii) {
      if (containsPii && !log.unsafeSupportLogging) return;
      if (level === LogLevel.Error) log.error(message);
      else if (level === LogLevel.Warning) log.warning(message);
      else if (level === LogLevel.Info) log.info(message);
      else log.verbose(message);
    },
  };
}
