import { credentialLogger } from "../logging";
import { TokenFront } from "../tokens/tokenFront";
import { checkTenantId } from "../util/validation";
import { checkToolTenant } from "./toolInput";

/** What the three developer-tool credentials take besides their tool's own options. */
export interface DeveloperToolOptions {
  tenantId?: string;
  additionallyAllowedTenants?: string[];
}

/**
 * The front of a developer-tool credential: one scope per request, the tool's own signed-in tenant
 * unless `tenantId` (or a call's `tenantId`) names one, tokens kept in memory until their refresh
 * time, one tool run shared by concurrent callers. Options are checked here, in the constructor.
 */
export function developerToolFront(name: string, options: DeveloperToolOptions): TokenFront {
  if (options.tenantId) checkToolTenant(options.tenantId);
  const allowed = options.additionallyAllowedTenants ?? [];
  for (const tenant of allowed) if (tenant !== "*") checkTenantId(tenant);
  return new TokenFront({
    tenantId: options.tenantId || undefined,
    additionallyAllowedTenants: [...allowed],
    logger: credentialLogger(name),
    singleScope: true,
  });
}
