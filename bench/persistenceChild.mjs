// One fresh process of the persisted-cache bench: import the package, get a token silently from the
// persisted cache (a record, no interaction), print the times since the process started.
import { performance } from "node:perf_hooks";

const input = JSON.parse(process.argv[2]);
const started = performance.now();
let token;
if (input.pkg === "entra-broker") {
  const ours = await import("entra-broker");
  const imported = performance.now();
  const cred = new ours.DeviceCodeCredential({
    // The same options as @azure/identity's below: its CA through NODE_EXTRA_CA_CERTS, no instance discovery.
    authorityHost: input.url,
    tenantId: input.tenant,
    disableInstanceDiscovery: true,
    authenticationRecord: ours.deserializeAuthenticationRecord(input.record),
    disableAutomaticAuthentication: true,
    tokenCachePersistenceOptions: { enabled: true, name: input.name },
  });
  token = await cred.getToken(input.scope);
  report(imported);
} else {
  const identity = await import("@azure/identity");
  const { cachePersistencePlugin } = await import("@azure/identity-cache-persistence");
  identity.useIdentityPlugin(cachePersistencePlugin);
  const imported = performance.now();
  const cred = new identity.DeviceCodeCredential({
    authorityHost: input.url,
    tenantId: input.tenant,
    disableInstanceDiscovery: true,
    authenticationRecord: identity.deserializeAuthenticationRecord(input.record),
    disableAutomaticAuthentication: true,
    tokenCachePersistenceOptions: { enabled: true, name: input.name },
  });
  token = await cred.getToken(input.scope);
  report(imported);
}

function report(imported) {
  const done = performance.now();
  process.stdout.write(`${JSON.stringify({ ok: !!token?.token, total: done, getToken: done - imported, importMs: imported - started })}\n`);
  process.exit(0);
}
