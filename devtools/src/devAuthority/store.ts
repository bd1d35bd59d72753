// Server-side state: authorization codes, refresh tokens, device codes, browser sessions, consents.
import { randomBytes } from "node:crypto";
import type { ClaimsRequest } from "./claims";

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export interface AuthCodeRecord {
  clientId: string;
  redirectUri: string;
  codeChallenge?: string;
  username: string;
  tenantId: string;
  scope: string;
  nonce?: string;
  claims?: ClaimsRequest;
  acrs?: string[];
  expiresAt: number;
  used: boolean;
}

export interface RefreshRecord {
  clientId: string;
  username: string;
  tenantId: string;
  acrs?: string[];
  xmsCc?: string[];
  /** Store.stamp() at issue. */
  issuedAt: number;
  expiresAt: number;
}

export type DeviceStatus = "pending" | "approved" | "declined";

export interface DeviceRecord {
  deviceCode: string;
  userCode: string;
  clientId: string;
  tenantSegment: string;
  scope: string;
  claims?: ClaimsRequest;
  expiresAt: number;
  status: DeviceStatus;
  username?: string;
  tenantId?: string;
  acrs?: string[];
  redeemed: boolean;
}

export interface Session {
  id: string;
  /** Lower-case usernames signed in in this browser, most recent first. */
  accounts: string[];
  signedInAt: Map<string, number>;
}

function sweep<T extends { expiresAt: number }>(map: Map<string, T>, now: number): void {
  if (map.size < 256) return;
  for (const [k, v] of map) if (v.expiresAt < now) map.delete(k);
}

export class Store {
  readonly codes = new Map<string, AuthCodeRecord>();
  readonly refreshTokens = new Map<string, RefreshRecord>();
  readonly deviceCodes = new Map<string, DeviceRecord>();
  readonly userCodes = new Map<string, string>();
  readonly sessions = new Map<string, Session>();
  /** `${username}|${clientId}` -> consented permissions (lower case). */
  readonly consents = new Map<string, Set<string>>();
  /** username (lower case) -> stamp before which refresh tokens and sessions are revoked. */
  readonly revokedBefore = new Map<string, number>();
  /** `${clientId}|${jti}` of client assertions seen -> digest of the assertion, until it expires. */
  readonly assertions = new Map<string, { digest: string; expiresAt: number }>();

  /** Records a client assertion's jti: "new", or seen before with the "same" assertion or an "other" one. */
  assertionSeen(key: string, digest: string, expiresAt: number): "new" | "same" | "other" {
    sweep(this.assertions, Date.now());
    const rec = this.assertions.get(key);
    if (rec && rec.expiresAt >= Date.now()) return rec.digest === digest ? "same" : "other";
    this.assertions.set(key, { digest, expiresAt });
    return "new";
  }

  addCode(rec: AuthCodeRecord): string {
    sweep(this.codes, Date.now());
    const code = `dev.code.${randomToken()}`;
    this.codes.set(code, rec);
    return code;
  }

  addRefreshToken(rec: RefreshRecord): string {
    sweep(this.refreshTokens, Date.now());
    const rt = `dev.rt.${randomToken(48)}`;
    this.refreshTokens.set(rt, rec);
    return rt;
  }

  addDeviceCode(rec: Omit<DeviceRecord, "deviceCode" | "userCode">): DeviceRecord {
    sweep(this.deviceCodes, Date.now());
    const deviceCode = `dev.dc.${randomToken()}`;
    let userCode: string;
    const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    do {
      userCode = Array.from(randomBytes(9), (b) => alphabet[b % alphabet.length]).join("");
    } while (this.userCodes.has(userCode));
    const full: DeviceRecord = { ...rec, deviceCode, userCode };
    this.deviceCodes.set(deviceCode, full);
    this.userCodes.set(userCode, deviceCode);
    return full;
  }

  deviceByUserCode(userCode: string): DeviceRecord | undefined {
    const dc = this.userCodes.get(userCode.replace(/[\s-]/g, "").toUpperCase());
    return dc ? this.deviceCodes.get(dc) : undefined;
  }

  session(id: string | undefined): Session | undefined {
    return id ? this.sessions.get(id) : undefined;
  }

  newSession(): Session {
    const s: Session = { id: randomToken(), accounts: [], signedInAt: new Map() };
    this.sessions.set(s.id, s);
    return s;
  }

  /** Accounts of a session still valid (not revoked). */
  sessionAccounts(s: Session | undefined): string[] {
    if (!s) return [];
    return s.accounts.filter((u) => (s.signedInAt.get(u) ?? 0) > (this.revokedBefore.get(u) ?? 0));
  }

  hasConsent(username: string, clientId: string, permissions: string[]): boolean {
    const set = this.consents.get(`${username.toLowerCase()}|${clientId}`);
    return !!set && permissions.every((p) => set.has(p.toLowerCase()));
  }

  grantConsent(username: string, clientId: string, permissions: string[]): void {
    const key = `${username.toLowerCase()}|${clientId}`;
    const set = this.consents.get(key) ?? new Set<string>();
    for (const p of permissions) set.add(p.toLowerCase());
    this.consents.set(key, set);
  }

  private seq = 0;

  /** A monotonic stamp for issued refresh tokens and sign-ins (ordering, not time). */
  stamp(): number {
    return ++this.seq;
  }

  revoke(username: string): void {
    this.revokedBefore.set(username.toLowerCase(), this.stamp());
  }

  isRevoked(username: string, issuedAt: number): boolean {
    return issuedAt < (this.revokedBefore.get(username.toLowerCase()) ?? 0);
  }
}
