// Proof-of-possession through WAM: what to ask for, and the check that WAM's answer is the signed
// HTTP request asked for (a WAM that does not sign gives a bearer token, never handed out as PoP).
import { decodeJwt } from "../util/jwt";
import { badReply, brokerFailure, type BrokerRequest, type ProofOfPossessionRequest } from "./platform";

/**
 * Proof of possession, as Microsoft's WAM client (MSALRuntime) asks for it (observed against the
 * stand-in WAM under Wine, test/wine/standInWam/README.md): `token_type=shr` among the properties
 * and the resource request in the AppProperties; WAM's AAD plugin answers with a signed HTTP request
 * (SHR) signed with a key it holds, wrapping an access token bound to that key.
 */
function popAppProperties(pop: ProofOfPossessionRequest): Record<string, string> {
  let url: URL;
  try {
    url = new URL(pop.uri);
  } catch {
    throw brokerFailure(
      "invalid_request",
      "BROKER_INVALID_REQUEST",
      "A proof-of-possession token needs the resource request's absolute URL (resourceRequestUrl).",
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw brokerFailure(
      "invalid_request",
      "BROKER_INVALID_REQUEST",
      "The resource request's URL (resourceRequestUrl) must be http or https.",
    );
  }
  return {
    shr_method: pop.method.toUpperCase(),
    shr_u: url.host,
    shr_p: url.pathname,
    ...(pop.nonce ? { shr_nonce: pop.nonce } : {}),
    shr_add_timestamp: "1",
  };
}

/** The parts of a token request that differ for a PoP token. */
export function popParts(request: BrokerRequest): { properties: Record<string, string>; appProperties?: Record<string, string> } {
  if (!request.proofOfPossession) return { properties: {} };
  return { properties: { token_type: "shr" }, appProperties: popAppProperties(request.proofOfPossession) };
}

/**
 * Checks that WAM answered a PoP request with an SHR for this resource request. A WAM that does not
 * sign HTTP requests answers with a bearer token, which must not be handed out as a PoP token.
 */
export function checkSignedHttpRequest(token: string, request: BrokerRequest): void {
  const { header, payload } = decodeJwt(token);
  const unsupported = () =>
    brokerFailure(
      "unsupported",
      "POP_UNSUPPORTED",
      "WAM answered the proof-of-possession request with a bearer token: this Windows' account provider does not sign HTTP requests.",
    );
  if (!header || !payload || String(header.typ).toLowerCase() !== "pop" || typeof payload.at !== "string") throw unsupported();
  const asked = popAppProperties(request.proofOfPossession!);
  const expected: Record<string, string | undefined> = { m: asked.shr_method, u: asked.shr_u, p: asked.shr_p, nonce: asked.shr_nonce };
  const differs = Object.keys(expected).find((claim) => expected[claim] !== undefined && payload[claim] !== expected[claim]);
  if (differs) throw badReply(`WAM's signed HTTP request is for another resource request (its "${differs}" differs).`);
}
