// What the stand-in broker answers, independent of D-Bus: argument checks, scripted replies, the
// token flows against the authority, and the accounts it holds.
import { randomUUID } from "node:crypto";
import { AccountStore, accountFromTokens, missingAccountFields } from "./accounts";
import { type AuthorityConfig, type TokenResponse, hostOf, requestToken, tenantOf } from "./authority";
import {
  type BrokerAccount,
  BrokerFailure,
  PROTOCOL_VERSION,
  Status,
  errorReply,
  fail,
  isRecord,
  isUuid,
  optionalString,
} from "./protocol";
import { PopKey, readPopParams, type PopParams } from "./pop";

export type ScriptedReply =
  | { kind: "status"; status: number; subStatus?: number; errorCode?: number; tag?: number; context?: string }
  | { kind: "malformed"; body?: string }
  | { kind: "slow"; delayMs: number }
  | { kind: "exit" };

export interface BrokerCall {
  method: string;
  protocol: string;
  correlationId: string;
  /** The parsed JSON request, or the raw string when it did not parse. */
  request: unknown;
  at: number;
}

export interface Credentials {
  username: string;
  password: string;
}

export interface BrokerLogicOptions {
  authority: AuthorityConfig;
  user?: Credentials;
  /** More people the scripted UI can sign in, picked by login hint; `user` is the default one. */
  users?: Credentials[];
  version?: string;
  accountShape?: "withAccount" | "withoutAccount";
  grantedScopesAs?: "string" | "array";
  /** Status for a silent call naming an account the broker does not hold (default 2, InteractionRequired). */
  unknownAccountStatus?: number;
  /** Keep the accounts (and their refresh tokens) in this file across restarts, as a real broker does. */
  stateFile?: string;
}

/** The outcome of one call: a JSON string to send back, or "exit without replying". */
export type Outcome = { reply: string } | { exit: true };

const OIDC_SCOPES = ["openid", "profile", "offline_access"];

