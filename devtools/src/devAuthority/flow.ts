// A sign-in in progress (authorize or device code), kept server side and named by an unguessable id.
import { randomInt } from "node:crypto";
import type { ClaimsRequest } from "./claims";
import type { ResolvedTenant } from "./context";
import type { ScopeRequest } from "./scopes";
import { randomToken } from "./store";

export type ResponseMode = "query" | "form_post" | "fragment";

export interface AuthorizeTarget {
  redirectUri: string;
  state?: string;
  responseMode: ResponseMode;
  codeChallenge?: string;
  nonce?: string;
}

export type FlowPage = "pick" | "password" | "mfa" | "consent";

export interface Flow {
  id: string;
  kind: "authorize" | "device";
  resolved: ResolvedTenant;
  clientId: string;
  scopeRaw: string;
  scopes: ScopeRequest;
  claims?: ClaimsRequest;
  loginHint?: string;
  prompt?: string;
  authorize?: AuthorizeTarget;
  deviceCode?: string;
  /** The authenticated user, once known. */
  username?: string;
  /** Step-up asked for (acrs values) and the code shown on the MFA page. */
  acrs?: string[];
  mfaCode: string;
  mfaDone: boolean;
  consented: boolean;
  page: FlowPage;
  expiresAt: number;
}

const FLOW_LIFETIME_MS = 15 * 60 * 1000;

export class FlowTable {
  private readonly flows = new Map<string, Flow>();

  create(init: Omit<Flow, "id" | "mfaCode" | "mfaDone" | "consented" | "page" | "expiresAt">): Flow {
    const now = Date.now();
    if (this.flows.size > 256) for (const [k, f] of this.flows) if (f.expiresAt < now) this.flows.delete(k);
    const flow: Flow = {
      ...init,
      id: randomToken(24),
      mfaCode: String(randomInt(0, 1_000_000)).padStart(6, "0"),
      mfaDone: false,
      consented: false,
      page: "password",
      expiresAt: now + FLOW_LIFETIME_MS,
    };
    this.flows.set(flow.id, flow);
    return flow;
  }

  get(id: string | null | undefined): Flow | undefined {
    if (!id) return undefined;
    const f = this.flows.get(id);
    if (f && f.expiresAt < Date.now()) {
      this.flows.delete(id);
      return undefined;
    }
    return f;
  }

  end(id: string): void {
    this.flows.delete(id);
  }
}
