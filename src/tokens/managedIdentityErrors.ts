// What a managed identity endpoint's failure means, from what our HTTP client saw (msal-node's
// errors for these keep neither the status nor the body): unreachable, refused with a status, or
// a reply that is not JSON. Everything else is left to the one mapper (src/tokens/errors.ts).
import { AbortError } from "../errors";
import { Failure } from "../failure";
import type { Exchange } from "./managedIdentityNetwork";

/** msal-node's codes for a request it would not make in this environment. */
const NOT_HERE = new Set(["unable_to_create_cloud_shell", "user_assigned_not_available_at_runtime", "platform_not_supported"]);

export function managedIdentityFailure(error: unknown, exchange: Exchange, sourceName: string): Error | undefined {
  if (exchange.signal.aborted) return new AbortError();
  const where = `The ${sourceName} managed identity endpoint`;
  // msal-node's own verdict (Azure Arc's challenge it could not follow, a request it would not make) comes first.
  const msalCode = (error as { errorCode?: unknown; name?: unknown } | null)?.errorCode;
  if ((error as Error | null)?.name === "ManagedIdentityError" && typeof msalCode === "string") {
    if (NOT_HERE.has(msalCode)) {
      return new Failure("unsupported", "MANAGED_IDENTITY_USER_ASSIGNED_UNSUPPORTED", `${where} cannot do this: ${msalCode}.`, {
        cause: error,
      });
    }
    return undefined;
  }
  if (exchange.networkError) {
    const code = exchange.networkError.code ?? "unknown";
    return new Failure("unavailable", "MANAGED_IDENTITY_UNREACHABLE", `${where} could not be reached (${code}).`, {
      reason: `connection failed: ${code}`,
      fix: ["check that the identity endpoint of this Azure resource is running", "off Azure, use another credential"],
      cause: error,
    });
  }
  if (exchange.status !== undefined && exchange.status >= 400) {
    const server = serverError(exchange.errorBody, exchange.status);
    return new Failure("server_refused", "MANAGED_IDENTITY_REFUSED", `${where} answered HTTP ${exchange.status}.`, {
      statusCode: exchange.status,
      serverError: server,
      cause: error,
    });
  }
  if (exchange.malformed) {
    return new Failure(
      "bad_reply",
      "MANAGED_IDENTITY_BAD_REPLY",
      `${where} answered HTTP ${exchange.status} with a body that is not JSON.`,
      {
        statusCode: exchange.status,
        cause: error,
      },
    );
  }
  return undefined;
}

/** The error in the shapes managed identity endpoints use: OAuth fields, `{message}` (App Service), `{error: {code, message}}` (Service Fabric). */
function serverError(body: unknown, status: number): NonNullable<Failure["serverError"]> {
  const b = (body ?? {}) as Record<string, unknown>;
  const nested = b.error && typeof b.error === "object" ? (b.error as Record<string, unknown>) : undefined;
  const text = (v: unknown) => (typeof v === "string" && v ? v : undefined);
  return {
    error: text(b.error) ?? text(nested?.code) ?? (status >= 500 ? "server_error" : "invalid_request"),
    description: text(b.error_description) ?? text(b.message) ?? text(nested?.message) ?? `The endpoint answered HTTP ${status}.`,
    correlationId: text(b.correlation_id) ?? text(b.correlationId) ?? text(nested?.correlationId),
  };
}
