import { randomUUID } from "node:crypto";
import type { AuthenticationResult, PublicClientApplication } from "@azure/msal-node";
import type { NativeBrokerPlugin } from "../../broker/plugin";
import { brokerFailure } from "../../broker/platform";
import { AbortError } from "../../errors";
import { publicClient } from "../apps";
import type { FlowRequest } from "./types";

export interface BrokerFlowOptions {
  /** The app's window, normalised by the credential; msal hands it to the plugin (`windowHandle`). */
  windowHandle?: Buffer;
  redirectUri?: string;
  useDefaultBrokerAccount: boolean;
}

function publicApp(request: FlowRequest): PublicClientApplication {
  return publicClient(request.app, "broker");
}

/** Runs `work` with the flow's signal and time limit bound to the native calls made under its correlation id. */
async function controlled<T>(
  request: FlowRequest,
  plugin: NativeBrokerPlugin,
  interactive: boolean,
  work: (correlationId: string) => Promise<T>,
): Promise<T> {
  if (request.signal.aborted) throw new AbortError();
  const correlationId = randomUUID();
  const release = plugin.control(correlationId, {
    signal: request.signal,
    timeoutMs: interactive ? request.timeoutMs : Math.min(request.timeoutMs, 60_000),
  });
  try {
    return await work(correlationId);
  } finally {
    release();
  }
}

/**
 * msal's PoP fields for a request that wants a proof-of-possession token (whether this broker can
 * make one was decided before: flows/pop.ts); msal-node hands them to the plugin unchanged.
 */
function popScheme(request: FlowRequest) {
  return request.proofOfPossession ? { authenticationScheme: "pop" as const, ...request.proofOfPossession } : {};
}

/** The plugin of a request the credential routed here. */
function brokerOf(request: FlowRequest): NativeBrokerPlugin {
  if (!request.broker) throw new TypeError("A broker flow needs the broker's plugin.");
  return request.broker;
}

/** Silent through the broker: the known account, else the OS default account when allowed. */
export function acquireSilentWithBroker(request: FlowRequest, options: BrokerFlowOptions): Promise<AuthenticationResult> {
  const app = publicApp(request);
  const { scopes, authority, claims, account, extraQueryParameters } = request;
  const pop = popScheme(request);
  return controlled(request, brokerOf(request), false, async (correlationId) => {
    if (account?.nativeAccountId) {
      return app.acquireTokenSilent({
        account,
        scopes,
        authority,
        claims,
        correlationId,
        extraQueryParameters,
        redirectUri: options.redirectUri,
        ...pop,
      });
    }
    if (options.useDefaultBrokerAccount) {
      return app.acquireTokenInteractive({
        scopes,
        authority,
        claims,
        correlationId,
        extraQueryParameters,
        prompt: "none",
        redirectUri: options.redirectUri,
        openBrowser: noBrowser,
        ...pop,
      });
    }
    throw brokerFailure("interaction_needed", "no_account_found", "No broker account is known yet.");
  });
}

/** Interactive through the broker, parented to the app's window. */
export function acquireInteractiveWithBroker(request: FlowRequest, options: BrokerFlowOptions): Promise<AuthenticationResult> {
  const app = publicApp(request);
  const { scopes, authority, claims, account, loginHint, extraQueryParameters } = request;
  const pop = popScheme(request);
  return controlled(request, brokerOf(request), true, (correlationId) =>
    app.acquireTokenInteractive({
      scopes,
      authority,
      claims,
      account: account?.nativeAccountId ? account : undefined,
      loginHint,
      correlationId,
      extraQueryParameters,
      prompt: loginHint ? "login" : "select_account",
      redirectUri: options.redirectUri,
      windowHandle: options.windowHandle,
      openBrowser: noBrowser,
      ...pop,
    }),
  );
}

/** msal requires an opener; with a broker it never calls it. */
function noBrowser(): Promise<void> {
  return Promise.reject(new Error("The broker flow does not open a browser."));
}
