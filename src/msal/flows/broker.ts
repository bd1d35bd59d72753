import { randomUUID } from "node:crypto";
import type { AuthenticationResult, PublicClientApplication } from "@azure/msal-node";
import type { NativeWindowHandle } from "../../broker/native";
import type { NativeBrokerPlugin } from "../../broker/plugin";
import { brokerFailure } from "../../broker/platform";
import { AbortError } from "../../errors";
import { publicClient } from "../clients";
import type { FlowRequest } from "./types";

export interface BrokerFlowOptions {
  plugin: NativeBrokerPlugin;
  windowHandle?: NativeWindowHandle;
  redirectUri?: string;
  useDefaultBrokerAccount: boolean;
}

function publicApp(request: FlowRequest): PublicClientApplication {
  return publicClient(request.app, "broker");
}

/** Runs `work` with the flow's signal and time limit bound to the native calls it makes. */
async function controlled<T>(request: FlowRequest, options: BrokerFlowOptions, interactive: boolean, work: (correlationId: string) => Promise<T>): Promise<T> {
  if (request.signal.aborted) throw new AbortError();
  const correlationId = randomUUID();
  const release = options.plugin.control(correlationId, {
    signal: request.signal,
    timeoutMs: interactive ? request.timeoutMs : Math.min(request.timeoutMs, 60_000),
    windowHandle: options.windowHandle,
  });
  try {
    return await work(correlationId);
  } finally {
    release();
  }
}

/**
 * msal's PoP fields for a request that wants a proof-of-possession token; msal-node hands them to
 * the broker plugin unchanged (acquireTokenSilent and acquireTokenInteractive spread the request).
 */
function popScheme(request: FlowRequest, options: BrokerFlowOptions) {
  const pop = request.proofOfPossession;
  if (!pop) return {};
  if (!options.plugin.supportsPop) {
    throw brokerFailure("pop_unsupported", `Proof-of-possession tokens are not supported by the ${options.plugin.backend} broker.`);
  }
  return { authenticationScheme: "pop" as const, ...pop };
}

/** Silent through the broker: the known account, else the OS default account when allowed. */
export function acquireSilentWithBroker(request: FlowRequest, options: BrokerFlowOptions): Promise<AuthenticationResult> {
  const app = publicApp(request);
  const { scopes, authority, claims, account, extraQueryParameters } = request;
  const pop = popScheme(request, options);
  return controlled(request, options, false, async (correlationId) => {
    if (account?.nativeAccountId) {
      return app.acquireTokenSilent({ account, scopes, authority, claims, correlationId, extraQueryParameters, redirectUri: options.redirectUri, ...pop });
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
    throw Object.assign(new Error("No broker account is known yet."), { name: "InteractionRequiredAuthError", errorCode: "no_account_found" });
  });
}

/** Interactive through the broker, parented to the app's window. */
export function acquireInteractiveWithBroker(request: FlowRequest, options: BrokerFlowOptions): Promise<AuthenticationResult> {
  const app = publicApp(request);
  const { scopes, authority, claims, account, loginHint, extraQueryParameters } = request;
  const pop = popScheme(request, options);
  return controlled(request, options, true, (correlationId) =>
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
      openBrowser: noBrowser,
      ...pop,
    }),
  );
}

/** msal requires an opener; with a broker it never calls it. */
async function noBrowser(): Promise<void> {
  throw new Error("The broker flow does not open a browser.");
}
