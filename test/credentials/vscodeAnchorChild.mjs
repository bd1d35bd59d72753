// @azure/identity's VisualStudioCodeCredential in a fresh process (MSALRuntime decides whether a
// broker exists when it loads; plugins are process-wide): first with the registry's
// @azure/identity-vscode 1.0.1, then with what 4.14's credential asks of a plugin (the record's
// path and a broker plugin: @azure/msal-node-extensions' NativeBrokerPlugin, i.e. MSALRuntime).
// Prints one JSON line; never a token, only its claims.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const identity = require("@azure/identity");
const { authorityHost, recordPath, scopes } = JSON.parse(process.argv[2]);

const claims = (jwt) => {
  const c = JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString());
  return { tid: c.tid, oid: c.oid, aud: c.aud, appid: c.appid ?? c.azp, upn: c.upn ?? c.preferred_username };
};
const failure = (e) => ({ ok: false, name: e?.name, message: String(e?.message ?? e) });
async function tokens(credential) {
  const out = [];
  for (const scope of scopes) {
    try {
      out.push({ ok: true, claims: claims((await credential.getToken(scope)).token) });
    } catch (e) {
      out.push(failure(e));
    }
  }
  return out;
}
const credential = () => new identity.VisualStudioCodeCredential({ authorityHost, disableInstanceDiscovery: true });

const result = {};
try {
  identity.useIdentityPlugin(require("@azure/identity-vscode").vsCodePlugin);
  result.registryPlugin = { ok: true };
} catch (e) {
  result.registryPlugin = failure(e);
}
result.withRegistryPlugin = await tokens(credential());

// What a plugin for 4.14 must hand over (the shape of msalNodeFlowVSCodeCredentialControl).
const { NativeBrokerPlugin } = require("@azure/msal-node-extensions");
const broker = new NativeBrokerPlugin();
result.brokerAvailable = broker.isBrokerAvailable;
identity.useIdentityPlugin(({ vsCodeCredentialControl }) => {
  vsCodeCredentialControl.setVSCodeAuthRecordPath(recordPath);
  vsCodeCredentialControl.setVSCodeBroker(broker);
});
result.withBroker = await tokens(credential());
console.log(JSON.stringify(result));
process.exit(0); // MSALRuntime keeps its process alive on its own
