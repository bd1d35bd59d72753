// Child process: @azure/identity's own AzureCliCredential gets one token through the az on PATH
// (the environment the parent gives it) and prints it with the time getToken took.
import { AzureCliCredential } from "@azure/identity";

const [scope, tenantId] = process.argv.slice(2);
const credential = new AzureCliCredential(tenantId ? { tenantId } : {});
const started = performance.now();
const token = await credential.getToken(scope);
const ms = Math.round(performance.now() - started);
process.stdout.write(JSON.stringify({ token: token.token, expiresOnTimestamp: token.expiresOnTimestamp, ms }));
