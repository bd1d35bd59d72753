// Under Windows Node: a worker thread starts a slow interactive WAM call and is terminated while it
// waits; the main thread lives on for a while after (the call's thread is still in the addon).
const path = require("node:path");
const { Worker, isMainThread, parentPort } = require("node:worker_threads");

if (isMainThread) {
  const started = Date.now();
  const worker = new Worker(__filename);
  worker.on("message", async () => {
    await new Promise((r) => setTimeout(r, 1000));
    const before = Date.now();
    await worker.terminate();
    const terminateMs = Date.now() - before;
    await new Promise((r) => setTimeout(r, 1500)); // the call's thread keeps running in the addon meanwhile
    console.log("RESULT " + JSON.stringify({ terminateMs, totalMs: Date.now() - started }));
  });
} else {
  const { loadNativeBroker } = require(path.join(process.env.ENTRA_BROKER_PACKAGE, "dist", "broker", "native.js"));
  const request = {
    providerId: "https://login.microsoft.com",
    authority: "organizations",
    clientId: "client",
    scope: "openid",
    prompt: 1,
    properties: {},
  };
  loadNativeBroker()
    .addon.call("interactiveToken", JSON.stringify(request), { parentWindowHandle: 0x10 })
    .promise.catch(() => {});
  parentPort.postMessage("started");
}