function delay(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function isVersionBefore(version: string, than: number[]): boolean {
  const parts = version.split(".").map((p) => parseInt(p, 10) || 0);
  for (let i = 0; i < than.length; i++) {
    const a = parts[i] ?? 0;
    const b = than[i];
    if (a !== b) return a < b;
  }
  return false;
}

export class BrokerLogic {
  readonly calls: BrokerCall[] = [];
  private readonly store: AccountStore;
  private readonly scripts = new Map<string, Array<{ reply: ScriptedReply; remaining: number }>>();
  private readonly pendingInteractive = new Set<AbortController>();
  private popKeyPair: PopKey | undefined;
  readonly version: string;

  constructor(private readonly options: BrokerLogicOptions) {
    this.version = options.version ?? "2.0.4";
    this.store = new AccountStore(options.stateFile);
  }

  get accounts(): BrokerAccount[] {
    return this.store.list();
  }

  script(method: string, reply: ScriptedReply, times = 1): void {
    if (!Number.isInteger(times) || times < 1) throw new RangeError("times must be a positive integer");
    const ok =
      isRecord(reply) &&
      ((reply.kind === "status" && Number.isInteger(reply.status)) ||
        (reply.kind === "malformed" && (reply.body === undefined || typeof reply.body === "string")) ||
        (reply.kind === "slow" && typeof reply.delayMs === "number" && reply.delayMs >= 0) ||
        reply.kind === "exit");
    if (!ok) throw new TypeError(`not a scripted reply: ${JSON.stringify(reply)}`);
    const queue = this.scripts.get(method) ?? [];
    queue.push({ reply, remaining: times });
    this.scripts.set(method, queue);
  }

  private takeScript(method: string): ScriptedReply | undefined {
    const queue = this.scripts.get(method);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    if (--head.remaining <= 0) queue.shift();
    return head.reply;
  }

  /** Answers one call; never throws. */
  async dispatch(method: string, protocol: string, correlationId: string, requestText: string): Promise<Outcome> {
    let request: unknown = requestText;
    try {
      request = JSON.parse(requestText);
    } catch {
      // recorded raw; rejected below
    }
    this.calls.push({ method, protocol, correlationId, request, at: Date.now() });
    const clientId = isRecord(request)
      ? (optionalString(request.clientId) ??
        (isRecord(request.authParameters) ? optionalString(request.authParameters.clientId) : undefined))
      : undefined;
    const meta = { correlationId, clientId, brokerVersion: this.version };
    const controller = new AbortController();
    if (method === "acquireTokenInteractively") this.pendingInteractive.add(controller);
    try {
      const scripted = this.takeScript(method);
      if (scripted?.kind === "exit") return { exit: true };
      if (scripted?.kind === "malformed") return { reply: scripted.body ?? "this is not JSON {" };
      if (scripted?.kind === "status") {
        const { status, subStatus, errorCode, tag } = scripted;
        const context = scripted.context ?? `Scripted error with status ${status}`;
        return { reply: JSON.stringify(errorReply(method, { status, subStatus, errorCode, tag, context }, meta)) };
      }
      if (scripted?.kind === "slow" && !(await delay(scripted.delayMs, controller.signal))) {
        fail(Status.UserCanceled, "The interactive flow was cancelled (cancelInteractiveFlow).");
      }
      if (protocol !== PROTOCOL_VERSION) {
        fail(Status.ApiContractViolation, `Unsupported broker protocol version '${protocol}', expected '${PROTOCOL_VERSION}'`);
      }
      if (!isUuid(correlationId)) fail(Status.ApiContractViolation, `Correlation id '${correlationId}' is not a UUID`);
      if (!isRecord(request)) fail(Status.ApiContractViolation, "The request is not a JSON object");
      const reply = await this.handle(method, request, controller.signal);
      return { reply: JSON.stringify(reply) };
    } catch (error) {
      const brokerError =
        error instanceof BrokerFailure
          ? error.error
          : { status: Status.Unexpected, context: `Stand-in broker internal error: ${(error as Error)?.message ?? error}` };
      return { reply: JSON.stringify(errorReply(method, brokerError, meta)) };
    } finally {
      this.pendingInteractive.delete(controller);
    }
  }

  private async handle(method: string, request: Record<string, unknown>, signal: AbortSignal): Promise<object> {
    switch (method) {
      case "getLinuxBrokerVersion":
        return { linuxBrokerVersion: this.version };
      case "getAccounts":
        return { accounts: this.store.list() };
      case "removeAccount":
        this.store.remove(request.account);
        return {};
      case "cancelInteractiveFlow":
        this.cancelPending();
        return {};
      case "acquireTokenInteractively":
        return this.interactive(this.authParameters(request), signal);
      case "acquireTokenSilently":
        return this.silent(this.authParameters(request), request, signal);
      case "acquirePrtSsoCookie":
        return this.prtSsoCookie(request);
      case "generateSignedHttpRequest":
        return this.signedHttpRequest(request);
      default:
        return fail(Status.ApiContractViolation, `Unknown method ${method}`);
    }
  }

  private authParameters(request: Record<string, unknown>): Record<string, unknown> {
    const params = request.authParameters;
    if (!isRecord(params)) fail(Status.ApiContractViolation, "authParameters is missing or not an object");
    if (!optionalString(params.clientId)) fail(Status.ApiContractViolation, "authParameters.clientId is missing");
    const scopes = params.requestedScopes;
    if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === "string")) {
      fail(Status.ApiContractViolation, "authParameters.requestedScopes must be an array of strings");
    }
    return params;
  }

  /** Made on first use: a run that never asks for PoP generates no key. */
  private get popKey(): PopKey {
    this.popKeyPair ??= new PopKey();
    return this.popKeyPair;
  }

  private tokenForm(params: Record<string, unknown>, pop: PopParams | undefined): Record<string, string> {
    const scopes = [...new Set([...(params.requestedScopes as string[]), ...OIDC_SCOPES])];
    const form: Record<string, string> = { client_id: params.clientId as string, scope: scopes.join(" ") };
    const claims = optionalString(params.decodedClaims);
    if (claims) form.claims = claims;
    // A PoP request: the authority binds the access token to the broker's key.
    if (pop) Object.assign(form, { token_type: "pop", req_cnf: this.popKey.reqCnf });
    return form;
  }

  private async interactive(params: Record<string, unknown>, signal: AbortSignal): Promise<object> {
    const users = [...(this.options.user ? [this.options.user] : []), ...(this.options.users ?? [])];
    const requestedAccount = isRecord(params.account) ? params.account : undefined;
    checkAccount(requestedAccount);
    const hint = (optionalString(requestedAccount?.username) ?? optionalString(params.username))?.toLowerCase();
    const who = users.find((u) => u.username.toLowerCase() === hint) ?? users[0];
    if (!who) fail(Status.UserCanceled, "Nobody signed in: the stand-in broker has no scripted user.");
    const pop = readPopParams(params.popParams);
    const tokens = await requestToken(
      this.options.authority,
      tenantOf(params.authority),
      { ...this.tokenForm(params, pop), grant_type: "password", username: who.username, password: who.password },
      signal,
    );
    return this.tokenReply(params, tokens, who.username, pop);
  }

  private async silent(params: Record<string, unknown>, request: Record<string, unknown>, signal: AbortSignal) {
    // Brokers > 2.0.1 take the account inside authParameters; older clients put it at the root.
    const requested = params.account ?? request.account ?? null;
    checkAccount(requested);
    let held;
    if (requested === null && params.isSignIn === true) {
      held = this.store.first();
      if (!held) fail(Status.InteractionRequired, "No account is signed in to the broker; interaction required.");
    } else {
      held = this.store.find(requested, optionalString(params.username));
      if (!held) {
        fail(this.options.unknownAccountStatus ?? Status.InteractionRequired, "The account is not known to the broker.");
      }
    }
    if (!held.refreshToken) fail(Status.InteractionRequired, "The broker holds no refresh token for this account.");
    const pop = readPopParams(params.popParams);
    const tokens = await requestToken(
      this.options.authority,
      tenantOf(params.authority),
      { ...this.tokenForm(params, pop), grant_type: "refresh_token", refresh_token: held.refreshToken },
      signal,
    );
    return this.tokenReply(params, tokens, held.account.username, pop);
  }

  /**
   * The broker's token reply. For PoP the access token, bound to the broker's key by the authority,
   * goes out inside an SHR for the request in popParams, with accessTokenType 1.
   */
  private tokenReply(params: Record<string, unknown>, tokens: TokenResponse, username: string, pop?: PopParams): object {
    if (pop && tokens.token_type?.toLowerCase() !== "pop") {
      fail(Status.Unexpected, `The authority answered a proof-of-possession request with token_type '${tokens.token_type ?? ""}'.`);
    }
    const environment = hostOf(params.authority, this.options.authority.url);
    const account = accountFromTokens(tokens, environment, username);
    this.store.put(account, tokens.refresh_token);
    const now = Date.now();
    const expiresIn = Number(tokens.expires_in ?? 3600);
    const extExpiresIn = Number(tokens.ext_expires_in ?? expiresIn);
    const scopes = optionalString(tokens.scope)?.split(" ") ?? (params.requestedScopes as string[]);
    return {
      brokerTokenResponse: {
        accessToken: pop ? this.popKey.signedHttpRequest(pop, tokens.access_token) : tokens.access_token,
        accessTokenType: pop ? 1 : 0,
        clientInfo: account.clientInfo,
        expiresOn: now + expiresIn * 1000,
        extendedExpiresOn: now + extExpiresIn * 1000,
        grantedScopes: this.options.grantedScopesAs === "array" ? scopes : scopes.join(" "),
        idToken: tokens.id_token ?? "",
        ...(this.options.accountShape === "withoutAccount" ? {} : { account }),
      },
    };
  }

  private heldFor(request: Record<string, unknown>) {
    const params = isRecord(request.authParameters) ? request.authParameters : {};
    const requested = request.account ?? params.account;
    const homeAccountId = isRecord(request.popParams) ? optionalString(request.popParams.homeAccountId) : undefined;
    const held = this.store.find(homeAccountId ? { homeAccountId } : requested, optionalString(params.username));
    if (!held) fail(Status.InteractionRequired, "The account is not known to the broker.");
    return held;
  }

  /**
   * A PRT SSO cookie: `{cookieItems: [...]}` as brokers > 2.0.1 answer, `{cookieName, cookieContent,
   * account}` when configured as an older version. The stand-in has no PRT: the cookie is an unsigned JWT.
   */
  private prtSsoCookie(request: Record<string, unknown>): object {
    const held = this.heldFor(request);
    const params = isRecord(request.authParameters) ? request.authParameters : {};
    const ssoUrl = optionalString(request.ssoUrl) ?? optionalString(params.ssoUrl) ?? "";
    const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    const payload = Buffer.from(
      JSON.stringify({ refresh_token: randomUUID(), is_primary: "true", iat: Math.floor(Date.now() / 1000), request_nonce: ssoUrl }),
    ).toString("base64url");
    const cookie = { cookieName: "x-ms-RefreshTokenCredential", cookieContent: `${header}.${payload}.` };
    return isVersionBefore(this.version, [2, 0, 2]) ? { ...cookie, account: held.account } : { cookieItems: [cookie] };
  }

  /** A signed HTTP request (SHR) without an access token, signed with the broker's PoP key. */
  private signedHttpRequest(request: Record<string, unknown>): object {
    if (!isRecord(request.popParams)) fail(Status.ApiContractViolation, "popParams is missing or not an object");
    const pop = readPopParams({ ...request.popParams, authenticationScheme: "pop" });
    this.heldFor(request);
    return { signedHttpRequest: this.popKey.signedHttpRequest(pop!) };
  }

  /** Ends every pending interactive call with status 7 (as cancelInteractiveFlow does). */
  cancelPending(): void {
    for (const pending of this.pendingInteractive) pending.abort();
  }
}

/** Microsoft's broker refuses to parse an account without its required fields; so does the stand-in. */
function checkAccount(account: unknown): void {
  if (!isRecord(account)) return;
  const missing = missingAccountFields(account);
  if (missing.length) fail(Status.ApiContractViolation, `The account in the request lacks ${missing.join(", ")}.`);
}
