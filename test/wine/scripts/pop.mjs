// Under Windows Node, against the stand-in WAM: proof-of-possession tokens from
// InteractiveBrowserBrokerCredential. SCENARIO (JSON) names the credential's options and the
// `requests` to make in turn, each {url, method, nonce?} (or {bearer: true}); every outcome is
// printed as "RESULT <json>".
import { createRequire } from "node:module";
import path from "node:path";

const root = process.env.ENTRA_BROKER_PACKAGE;
const require = createRequire(path.join(root, "package.json"));
const entra = require(path.join(root, "dist", "index.js"));

const scenario = JSON.parse(process.env.SCENARIO ?? "{}");
const credential = new entra.InteractiveBrowserBrokerCredential({
  authorityHost: scenario.authorityHost,
  tenantId: scenario.tenantId,
  clientId: scenario.clientId,
  parentWindowHandle: Buffer.from("efbeadde00000000", "hex"),
  openBrowser: async () => {
    throw new Error("the browser must not open while WAM is here");
  },
  ...scenario.credentialOptions,
});

const outcomes = [];
for (const r of scenario.requests) {
  const options = r.bearer
    ? {}
    : { proofOfPossessionOptions: { resourceRequestMethod: r.method, resourceRequestUrl: r.url, ...(r.nonce ? { nonce: r.nonce } : {}) } };
  try {
    const t = await credential.getToken(scenario.scope, options);
    outcomes.push({ token: t.token, tokenType: t.tokenType, expiresOnTimestamp: t.expiresOnTimestamp });
  } catch (e) {
    outcomes.push({
      error: {
        name: e?.name,
        code: e?.code,
        message: String(e?.message ?? e).slice(0, 600),
        causeCode: e?.cause?.errorCode ?? e?.cause?.code,
      },
    });
  }
}
console.log("RESULT " + JSON.stringify(outcomes));
process.exit(0);
