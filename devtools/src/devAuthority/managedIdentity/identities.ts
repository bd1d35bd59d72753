// The managed identities the endpoints know, and the one a request selects.
import { stableGuid } from "../defaults";
import type { DevManagedIdentity } from "./types";

const SUBSCRIPTION = stableGuid("subscription:dev");

export function defaultIdentities(): DevManagedIdentity[] {
  const group = `/subscriptions/${SUBSCRIPTION}/resourceGroups/dev`;
  return [
    {
      clientId: stableGuid("mi:system:client"),
      objectId: stableGuid("mi:system:object"),
      resourceId: `${group}/providers/Microsoft.Compute/virtualMachines/dev-vm`,
      systemAssigned: true,
    },
    {
      clientId: stableGuid("mi:user:client"),
      objectId: stableGuid("mi:user:object"),
      resourceId: `${group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/dev-identity`,
    },
  ];
}

/** How a request names its identity: the query (or form) parameter and its value; none = system-assigned. */
export interface IdentitySelector {
  by: "clientId" | "objectId" | "resourceId";
  value: string;
}

/** The selector of a request, from the parameters each source's protocol uses. */
export function selectorOf(params: URLSearchParams): IdentitySelector | undefined {
  const clientId = params.get("client_id") ?? params.get("clientid");
  if (clientId) return { by: "clientId", value: clientId };
  const objectId = params.get("object_id") ?? params.get("principal_id");
  if (objectId) return { by: "objectId", value: objectId };
  const resourceId = params.get("msi_res_id") ?? params.get("mi_res_id");
  if (resourceId) return { by: "resourceId", value: resourceId };
  return undefined;
}

export function findIdentity(identities: DevManagedIdentity[], selector: IdentitySelector | undefined): DevManagedIdentity | undefined {
  if (!selector) return identities.find((i) => i.systemAssigned);
  const wanted = selector.value.toLowerCase();
  return identities.find((i) => i[selector.by].toLowerCase() === wanted);
}
