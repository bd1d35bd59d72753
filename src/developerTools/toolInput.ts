// What a developer tool is asked for, checked before it reaches a command line or a PowerShell
// script: a resource (the scope without `/.default`), a tenant, a subscription. The character sets
// are the anchor's; a leading "-" is refused too, so that no value can pass for one of the tool's options.
import { invalidArgument } from "../errors";
import { Failure } from "../failure";
import type { TokenRequest } from "../tokens/tokenFront";
import { checkTenantId } from "../util/validation";

const TOOL_SCOPE = /^[0-9a-zA-Z_.:/-]+$/;
const SUBSCRIPTION = /^[0-9a-zA-Z._ -]+$/;
/** The anchor waits without limit; a developer tool that hangs must not hang the app. */
export const DEFAULT_PROCESS_TIMEOUT_MS = 10_000;

export interface ToolInput {
  /** The scope as the caller gave it. */
  scope: string;
  /** The scope without `/.default`: what az and PowerShell take. */
  resource: string;
  tenant: string | undefined;
}

/** The request's one scope and tenant, checked for a command line; PoP refused (no developer tool makes PoP tokens). */
export function toolInput(request: TokenRequest, tool: string): ToolInput {
  const scope = request.scopes[0];
  if (request.scopes.length !== 1 || !TOOL_SCOPE.test(scope) || scope.startsWith("-")) {
    throw invalidArgument(
      "INVALID_SCOPE",
      `Invalid scope ${JSON.stringify(String(scope).slice(0, 80))} for ${tool}: one scope of letters, digits and - _ . : / (such as https://management.azure.com/.default).`,
    );
  }
  if (request.tenant !== undefined) checkToolTenant(request.tenant);
  if (request.pop) {
    throw new Failure("unsupported", "POP_UNSUPPORTED", `${tool} does not issue proof-of-possession tokens.`, {
      fix: ["use InteractiveBrowserBrokerCredential for proof-of-possession tokens"],
    });
  }
  return { scope, resource: scope.replace(/\/\.default$/, ""), tenant: request.tenant };
}

export function checkToolTenant(tenant: string): void {
  checkTenantId(tenant);
  if (tenant.startsWith("-"))
    throw invalidArgument("INVALID_TENANT_ID", `Invalid tenant id ${JSON.stringify(tenant.slice(0, 80))}: it must not start with "-".`);
}

/** A subscription name or id as az takes it; thrown from the constructor, as the anchor does. */
export function checkSubscription(subscription: string): void {
  if (typeof subscription !== "string" || !SUBSCRIPTION.test(subscription) || subscription.startsWith("-")) {
    throw invalidArgument(
      "INVALID_SUBSCRIPTION",
      `Subscription ${JSON.stringify(String(subscription).slice(0, 80))} contains invalid characters. If this is the name of a subscription, use its id instead: https://learn.microsoft.com/azure/azure-portal/get-subscription-tenant-id`,
    );
  }
}

/** `processTimeoutInMs`: a positive number of milliseconds, default 10 s. */
export function processTimeout(ms: number | undefined): number {
  if (ms === undefined) return DEFAULT_PROCESS_TIMEOUT_MS;
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms <= 0) {
    throw invalidArgument("INVALID_TIMEOUT", `processTimeoutInMs must be a positive number of milliseconds (got ${String(ms)}).`);
  }
  return ms;
}

/** A claims challenge az and PowerShell cannot answer in a token request: the sign-in command that can. */
export function claimsNeedSignIn(tool: string, command: string): Failure {
  return new Failure("unavailable", "DEVELOPER_TOOL_CLAIMS_CHALLENGE", `${tool} cannot answer a claims challenge in a token request.`, {
    fix: [`run ${command}`],
  });
}

/** The tool ran and said no, in its own words (stderr, else stdout), cut to a readable size. */
export function toolFailed(tool: string, exitCode: number, stderr: string, stdout: string): Failure {
  const said = (stderr.trim() || stdout.trim() || "(no output)").slice(0, 2000);
  return new Failure("server_refused", "DEVELOPER_TOOL_FAILED", `${tool} failed (exit code ${exitCode}): ${said}`, {
    reason: `exit code ${exitCode}`,
  });
}

/** Output that is not what the tool documents. Never quoted: it may hold a token. */
export function badReply(tool: string, what: string): Failure {
  return new Failure("bad_reply", "DEVELOPER_TOOL_BAD_REPLY", `${tool} printed something other than a token: ${what}.`, {
    reason: what,
  });
}

/**
 * The JSON object a tool prints: the whole output, else the first flat object in it that has
 * `field` (PowerShell may print warnings around it).
 */
export function parseJsonObject(tool: string, stdout: string, field: string): Record<string, unknown> {
  for (const candidate of [stdout, ...(stdout.match(/{[^{}]*}/g) ?? [])]) {
    try {
      const value: unknown = JSON.parse(candidate);
      if (value && typeof value === "object" && !Array.isArray(value) && field in value) return value as Record<string, unknown>;
    } catch {
      // The next candidate.
    }
  }
  throw badReply(tool, `no JSON object with "${field}" in its output`);
}

/** The token field: a non-empty string without whitespace. */
export function tokenField(tool: string, value: unknown, field: string): string {
  if (typeof value !== "string" || !value || /\s/.test(value)) throw badReply(tool, `no "${field}" string`);
  return value;
}

/** An expiry in milliseconds that is a real instant. */
export function expiryField(tool: string, ms: number, field: string): number {
  if (!Number.isFinite(ms) || ms <= 0) throw badReply(tool, `"${field}" is not a date`);
  return ms;
}
