// Under Windows Node: load the package, report the addon and brokerStatus(), and probe WAM once.
const path = require("node:path");
const root = process.env.ENTRA_BROKER_PACKAGE; // the installed copy (test/wine/wine.mjs)
const { brokerStatus } = require(path.join(root, "dist", "index.js"));
const { loadNativeBroker } = require(path.join(root, "dist", "broker", "native.js"));

(async () => {
  const before = brokerStatus();
  const load = loadNativeBroker();
  let probe;
  try {
    const call = load.addon.call("availability", JSON.stringify({ providerId: "https://login.microsoft.com", authority: "organizations" }));
    probe = { ok: true, reply: await call.promise };
  } catch (error) {
    probe = { ok: false, code: error.code, osCode: error.osCode, message: error.message };
  }
  const result = {
    execPath: process.execPath,
    node: process.versions.node,
    backend: load.addon?.backend,
    loadError: load.error,
    before,
    probe,
  };
  console.log("RESULT " + JSON.stringify(result));
})();
