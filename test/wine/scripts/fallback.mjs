// Under Windows Node with no WAM: InteractiveBrowserBrokerCredential falls back to the browser flow
// (played over HTTP against the dev authority on the host's loopback) and says why.
import { createRequire } from "node:module";
import path from "node:path";
import { httpBrowser } from "../../helpers/signIn.mjs";

const root = process.env.ENTRA_BROKER_PACKAGE; // the installed copy (test/wine/wine.mjs)
const require = createRequire(path.join(root, "package.json"));
const { InteractiveBrowserBrokerCredential, brokerStatus } = require(path.join(root, "dist", "index.js"));
const { AzureLogger, setLogLevel } = require("@azure/logger");

const authority = JSON.parse(process.env.DEV_AUTHORITY);
const logged = [];
setLogLevel("info");
AzureLogger.log = (...args) => logged.push(args.join(" "));

const result = { logged };
try {
  const open = httpBrowser(authority, authority.user);
  const credential = new InteractiveBrowserBrokerCredential({
    authorityHost: authority.url,
    authorityCa: authority.ca,
    tenantId: authority.tenantId,
    parentWindowHandle: Buffer.from([0x34, 0x12, 0, 0, 0, 0, 0, 0]),
    openBrowser: open,
  });
  const record = await credential.authenticate("https://graph.microsoft.com/.default");
  result.username = record.username;
  result.opened = open.opened.length;
} catch (error) {
  result.error = `${error.name}: ${error.message}`;
}
result.status = brokerStatus();
console.log("RESULT " + JSON.stringify(result));
