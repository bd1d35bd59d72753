// One process, one managed identity source (msal-node reads its environment once): gets tokens with
// our ManagedIdentityCredential or @azure/identity's, and prints one JSON line per call.
// MI_CHILD = {impl: "ours"|"anchor", clientId, options, scopes, calls, getTokenOptions, abortAfterMs (first call only), rawToken}
// Each line also counts the TCP connections the call opened (`connects`): what a remembered answer saves.
import diagnostics_channel from "node:diagnostics_channel";

const spec = JSON.parse(process.env.MI_CHILD);
let connects = 0;
diagnostics_channel.subscribe("net.client.socket", () => connects++);
const started = performance.now();
const { ManagedIdentityCredential } = spec.impl === "anchor" ? await import("@azure/identity") : await import("entra-broker");
const credential = spec.clientId ? new ManagedIdentityCredential(spec.clientId, spec.options) : new ManagedIdentityCredential(spec.options);
for (let i = 0; i < (spec.calls ?? 1); i++) {
  const t = performance.now();
  const connectsBefore = connects;
  let line;
  try {
    const getTokenOptions = { ...spec.getTokenOptions };
    if (spec.abortAfterMs && i === 0) getTokenOptions.abortSignal = AbortSignal.timeout(spec.abortAfterMs);
    const token = await credential.getToken(spec.scopes ?? "https://management.azure.com/.default", getTokenOptions);
    const claims = JSON.parse(Buffer.from(token.token.split(".")[1], "base64url").toString());
    line = { ok: true, claims, expiresOnTimestamp: token.expiresOnTimestamp, tokenSuffix: token.token.slice(-24) };
    if (spec.rawToken) line.token = token.token;
  } catch (e) {
    line = { ok: false, name: e.name, code: e.code, statusCode: e.statusCode, errorResponse: e.errorResponse, message: e.message };
  }
  line.ms = performance.now() - t;
  line.connects = connects - connectsBefore;
  line.sinceStart = performance.now() - started;
  line.msalLoaded = Object.keys((await import("node:module")).createRequire(import.meta.url).cache).some((k) => k.includes("msal-node"));
  console.log(JSON.stringify(line));
}
