// One DefaultAzureCredential in a fresh process (its environment is the parent's choice), asked
// for tokens in turn; prints what each call gave as one JSON line. The token itself is never printed.
// A call with `gate: true` first prints {"gate": i, results} and waits for a line on stdin, so the
// parent can change the world (sign a tool out, let a token expire) between two calls.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
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
const stdin = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
for (const [i, call] of calls.entries()) {
  if (call.gate) {
    console.log(JSON.stringify({ gate: i, results }));
    await stdin.next();
  }
  const started = performance.now();
  try {
    const token = await credential.getToken(call.scope, call.tenantId ? { tenantId: call.tenantId } : {});
    const c = claims(token.token);
    results.push({
      ok: true,
      ms: performance.now() - started,
      expiresOnTimestamp: token.expiresOnTimestamp,
      claims: { tid: c.tid, aud: c.aud, appid: c.appid, idtyp: c.idtyp, upn: c.upn ?? c.preferred_username },
    });
  } catch (error) {
    results.push({ ...describe(error), ms: performance.now() - started });
  }
}
console.log(JSON.stringify({ constructed: true, results }));
process.exit(0);
