// The accounts the stand-in broker holds, each with the refresh token it signs in silently with.
// Like a real broker it can keep them across restarts: in a 0600 JSON file, when given one.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { base64UrlJson, jwtClaims, type TokenResponse } from "./authority";
import { type BrokerAccount, isRecord } from "./protocol";

interface Held {
  account: BrokerAccount;
  refreshToken: string | undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** Builds the broker's account object from a token response (id token claims and client_info). */
export function accountFromTokens(tokens: TokenResponse, environment: string, fallbackUsername: string): BrokerAccount {
  const claims = jwtClaims(tokens.id_token);
  const clientInfo = tokens.client_info ? base64UrlJson(tokens.client_info) : {};
  const uid = str(clientInfo.uid) ?? str(claims.oid) ?? str(claims.sub) ?? "";
  const utid = str(clientInfo.utid) ?? str(claims.tid) ?? "";
  const name = str(claims.name) ?? "";
  const [firstWord = "", ...rest] = name.split(" ");
  return {
    alternativeAccountId: "",
    clientInfo: tokens.client_info ?? Buffer.from(JSON.stringify({ uid, utid })).toString("base64url"),
    environment,
    familyName: str(claims.family_name) ?? rest.join(" "),
    givenName: str(claims.given_name) ?? firstWord,
    homeAccountId: `${uid}.${utid}`,
    homeEnvironment: environment,
    localAccountId: str(claims.oid) ?? uid,
    middleName: "",
    name,
    passwordChangeUrl: "",
    passwordExpiry: 0,
    realm: str(claims.tid) ?? utid,
    username: str(claims.preferred_username) ?? str(claims.upn) ?? str(claims.email) ?? fallbackUsername,
  };
}

/** The fields Microsoft's identity broker requires of an account a client sends back (string, or number for passwordExpiry). */
const REQUIRED_ACCOUNT_FIELDS = ["environment", "givenName", "homeAccountId", "localAccountId", "name", "realm", "username"] as const;

/** What an account sent in a request lacks, as the real broker would refuse it; empty when it is whole. */
export function missingAccountFields(account: Record<string, unknown>): string[] {
  const missing: string[] = REQUIRED_ACCOUNT_FIELDS.filter((f) => typeof account[f] !== "string");
  if (typeof account.passwordExpiry !== "number") missing.push("passwordExpiry");
  return missing;
}

export class AccountStore {
  private readonly held = new Map<string, Held>();

  /** `stateFile`: where the accounts are kept between runs; a missing file is an empty store. */
  constructor(private readonly stateFile?: string) {
    if (!stateFile) return;
    let saved: unknown;
    try {
      saved = JSON.parse(readFileSync(stateFile, "utf8"));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw new Error(`stand-in broker: cannot read its state file ${stateFile}: ${(error as Error).message}`);
    }
    for (const entry of Array.isArray(saved) ? saved : []) {
      if (isRecord(entry) && isRecord(entry.account) && typeof entry.account.homeAccountId === "string") {
        this.held.set(entry.account.homeAccountId, {
          account: entry.account as unknown as BrokerAccount,
          refreshToken: str(entry.refreshToken),
        });
      }
    }
  }

  private save(): void {
    if (!this.stateFile) return;
    const temp = `${this.stateFile}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify([...this.held.values()]), { mode: 0o600 });
    renameSync(temp, this.stateFile);
  }

  list(): BrokerAccount[] {
    return [...this.held.values()].map((h) => ({ ...h.account }));
  }

  first(): Held | undefined {
    return this.held.values().next().value;
  }

  /** Finds the account a request names: by homeAccountId, else localAccountId, else username. */
  find(requested: unknown, username?: string): Held | undefined {
    if (isRecord(requested)) {
      const home = str(requested.homeAccountId);
      if (home && this.held.has(home)) return this.held.get(home);
      const local = str(requested.localAccountId);
      for (const h of this.held.values()) if (local && h.account.localAccountId === local) return h;
      const name = str(requested.username);
      if (name) return this.byUsername(name);
      return undefined;
    }
    return username ? this.byUsername(username) : undefined;
  }

  private byUsername(username: string): Held | undefined {
    const wanted = username.toLowerCase();
    for (const h of this.held.values()) if (h.account.username.toLowerCase() === wanted) return h;
    return undefined;
  }

  put(account: BrokerAccount, refreshToken: string | undefined): void {
    const previous = this.held.get(account.homeAccountId);
    this.held.set(account.homeAccountId, { account, refreshToken: refreshToken ?? previous?.refreshToken });
    this.save();
  }

  remove(requested: unknown): boolean {
    const found = this.find(requested);
    if (!found) return false;
    this.held.delete(found.account.homeAccountId);
    this.save();
    return true;
  }
}
