// OpenID configuration, instance discovery and JWKS documents.
import { CONSUMERS_TENANT_ID, type AuthorityContext } from "./context";
import { OAuthError } from "./http";

export function openIdConfiguration(ctx: AuthorityContext, segment: string): Record<string, unknown> {
  const r = ctx.resolveTenant(segment);
  const pathTenant = r.tenant ? r.tenant.tenantId : r.segment;
  const issuerTenant = r.tenant ? r.tenant.tenantId : r.alias === "consumers" ? CONSUMERS_TENANT_ID : "{tenantid}";
  const base = `${ctx.url}/${pathTenant}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    token_endpoint_auth_signing_alg_values_supported: ["RS256", "PS256"],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["ES256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${ctx.url}/${issuerTenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${base}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: [
      "sub",
      "iss",
      "cloud_instance_name",
      "cloud_instance_host_name",
      "cloud_graph_host_name",
      "msgraph_host",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "acr",
      "nonce",
      "preferred_username",
      "name",
      "tid",
      "ver",
      "at_hash",
      "c_hash",
      "email",
    ],
    kerberos_endpoint: `${base}/kerberos`,
    code_challenge_methods_supported: ["S256"],
    tenant_region_scope: null,
    cloud_instance_name: "dev-authority.invalid",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
    rbac_url: "https://pas.windows.net",
  };
}

export function instanceDiscovery(ctx: AuthorityContext, query: URLSearchParams): Record<string, unknown> {
  const endpoint = query.get("authorization_endpoint");
  let tenant = "common";
  if (endpoint) {
    let u: URL;
    try {
      u = new URL(endpoint);
    } catch {
      throw new OAuthError("invalid_instance", 50049, "Unknown or invalid instance.");
    }
    if (u.host.toLowerCase() !== ctx.host.toLowerCase() && u.host.toLowerCase() !== ctx.host.replace("127.0.0.1", "localhost")) {
      throw new OAuthError("invalid_instance", 50049, "Unknown or invalid instance.");
    }
    const seg = u.pathname.split("/").filter(Boolean)[0];
    if (seg) tenant = ctx.resolveTenant(seg).segment;
  }
  return {
    tenant_discovery_endpoint: `${ctx.url}/${tenant}/v2.0/.well-known/openid-configuration`,
    "api-version": "1.1",
    metadata: [{ preferred_network: ctx.host, preferred_cache: ctx.host, aliases: [ctx.host] }],
  };
}
