// One package's DefaultAzureCredential in a fresh process, three getToken calls for one scope;
// prints the times as JSON. The environment (az, IMDS) is the parent's.
import { performance } from "node:perf_hooks";

const which = process.argv[2];
const { DefaultAzureCredential } = await import(which === "ours" ? "entra-broker" : "@azure/identity");
const credential = new DefaultAzureCredential();
const times = [];
for (let i = 0; i < 3; i++) {
  const started = performance.now();
  await credential.getToken("https://management.core.windows.net//.default");
  times.push(performance.now() - started);
  // One line per call: a parent that stops a slow process still has the calls that finished.
  console.log(JSON.stringify({ first: times[0], second: times[1], third: times[2] }));
}
