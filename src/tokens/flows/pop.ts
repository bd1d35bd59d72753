import type { GetTokenOptions } from "@azure/core-auth";
import type { NativeBrokerPlugin } from "../../broker/plugin";
import { invalidArgument } from "../../errors";
import { Failure } from "../../failure";
import type { PopRequest } from "./types";

const HTTP_METHOD = /^[A-Za-z]{1,16}$/;

/**
 * `proofOfPossessionOptions` checked and in msal's names; undefined for a Bearer request.
 * The URL must be absolute http(s): the token is bound to its host and path.
 */
export function popRequest(options: GetTokenOptions["proofOfPossessionOptions"]): PopRequest | undefined {
  if (options === undefined || options === null) return undefined;
  const { resourceRequestMethod: method, resourceRequestUrl: url, nonce } = options as Partial<typeof options>;
  if (typeof method !== "string" || !HTTP_METHOD.test(method)) {
    throw invalidArgument(
      "INVALID_POP_OPTIONS",
      "proofOfPossessionOptions.resourceRequestMethod must be an HTTP method such as GET or POST.",
    );
  }
  let parsed: URL | undefined;
  try {
    parsed = typeof url === "string" ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== "https:" && parsed.protocol !== "http:") || parsed.username || parsed.password) {
    throw invalidArgument(
      "INVALID_POP_OPTIONS",
      "proofOfPossessionOptions.resourceRequestUrl must be the absolute http(s) URL of the resource request.",
    );
  }
  if (nonce !== undefined && (typeof nonce !== "string" || nonce.length === 0 || nonce.length > 4096)) {
    throw invalidArgument("INVALID_POP_OPTIONS", "proofOfPossessionOptions.nonce must be the non-empty nonce the resource gave.");
  }
  return { resourceRequestMethod: method.toUpperCase(), resourceRequestUri: parsed.href, ...(nonce ? { shrNonce: nonce } : {}) };
}

/** The request a PoP token is bound to, as part of a key: two different requests never share one. */
export function popKey(pop: PopRequest): string {
  return JSON.stringify([pop.resourceRequestMethod, pop.resourceRequestUri, pop.shrNonce ?? ""]);
}

const POP_BROKERS =
  "Proof-of-possession tokens need an OS broker that makes them (WAM on Windows, the identity broker on Linux) through InteractiveBrowserBrokerCredential";

/**
 * The one decision whether a proof-of-possession token can be had: only from a broker this
 * credential uses, that is here, and that makes them. Otherwise POP_UNSUPPORTED, before anything opens.
 */
export async function requirePopBroker(brokerPlugin: (() => Promise<NativeBrokerPlugin | undefined>) | undefined): Promise<void> {
  const unsupported = (why: string) => new Failure("unsupported", "POP_UNSUPPORTED", `${POP_BROKERS}; ${why}`, { reason: why });
  if (!brokerPlugin) throw unsupported("this credential signs in without one.");
  const broker = await brokerPlugin();
  if (!broker) {
    const { brokerPrerequisites, lastProbe } = await import("../../broker/availability"); // the broker's modules: only on this path
    const reason = (brokerPrerequisites().missing?.reason ?? lastProbe()?.reason)?.replace(/\.$/, "");
    throw unsupported(
      `no OS broker is in use here${reason ? ` (${reason})` : ""}, and the system browser sign-in gives Bearer tokens only.`,
    );
  }
  if (!broker.supportsPop) throw unsupported(`the ${broker.backend} broker does not make them.`);
}
