import type { AccountInfo, AuthenticationResult } from "@azure/msal-node";
import type { NativeBrokerPlugin } from "../../broker/plugin";
import type { MsalApp } from "../apps";

/** What every flow is given: the msal app for the request's CAE setting and the request itself. */
export interface FlowRequest {
  app: MsalApp;
  /** The OS broker's plugin, when this credential uses one and a broker is here. */
  broker?: NativeBrokerPlugin;
  scopes: string[];
  /** The full authority URL for the request's tenant. */
  authority: string;
  claims?: string;
  account?: AccountInfo;
  loginHint?: string;
  /** Ends the flow; interactive flows also close what they opened. */
  signal: AbortSignal;
  /** How long an interactive step may wait for the user, in ms. */
  timeoutMs: number;
  /** Renew even if msal holds a token (ours is past its refresh time). */
  forceRefresh?: boolean;
  /** Extra parameters for the authorize request (e.g. MSA passthrough). */
  extraQueryParameters?: Record<string, string>;
  /** Set for a proof-of-possession token: the one resource request it will be bound to. */
  proofOfPossession?: PopRequest;
}

/** msal's names for the resource request a PoP token is bound to (`authenticationScheme: "pop"`). */
export interface PopRequest {
  /** Upper case, e.g. `GET`. */
  resourceRequestMethod: string;
  resourceRequestUri: string;
  /** The resource's nonce, when it gave one. */
  shrNonce?: string;
}

/** One way to a token: silent (cache, refresh token, broker) or with the user (browser, device code, broker). */
export type TokenFlow = (request: FlowRequest) => Promise<AuthenticationResult>;
