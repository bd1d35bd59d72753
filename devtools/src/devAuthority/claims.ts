// The `claims` request parameter: client capabilities (xms_cc), step-up (acrs), CAE (nbf).
import { OAuthError } from "./http";

export interface ClaimsRequest {
  raw: string;
  /** Client capabilities, e.g. ["cp1"] (msal sends these for CAE). */
  xmsCc?: string[];
  /** Authentication context class references asked for (step-up). */
  acrs?: string[];
  /** A CAE claims challenge (`access_token.nbf`). */
  nbf?: boolean;
}

function strings(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  return [];
}

function valuesOf(entry: unknown): string[] {
  if (!entry || typeof entry !== "object") return [];
  const e = entry as Record<string, unknown>;
  return [...strings(e.value), ...strings(e.values)];
}

const invalid = () => new OAuthError("invalid_request", 90014, "The 'claims' parameter is not a valid claims request JSON object.");

export function parseClaims(raw: string | undefined): ClaimsRequest | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (raw.length > 8192) throw invalid();
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch {
    throw invalid();
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw invalid();
  const at = (doc as Record<string, unknown>).access_token;
  const out: ClaimsRequest = { raw };
  if (at && typeof at === "object" && !Array.isArray(at)) {
    const a = at as Record<string, unknown>;
    if (a.xms_cc !== undefined) out.xmsCc = valuesOf(a.xms_cc);
    if (a.acrs !== undefined) {
      const v = valuesOf(a.acrs);
      out.acrs = v.length > 0 ? v : ["c1"];
    }
    if (a.nbf !== undefined) out.nbf = true;
  }
  return out;
}

/** Merges the capabilities of a later request into an earlier one (refresh keeps cp1). */
export function capabilities(c: ClaimsRequest | undefined): string[] | undefined {
  return c?.xmsCc && c.xmsCc.length > 0 ? c.xmsCc : undefined;
}
