// doctor's DefaultAzureCredential section: each source of the chain asked for a real token here,
// at once, each within a time limit; what it answered is the report (the token itself never is).
import type { TokenCredential } from "@azure/core-auth";
import { CHAIN } from "../credentials/defaultAzureCredentialSteps";

/** Azure Resource Manager: the scope every developer credential can get. */
const PROBE_SCOPE = "https://management.azure.com/.default";

export interface SourceCheck {
  name: string;
  /** It gave a token here. */
  usable: boolean;
  /** Not part of the chain unless asked for (the interactive step, the shared cache off Windows). */
  excludedByDefault: boolean;
  /** The failure's stable code (TROUBLESHOOTING.md). */
  code?: string;
  /** Why not, in the credential's words (which say what to run). */
  reason?: string;
  ms: number;
}

/** Every non-interactive step of the chain, asked for a token in parallel; never throws. */
export async function checkChainSources(timeoutMs = 15_000): Promise<SourceCheck[]> {
  const steps = CHAIN.filter((step) => step.group !== "interactive");
  return Promise.all(
    steps.map(async (step): Promise<SourceCheck> => {
      const excludedByDefault = step.excludedByDefault?.() ?? false;
      const started = Date.now();
      const done = (rest: Partial<SourceCheck>): SourceCheck => ({
        name: step.name,
        usable: false,
        excludedByDefault,
        ...rest,
        ms: Date.now() - started,
      });
      try {
        const credential: TokenCredential = step.create({}, process.env, true);
        const token = await credential.getToken(PROBE_SCOPE, { abortSignal: AbortSignal.timeout(timeoutMs) });
        return token ? done({ usable: true }) : done({ reason: "returned no token" });
      } catch (error) {
        const e = error as { name?: string; message?: string; code?: unknown };
        return done({
          code: typeof e?.code === "string" ? e.code : undefined,
          reason: `${e?.name === "CredentialUnavailableError" ? "" : `${e?.name ?? "Error"}: `}${e?.message ?? String(error)}`,
        });
      }
    }),
  );
}

/** The section as doctor prints it: one line per source, then why not, indented. */
export function formatChainSources(checks: SourceCheck[]): string[] {
  const lines = ["DefaultAzureCredential, in the chain's order (each asked for a token for Azure Resource Manager):"];
  for (const c of checks) {
    const state = c.usable ? "works  " : "no     ";
    const note = c.excludedByDefault ? " (left out of the chain by default here)" : "";
    lines.push(`  ${c.name.padEnd(28)} ${state} ${c.ms} ms${note}`);
    if (!c.usable && c.reason) {
      for (const line of c.reason.split("\n")) lines.push(`${" ".repeat(32)}${line}`);
      if (c.code) lines.push(`${" ".repeat(32)}code: ${c.code}`);
    }
  }
  return lines;
}
