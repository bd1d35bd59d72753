import { invalidArgument } from "./errors";

/**
 * The non-secret account details of a sign-in, kept by an app so a later run can get tokens
 * silently. The same JSON as `@azure/identity`'s record (version "1.0"); `nativeAccountId` is ours:
 * the broker's id for the account, so a restored record reaches the same broker account.
 */
export interface AuthenticationRecord {
  /** The authority host the account signed in with, e.g. `login.microsoftonline.com`. */
  authority: string;
  /** The account's id across tenants: `<object id>.<home tenant id>`. */
  homeAccountId: string;
  /** The application (client) id the account signed in to. */
  clientId: string;
  /** The tenant the account signed in to. */
  tenantId: string;
  /** The user's sign-in name (UPN or email). */
  username: string;
  /** The broker's id for the account (WAM, macOS SSO, Linux broker); absent after a browser sign-in. */
  nativeAccountId?: string;
}

const RECORD_VERSION = "1.0";
const REQUIRED = ["authority", "homeAccountId", "clientId", "tenantId", "username"] as const;

/** The record as JSON (with `version: "1.0"`), readable by `@azure/identity`'s `deserializeAuthenticationRecord`. */
export function serializeAuthenticationRecord(record: AuthenticationRecord): string {
  return JSON.stringify({ ...record, version: RECORD_VERSION });
}

/**
 * Reads a record written by {@link serializeAuthenticationRecord} or by `@azure/identity`.
 * Throws a `TypeError` with `code` `INVALID_AUTHENTICATION_RECORD` when it is not one.
 */
export function deserializeAuthenticationRecord(serializedRecord: string): AuthenticationRecord {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(serializedRecord) as Record<string, unknown>;
  } catch (e) {
    throw Object.assign(invalidArgument("INVALID_AUTHENTICATION_RECORD", "The AuthenticationRecord is not valid JSON."), { cause: e });
  }
  if (!parsed || typeof parsed !== "object") {
    throw invalidArgument("INVALID_AUTHENTICATION_RECORD", "The AuthenticationRecord is not a JSON object.");
  }
  if (parsed.version !== undefined && parsed.version !== RECORD_VERSION) {
    throw invalidArgument("INVALID_AUTHENTICATION_RECORD", "Unsupported AuthenticationRecord version");
  }
  for (const key of REQUIRED) {
    if (typeof parsed[key] !== "string") {
      throw invalidArgument("INVALID_AUTHENTICATION_RECORD", `The AuthenticationRecord has no "${key}".`);
    }
  }
  const record = { ...parsed } as Record<string, unknown>;
  delete record.version;
  return record as unknown as AuthenticationRecord;
}
