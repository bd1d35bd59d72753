import type { AccountInfo, AuthenticationResult, INativeBrokerPlugin } from "@azure/msal-node";
import { isFailure } from "../failure";
import { isNativeBrokerError, nativeFailure, type NativeBrokerAddon, type NativeBrokerOperation, type NativeWindowHandle } from "./native";
import { badReply, brokerFailure, type BrokerPlatform, type BrokerRequest } from "./platform";

/** msal-common's NativeRequest and NativeSignOutRequest, as far as we read them. */
interface NativeRequest extends Omit<BrokerRequest, "proofOfPossession"> {
  accountId?: string;
  /** The account msal was given (our request spreads into msal's native request). */
  account?: AccountInfo;
  prompt?: string;
  authenticationScheme?: string;
  resourceRequestMethod?: string;
  resourceRequestUri?: string;
  shrNonce?: string;
}

/** Limit for a call no flow controls (msal's getAllAccounts / signOut): the broker never answers without UI for longer. */
const UNCONTROLLED_TIMEOUT_MS = 60_000;

/** The abort signal and time limit of one flow, found by its correlation id. */
export interface CallControl {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/**
 * msal-node's native broker plugin over our addon. msal hands it requests (and the window handle,
 * through its own `windowHandle` argument); the platform module turns them into the broker's wire
 * format; every call can be cancelled by its flow's signal. Everything it throws is a Failure.
 */
export class NativeBrokerPlugin implements INativeBrokerPlugin {
  isBrokerAvailable = true;
  private readonly controls = new Map<string, CallControl>();

  constructor(
    private readonly addon: NativeBrokerAddon,
    private readonly platform: BrokerPlatform,
  ) {}

  /** Lets a flow's abort signal and timeout reach the native calls made under its correlation id. */
  control(correlationId: string, control: CallControl): () => void {
    this.controls.set(correlationId, control);
    return () => this.controls.delete(correlationId);
  }

  setLogger(): void {}

  /** Which broker this is (for messages). */
  get backend(): BrokerPlatform["backend"] {
    return this.platform.backend;
  }

  /** Whether this broker can bind tokens to a request (proof-of-possession). */
  get supportsPop(): boolean {
    return this.platform.supportsPop;
  }

  async availability(timeoutMs = 10_000): Promise<string> {
    return this.platform.parseAvailability(await this.call("availability", this.platform.availabilityRequest(), "", { timeoutMs }));
  }

  async getAccountById(accountId: string, correlationId: string): Promise<AccountInfo> {
    return (await this.findAccount(accountId, correlationId)).info;
  }

  async getAllAccounts(clientId: string, correlationId: string): Promise<AccountInfo[]> {
    const reply = await this.call("accounts", this.platform.accountsRequest(clientId), correlationId);
    return this.platform.parseAccounts(reply).map((a) => a.info);
  }

  /**
   * One native call: the broker's token call finds the account itself, from what msal keeps of it
   * (the nativeAccountId and the account). An account the OS no longer holds is "interaction needed".
   */
  async acquireTokenSilent(request: NativeRequest): Promise<AuthenticationResult> {
    const broker = this.toBrokerRequest(request);
    if (!request.accountId)
      throw brokerFailure("interaction_needed", "no_account_found", "No broker account was given for a silent request.");
    const account = this.platform.accountFor(request.accountId, request.account);
    const reply = await this.call("silentToken", this.platform.tokenRequest(broker, account, false), request.correlationId);
    return this.parseToken(reply, broker);
  }

  async acquireTokenInteractive(request: NativeRequest, windowHandle?: NativeWindowHandle): Promise<AuthenticationResult> {
    const broker = this.toBrokerRequest(request);
    if (request.prompt === "none") {
      // The OS default account, silently (useDefaultBrokerAccount).
      const reply = await this.call("silentToken", this.platform.defaultAccountRequest(broker), request.correlationId);
      return this.parseToken(reply, broker);
    }
    // An account the broker no longer holds (removed from the OS) is no reason to fail: let the user pick.
    const account = request.accountId
      ? ((await this.findAccountIfKnown(request.accountId, request.correlationId, request.clientId))?.raw ?? null)
      : null;
    const reply = await this.call("interactiveToken", this.platform.tokenRequest(broker, account, true), request.correlationId, {
      windowHandle,
    });
    return this.parseToken(reply, broker);
  }

