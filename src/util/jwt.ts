// The one decoder of base64url JSON: JWT segments (id tokens, signed HTTP requests) and client_info.

/** The JSON object a base64url segment holds; undefined when it is absent, not base64url JSON, or not an object. */
export function decodeBase64UrlJson(segment: unknown): Record<string, unknown> | undefined {
  if (typeof segment !== "string" || segment === "") return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A JWT's header and payload objects (undefined where a part is not one). The signature is not checked. */
export function decodeJwt(jwt: unknown): { header?: Record<string, unknown>; payload?: Record<string, unknown> } {
  if (typeof jwt !== "string") return {};
  const [header, payload] = jwt.split(".");
  return { header: decodeBase64UrlJson(header), payload: decodeBase64UrlJson(payload) };
}
