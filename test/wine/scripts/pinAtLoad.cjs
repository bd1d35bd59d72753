// Under Windows Node: only a worker thread loads the addon, makes no call, and ends; the main
// thread never loads it. Node would unload (FreeLibrary) the DLL with that last environment, and a
// call's thread that had just started would run on in unmapped code, so the addon pins itself at
// load. RESULT: whether the DLL is still mapped after the worker ended (the diagnostic report lists
// the process's modules).
const path = require("node:path");
const { Worker, isMainThread, parentPort } = require("node:worker_threads");

const loaded = () => process.report.getReport().sharedObjects.filter((m) => /entra-broker\.node$/i.test(m));
if (isMainThread) {
  const worker = new Worker(__filename);
  let backend = null;
  worker.on("message", (m) => (backend = m));
  worker.on("exit", async (code) => {
    await new Promise((r) => setTimeout(r, 500));
    console.log("RESULT " + JSON.stringify({ workerCode: code, backend, mainLoaded: false, mapped: loaded() }));
  });
} else {
  const { loadNativeBroker } = require(path.join(process.env.ENTRA_BROKER_PACKAGE, "dist", "broker", "native.js"));
  const load = loadNativeBroker();
  parentPort.postMessage(load.addon ? (load.addon.backend ?? "loaded") : `not loaded: ${load.reason ?? JSON.stringify(load)}`);
}
