// Under Windows Node: Microsoft's own WAM client (MSALRuntime, the Windows build of
// @azure/msal-node-runtime) through msal-node and @azure/msal-node-extensions' NativeBrokerPlugin,
// against whatever WAM the Wine prefix has: silent sign-in of the default account, then account
// discovery. With POP_REQUEST ({method, url, nonce}) set, the silent sign-in asks for a
// proof-of-possession token for that resource request. The plugin module is imported by path: the
// package's main entry also loads keytar, whose Linux build is what node_modules holds here.
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = process.env.ENTRA_BROKER_PACKAGE;
const require = createRequire(path.join(root, "package.json"));
const errorInfo = (e) => ({ name: e?.name, errorCode: e?.errorCode, message: String(e?.message ?? e).slice(0, 500) });

const result = {};
try {
  const { msalNodeRuntime } = require("@azure/msal-node-runtime");
  result.runtimeLoaded = typeof msalNodeRuntime?.SignInSilentlyAsync === "function";
  result.startupError = msalNodeRuntime?.StartupError
    ? String(msalNodeRuntime.StartupError.errorContext ?? msalNodeRuntime.StartupError)
    : undefined;
  const extensions = path.dirname(require.resolve("@azure/msal-node-extensions/package.json"));
  const { NativeBrokerPlugin } = await import(pathToFileURL(path.join(extensions, "dist", "broker", "NativeBrokerPlugin.mjs")).href);
  const { PublicClientApplication } = require("@azure/msal-node");
  const plugin = new NativeBrokerPlugin();
  result.isBrokerAvailable = plugin.isBrokerAvailable;
  const pca = new PublicClientApplication({
    auth: { clientId: process.env.CLIENT_ID, authority: "https://login.microsoftonline.com/organizations" },
    broker: { nativeBrokerPlugin: plugin },
  });
  const pop = process.env.POP_REQUEST ? JSON.parse(process.env.POP_REQUEST) : undefined;
  try {
    const r = await pca.acquireTokenInteractive({
      scopes: ["https://graph.microsoft.com/.default"],
      prompt: "none",
      ...(pop ? { authenticationScheme: "pop", resourceRequestMethod: pop.method, resourceRequestUri: pop.url, shrNonce: pop.nonce } : {}),
      windowHandle: Buffer.alloc(8),
      openBrowser: async () => {
        throw new Error("no browser");
      },
    });
    result.silent = {
      tokenType: r.tokenType,
      accessToken: r.accessToken,
      username: r.account?.username,
      homeAccountId: r.account?.homeAccountId,
      expiresOn: r.expiresOn?.getTime(),
      scopes: r.scopes,
    };
  } catch (e) {
    result.silent = { error: errorInfo(e) };
  }
  try {
    const accounts = await pca.getAllAccounts();
    result.accounts = accounts.map((a) => ({ username: a.username, homeAccountId: a.homeAccountId, nativeAccountId: a.nativeAccountId }));
  } catch (e) {
    result.accounts = { error: errorInfo(e) };
  }
} catch (e) {
  result.error = errorInfo(e);
}
console.log("RESULT " + JSON.stringify(result));
process.exit(0);
