// Default tenants and users, with ids derived deterministically from their names.
import { createHash } from "node:crypto";
import type { DevTenant, DevUser } from "./types";

/** A stable GUID-shaped id derived from a name (same input, same id, every run). */
export function stableGuid(name: string): string {
  const h = createHash("sha256").update(`entra-broker-dev-authority:${name}`).digest("hex");
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function defaultTenants(): DevTenant[] {
  return [
    { tenantId: stableGuid("tenant:contoso"), domain: "contoso.example" },
    { tenantId: stableGuid("tenant:fabrikam"), domain: "fabrikam.example" },
  ];
}

export function defaultUsers(tenants: DevTenant[]): DevUser[] {
  const [contoso, fabrikam] = tenants;
  return [
    {
      username: "ada@contoso.example",
      password: "ada-password",
      displayName: "Ada Lovelace",
      homeTenantId: contoso.tenantId,
      tenants: [contoso.tenantId, fabrikam.tenantId],
    },
    {
      username: "grace@contoso.example",
      password: "grace-password",
      displayName: "Grace Hopper",
      homeTenantId: contoso.tenantId,
      tenants: [contoso.tenantId],
    },
    {
      username: "linus@fabrikam.example",
      password: "linus-password",
      displayName: "Linus Torvalds",
      homeTenantId: fabrikam.tenantId,
      tenants: [fabrikam.tenantId],
    },
  ];
}

/** Fills in objectId, homeTenantId, tenants and guestObjectIds (keyed by lower-case tenant id) so the rest of the code can rely on them. */
export function normalizeUsers(users: DevUser[], tenants: DevTenant[]): Required<DevUser>[] {
  return users.map((u) => {
    const home = u.homeTenantId ?? tenantForUsername(u.username, tenants)?.tenantId ?? tenants[0]?.tenantId ?? "";
    const memberOf = u.tenants ?? tenants.map((t) => t.tenantId);
    const guestObjectIds: Record<string, string> = {};
    for (const tenant of memberOf.filter((t) => t.toLowerCase() !== home.toLowerCase())) {
      guestObjectIds[tenant.toLowerCase()] =
        u.guestObjectIds?.[tenant] ??
        u.guestObjectIds?.[tenant.toLowerCase()] ??
        stableGuid(`guest:${u.username.toLowerCase()}:${tenant.toLowerCase()}`);
    }
    return {
      username: u.username,
      password: u.password,
      displayName: u.displayName,
      objectId: u.objectId ?? stableGuid(`user:${u.username.toLowerCase()}`),
      homeTenantId: home,
      tenants: memberOf,
      guestObjectIds,
    };
  });
}

function tenantForUsername(username: string, tenants: DevTenant[]): DevTenant | undefined {
  const domain = username.split("@")[1]?.toLowerCase();
  return tenants.find((t) => t.domain.toLowerCase() === domain);
}
