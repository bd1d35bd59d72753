// One fresh process of the persisted-cache bench: import the package, get a token silently from the
// persisted cache (a record, no interaction), print the times since the process started.
import { performance } from "node:perf_hooks";
import { readFileSync } from "node:fs";

const input = JSON.parse(process.argv[2]);
const started = performance.now();
let token;
if (input.pkg === "entra-broker") {
  const ours = await import("entra-broker");
  const imported = performance.now();
  const cred = new ours.DeviceCodeCredential({
    authorityHost: input.url,
    authorityCa: readFileSync(input.caPath, "utf8"),
    tenantId: input.tenant,
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
