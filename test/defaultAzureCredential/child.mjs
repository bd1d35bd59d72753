// One DefaultAzureCredential in a fresh process (its environment is the parent's choice), asked
// for tokens in turn; prints what each call gave as one JSON line. The token itself is never printed.
import { readFileSync } from "node:fs";
import { DefaultAzureCredential } from "entra-broker";

const { options = {}, calls = [{ scope: "https://management.azure.com/.default" }] } = JSON.parse(process.argv[2] ?? "{}");
if (options.authorityCaPath) {
  options.authorityCa = readFileSync(options.authorityCaPath);
  delete options.authorityCaPath;
}
const claims = (jwt) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString());
const describe = (e) => ({
  ok: false,
  name: e?.name,
  code: e?.code,
  message: e?.message,
  errors: e?.errors?.map((x) => ({ name: x?.name, code: x?.code })),
});

const results = [];
let credential;
try {
  credential = new DefaultAzureCredential(options);
} catch (error) {
  console.log(JSON.stringify({ constructed: false, error: describe(error) }));
  process.exit(0);
}
for (const call of calls) {
  const started = performance.now();
  try {
    const token = await credential.getToken(call.scope, call.tenantId ? { tenantId: call.tenantId } : {});
    const c = claims(token.token);
    results.push({
      ok: true,
      ms: performance.now() - started,
      claims: { tid: c.tid, aud: c.aud, appid: c.appid, idtyp: c.idtyp, upn: c.upn ?? c.preferred_username },
    });
  } catch (error) {
    results.push({ ...describe(error), ms: performance.now() - started });
  }
}
console.log(JSON.stringify({ constructed: true, results }));
