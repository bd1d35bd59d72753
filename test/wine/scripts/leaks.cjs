// Under Windows Node: every addon operation against the stand-in WAM, success and failure and
// cancel, one after another; then, after a pause, one more call, whose activation the stand-in logs
// with the number of its objects still alive (the test expects none: the addon released them all).
const path = require("node:path");
const { writeFileSync } = require("node:fs");
const { loadNativeBroker } = require(path.join(process.env.ENTRA_BROKER_PACKAGE, "dist", "broker", "native.js"));

const addon = loadNativeBroker().addon;
const scenario = JSON.parse(process.env.SCENARIO);
const base = {
  providerId: "https://login.microsoft.com",
  authority: "organizations",
  clientId: scenario.clientId,
  scope: "openid profile",
  properties: { wam_compat: "2.0", authority: "https://login.microsoftonline.com/organizations" },
};
const account = { accountId: scenario.accountId };

async function call(op, request, options = {}) {
  const c = addon.call(op, JSON.stringify(request), options);
  if (options.cancelAfterMs) setTimeout(() => c.cancel(), options.cancelAfterMs);
  try {
    return { ok: true, reply: JSON.parse(await c.promise) };
  } catch (e) {
    return { ok: false, code: e.code };
  }
}

(async () => {
  const log = [];
  const setScript = (s) => writeFileSync(scenario.standInScript, JSON.stringify(s));
  setScript(scenario.standIn);
  log.push(await call("availability", { providerId: base.providerId, authority: "organizations" }));
  log.push(await call("interactiveToken", { ...base, prompt: 1 }, { parentWindowHandle: 0x10 }));
  log.push(
    await call("accounts", { providerId: base.providerId, authorities: ["organizations", "consumers"], clientId: scenario.clientId }),
  );
  log.push(
    await call("accounts", {
      providerId: base.providerId,
      authorities: ["organizations", "consumers"],
      clientId: scenario.clientId,
      ...account,
    }),
  );
  log.push(await call("silentToken", { ...base, ...account, prompt: 0 }));
  const pop = {
    properties: { ...base.properties, token_type: "shr" },
    appProperties: { shr_method: "GET", shr_u: "api.contoso.com", shr_p: "/", shr_add_timestamp: "1" },
  };
  log.push(await call("silentToken", { ...base, ...account, ...pop, prompt: 0 }));
  log.push(await call("interactiveToken", { ...base, ...account, prompt: 0 }, { parentWindowHandle: 0x10 }));
  log.push(await call("silentToken", { ...base, defaultAccount: true, defaultProviderId: "https://login.windows.local", prompt: 0 }));
  setScript({ ...scenario.standIn, tokenOutcome: { on: "all", status: 5, errorCode: 0xcaa2000c, errorMessage: "provider error" } });
  log.push(await call("silentToken", { ...base, ...account, prompt: 0 }));
  setScript({ ...scenario.standIn, tokenOutcome: { on: "interactive", status: 0, delayMs: 60000 } });
  log.push(await call("interactiveToken", { ...base, prompt: 1 }, { parentWindowHandle: 0x10, cancelAfterMs: 500 }));
  log.push(await call("interactiveToken", { ...base, prompt: 1 }, { parentWindowHandle: 0x10, timeoutMs: 500 }));
  setScript(scenario.standIn);
  log.push(await call("signOut", { ...base, ...account }));
  log.push(await call("silentToken", { ...base, ...account, prompt: 0 }));
  await new Promise((r) => setTimeout(r, 1000)); // cancelled operations' threads wind down
  log.push(await call("availability", { providerId: base.providerId, authority: "organizations" }));
  const describe = (r) => (!r.ok ? r.code : r.reply.status !== undefined ? `status ${r.reply.status}` : Object.keys(r.reply).join(","));
  console.log("RESULT " + JSON.stringify(log.map(describe)));
  process.exit(0);
})();