  async signOut(request: { clientId: string; accountId: string; correlationId: string }): Promise<void> {
    const account = await this.findAccount(request.accountId, request.correlationId, request.clientId);
    const reply = await this.call("signOut", this.platform.signOutRequest(request.clientId, account.raw), request.correlationId);
    this.platform.parseSignOut(reply);
  }

  /** The platform's result, checked against what was asked: a PoP request never gets a Bearer token. */
  private parseToken(reply: string, broker: BrokerRequest): AuthenticationResult {
    const result = this.platform.parseToken(reply, broker);
    if (broker.proofOfPossession && result.tokenType !== "pop") {
      throw badReply(`The ${this.platform.backend} broker answered a proof-of-possession request with a Bearer token.`);
    }
    return result;
  }

  private async findAccountIfKnown(accountId: string, correlationId: string, clientId = "") {
    const reply = await this.call("accounts", this.platform.accountsRequest(clientId, accountId), correlationId);
    return this.platform.parseAccounts(reply).find((a) => a.info.nativeAccountId === accountId);
  }

  private async findAccount(accountId: string, correlationId: string, clientId = "") {
    const found = await this.findAccountIfKnown(accountId, correlationId, clientId);
    if (!found) throw brokerFailure("interaction_needed", "no_account_found", "The broker does not know this account any more.");
    return found;
  }

  private toBrokerRequest(request: NativeRequest): BrokerRequest {
    return {
      clientId: request.clientId,
      authority: request.authority,
      scopes: request.scopes,
      redirectUri: request.redirectUri || this.platform.defaultRedirectUri(request.clientId),
      correlationId: request.correlationId,
      claims: request.claims,
      loginHint: request.loginHint,
      extraParameters: request.extraParameters,
      // Whether this broker can make one was decided before msal was asked (tokens/flows/pop.ts).
      ...(request.authenticationScheme?.toLowerCase() === "pop"
        ? {
            proofOfPossession: {
              method: (request.resourceRequestMethod ?? "GET").toUpperCase(),
              uri: request.resourceRequestUri ?? "",
              ...(request.shrNonce ? { nonce: request.shrNonce } : {}),
            },
          }
        : {}),
    };
  }

  /** One native call, bound to its flow's abort signal and time limit; the addon's errors become Failures. */
  private async call(
    operation: NativeBrokerOperation,
    request: string,
    correlationId: string,
    extra: { timeoutMs?: number; windowHandle?: NativeWindowHandle } = {},
  ): Promise<string> {
    const control = this.controls.get(correlationId);
    if (control?.signal?.aborted) throw brokerFailure("cancelled", "BROKER_CANCELLED", "The operation was aborted.");
    try {
      const call = this.addon.call(operation, request, {
        correlationId: correlationId || undefined,
        timeoutMs: extra.timeoutMs ?? control?.timeoutMs ?? (operation === "interactiveToken" ? undefined : UNCONTROLLED_TIMEOUT_MS),
        parentWindowHandle: extra.windowHandle ?? null,
      });
      const onAbort = () => call.cancel();
      control?.signal?.addEventListener("abort", onAbort, { once: true });
      try {
        return await call.promise;
      } finally {
        control?.signal?.removeEventListener("abort", onAbort);
      }
    } catch (error) {
      if (isFailure(error)) throw error;
      if (isNativeBrokerError(error)) throw nativeFailure(error);
      // The addon's own argument checks (a request over its limits): the request could not be made.
      throw brokerFailure(
        "invalid_request",
        "BROKER_INVALID_REQUEST",
        `The broker request could not be made: ${(error as Error)?.message ?? String(error)}`,
        { cause: error },
      );
    }
  }
}
