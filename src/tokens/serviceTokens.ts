import type { AccessToken, GetTokenOptions } from "@azure/core-auth";
import type { AuthenticationResult } from "@azure/msal-node";
import { Failure } from "../failure";
import { abortable } from "./abort";
import { MsalApps, type MsalAppsOptions } from "./apps";
import { toAccessToken, TokenFront, type TokenRequest } from "./tokenFront";
import type { FlowRequest } from "./flows/types";
import { withAbortSignal } from "./networkClient";

export interface ServiceTokensOptions extends MsalAppsOptions {
  additionallyAllowedTenants: string[];
}

/** One grant that needs no user at the keyboard: client credentials (secret, certificate, assertion). */
export type ServiceFlow = (request: FlowRequest) => Promise<AuthenticationResult | null>;

/**
 * The token layer of the service credentials, on the shared {@link TokenFront}: one msal app per
 * CAE setting, one grant, no accounts. The front serves memory hits and shares requests.
 */
export class ServiceTokens {
  private readonly apps: MsalApps;
  private readonly front: TokenFront;

  constructor(
    private readonly options: ServiceTokensOptions,
    private readonly flow: ServiceFlow,
  ) {
    this.apps = new MsalApps(options);
    this.front = new TokenFront(options);
  }

  /** A token for `scopes`: from memory, else from the grant. Never throws synchronously. */
  getToken(scopes: string | string[], getTokenOptions: GetTokenOptions = {}): Promise<AccessToken> {
    return this.front.getToken(scopes, getTokenOptions, (request) => this.acquire(request));
  }

  private async acquire(token: TokenRequest): Promise<AccessToken> {
    if (token.pop) {
      throw new Failure(
        "unsupported",
        "POP_UNSUPPORTED",
        "Proof-of-possession tokens come only from the OS broker, not from a service credential.",
      );
    }
    const { signal, scopes, claims } = token;
    const app = await abortable(this.apps.app(token.enableCae), signal);
    const request: FlowRequest = {
      app,
      scopes,
      authority: this.apps.authority(token.tenant ?? this.options.tenantId),
      claims,
      signal,
      timeoutMs: 0, // no user step: nothing waits for a person
      forceRefresh: token.renewing,
    };
    return toAccessToken(
      await abortable(
        withAbortSignal(signal, () => this.flow(request)),
        signal,
      ),
    );
  }
}
