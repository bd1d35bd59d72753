// Under Windows Node, against the stand-in WAM: one scenario of InteractiveBrowserBrokerCredential
// (or of msal-node with our plugin), named by argv[2]. Options come as JSON in SCENARIO; the result
// is printed as "RESULT <json>". No browser may open: WAM is there.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const root = process.env.ENTRA_BROKER_PACKAGE;
const require = createRequire(path.join(root, "package.json"));
const entra = require(path.join(root, "dist", "index.js"));
const { loadNativeBroker } = require(path.join(root, "dist", "broker", "native.js"));
const { NativeBrokerPlugin } = require(path.join(root, "dist", "broker", "plugin.js"));
const { windowsBroker } = require(path.join(root, "dist", "broker", "windows.js"));
const { PublicClientApplication } = require("@azure/msal-node");

const scenario = JSON.parse(process.env.SCENARIO ?? "{}");
const SCOPE = "https://graph.microsoft.com/.default";
const noBrowser = async () => {
  throw new Error("the browser must not open while WAM is here");
};
const errorInfo = (e) => ({
  name: e?.name,
  message: String(e?.message ?? e).slice(0, 600),
  code: e?.code,
  error: e?.errorResponse?.error,
  statusCode: e?.statusCode,
  causeCode: e?.cause?.errorCode ?? e?.cause?.code,
});

function credential(extra = {}) {
  return new entra.InteractiveBrowserBrokerCredential({
    authorityHost: scenario.authorityHost,
    authorityCa: scenario.authorityCa,
    tenantId: scenario.tenantId,
    clientId: scenario.clientId,
    parentWindowHandle: Buffer.from(scenario.hwnd ?? "efbeadde00000000", "hex"),
    openBrowser: noBrowser,
    ...scenario.credentialOptions,
    ...extra,
  });
}

function msalApp() {
  const plugin = new NativeBrokerPlugin(loadNativeBroker().addon, windowsBroker);
  return new PublicClientApplication({
    auth: { clientId: scenario.clientId, authority: `${scenario.authorityHost}/${scenario.tenantId}` },
    broker: { nativeBrokerPlugin: plugin },
  });
}

const phases = {
  async interactive() {
    const cred = credential();
    const record = await cred.authenticate(SCOPE);
    const token = await cred.getToken("https://storage.azure.com/.default");
    return {
      record: entra.serializeAuthenticationRecord(record),
      token: token.token,
      tokenType: token.tokenType,
      expiresOnTimestamp: token.expiresOnTimestamp,
      status: entra.brokerStatus(),
    };
  },
  /** A claims challenge after sign-in: interactive again, for the known account. */
  async claims() {
    const cred = credential();
    await cred.authenticate(SCOPE);
    const token = await cred.getToken(SCOPE, { claims: scenario.claims });
    return { token: token.token };
  },
  async silent() {
    const record = entra.deserializeAuthenticationRecord(scenario.record);
    const cred = credential({ authenticationRecord: record, disableAutomaticAuthentication: true });
    const token = await cred.getToken(SCOPE);
    return { token: token.token, expiresOnTimestamp: token.expiresOnTimestamp };
  },
  async accounts() {
    const app = msalApp();
    const before = await app.getAllAccounts();
    const target = before.find((a) => a.username === scenario.signOut);
    if (target) await app.signOut({ account: target });
    const after = await app.getAllAccounts();
    const pick = (list) =>
      list.map((a) => ({ username: a.username, homeAccountId: a.homeAccountId, nativeAccountId: a.nativeAccountId, tenantId: a.tenantId }));
    return { before: pick(before), after: pick(after) };
  },
  async defaultAccount() {
    const token = await credential({ useDefaultBrokerAccount: true }).getToken(SCOPE);
    return { token: token.token };
  },
  /** Each case: write the stand-in's script, run one call, record the error. */
  async errors() {
    const out = {};
    for (const c of scenario.cases) {
      writeFileSync(scenario.standInScript, JSON.stringify(c.standIn));
      try {
        if (c.call === "silent") {
          const cred = credential({
            authenticationRecord: entra.deserializeAuthenticationRecord(scenario.record),
            disableAutomaticAuthentication: true,
          });
          await cred.getToken(SCOPE);
        } else {
          await credential().authenticate(SCOPE);
        }
        out[c.name] = { ok: true };
      } catch (e) {
        out[c.name] = errorInfo(e);
      }
    }
    return out;
  },
  async abort() {
    const started = Date.now();
    try {
      await credential().authenticate(SCOPE, { abortSignal: AbortSignal.timeout(scenario.abortAfterMs) });
      return { ok: true };
    } catch (e) {
      return { error: errorInfo(e), elapsedMs: Date.now() - started };
    }
  },
  async timeout() {
    const started = Date.now();
    try {
      await credential({ timeout: scenario.timeoutMs }).authenticate(SCOPE);
      return { ok: true };
    } catch (e) {
      return { error: errorInfo(e), elapsedMs: Date.now() - started };
    }
  },
};

let result;
try {
  result = await phases[process.argv[2]]();
} catch (e) {
  result = { failed: errorInfo(e) };
}
console.log("RESULT " + JSON.stringify(result));
process.exit(0);
