// How the bench times a cached getToken. No imports beyond Node's: children load it before they measure.
import { performance } from "node:perf_hooks";

/** A cached getToken's time, p50 and p99 in µs: 1000 calls to warm up, then `n` timed one by one. */
export async function cachedGetTokenTimes(credential, scope, n = 20000) {
  for (let i = 0; i < 1000; i++) await credential.getToken(scope);
  const samples = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await credential.getToken(scope);
    samples[i] = performance.now() - t;
  }
  samples.sort();
  return { p50: samples[n >> 1] * 1000, p99: samples[Math.floor(n * 0.99)] * 1000 };
}
