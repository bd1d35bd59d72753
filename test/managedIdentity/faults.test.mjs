// Off Azure, managed identity is cheap; on Azure, the endpoint's errors reach the caller as they are.
// IMDS refused: unavailable at once; black-holed: unavailable after one bounded probe; either is
// remembered for the process. 5xx and 4xx: AuthenticationError with the status; not JSON: a bad reply.
import assert from "node:assert/strict";
import { after, afterEach, before, test } from "node:test";
import { runChild, startManagedIdentity } from "./helpers.mjs";

let world;
before(async () => (world = await startManagedIdentity()));
afterEach(() => world.mi.clearFaults());
after(() => world?.close());

// How long each answer takes is measured in `npm run bench` (bench/managedIdentity.mjs), beside the
// anchor's; these tests hold what can fail for a reason: connections opened, probes, time limits.
test("IMDS refusing connections: CredentialUnavailableError after one connection attempt, msal-node never loaded, the next call asks nothing", async () => {
  world.mi.injectFault("imds", { kind: "refuse" });
  const run = await runChild(world.mi, "imds", { impl: "ours", calls: 2 });
  const [first, second] = run.lines;
  assert.equal(first.name, "CredentialUnavailableError", JSON.stringify(first));
  assert.equal(first.code, "MANAGED_IDENTITY_UNAVAILABLE");
  assert.match(first.message, /ECONNREFUSED/);
  assert.equal(first.connects, 1, "one attempt, no retries");
  assert.equal(first.msalLoaded, false);
  assert.equal(second.code, "MANAGED_IDENTITY_UNAVAILABLE");
  assert.equal(second.connects, 0, "IMDS's absence is remembered");
});

test("IMDS that accepts and never answers: unavailable after one probe of probeTimeoutMs, then remembered", async () => {
  world.mi.injectFault("imds", { kind: "blackhole", times: Infinity });
  const before = world.mi.counters.imds.requests;
  const run = await runChild(world.mi, "imds", { impl: "ours", calls: 3, options: { probeTimeoutMs: 300 } });
  const [first, second, third] = run.lines;
  assert.equal(first.code, "MANAGED_IDENTITY_UNAVAILABLE", JSON.stringify(first));
  assert.match(first.message, /did not answer within 300 ms/);
  assert.ok(first.ms >= 290 && first.ms < 5000, `took ${first.ms} ms`);
  assert.equal(second.code, "MANAGED_IDENTITY_UNAVAILABLE");
  assert.equal(second.connects + third.connects, 0, "the later calls ask nothing");
  assert.equal(world.mi.counters.imds.requests - before, 1, "one probe for the whole process");
});

test("alone, the probe waits its documented default (3 s) before calling IMDS absent", async () => {
  world.mi.injectFault("imds", { kind: "blackhole", times: Infinity });
  const run = await runChild(world.mi, "imds", { impl: "ours" });
  const [line] = run.lines;
  assert.equal(line.code, "MANAGED_IDENTITY_UNAVAILABLE");
  assert.ok(line.ms >= 2950 && line.ms < 10_000, `took ${line.ms} ms`);
});

test("a slow IMDS that answers within the probe still gives a token", async () => {
  world.mi.injectFault("imds", { kind: "delay", delayMs: 500, times: 2 });
  const run = await runChild(world.mi, "imds", { impl: "ours", options: { probeTimeoutMs: 1000 } });
  assert.equal(run.lines[0].ok, true, JSON.stringify(run.lines[0]));
  assert.ok(run.lines[0].ms >= 1000, "the probe and the token request were each held 500 ms");
});

test("aborting during the probe: AbortError, and IMDS is not marked absent", async () => {
  world.mi.injectFault("imds", { kind: "blackhole", times: 1 });
  const run = await runChild(world.mi, "imds", { impl: "ours", abortAfterMs: 100, calls: 2, options: { probeTimeoutMs: 2000 } });
  const [first, second] = run.lines;
  assert.equal(first.name, "AbortError", JSON.stringify(first));
  assert.ok(first.ms < 2000, `ended ${first.ms} ms in, not at the probe's own limit`);
  // The next call probes again (the fault is used up) and gets its token.
  assert.equal(second.ok, true, JSON.stringify(second));
});

test("IMDS answering 500: AuthenticationError with status 500 and the endpoint's error, after brief retries", async () => {
  world.mi.injectFault("imds", { kind: "status", status: 500, error: "server_error", message: "IMDS is restarting.", times: Infinity });
  const run = await runChild(world.mi, "imds", { impl: "ours" });
  const [line] = run.lines;
  assert.equal(line.name, "AuthenticationError", JSON.stringify(line));
  assert.equal(line.statusCode, 500);
  assert.equal(line.errorResponse.error, "server_error");
  assert.match(line.errorResponse.errorDescription, /IMDS is restarting/);
  assert.ok(line.ms < 10_000, `took ${line.ms} ms`);
});

test("App Service answering 503 in its own error shape: the message and status reach the caller", async () => {
  world.mi.injectFault("appService", { kind: "status", status: 503, message: "The identity service is busy.", times: Infinity });
  const run = await runChild(world.mi, "appService", { impl: "ours" });
  const [line] = run.lines;
  assert.equal(line.name, "AuthenticationError", JSON.stringify(line));
  assert.equal(line.statusCode, 503);
  assert.match(line.errorResponse.errorDescription, /identity service is busy/);
});

test("App Service with a wrong X-IDENTITY-HEADER: AuthenticationError 401", async () => {
  const run = await runChild(world.mi, "appService", { impl: "ours" }, { extraEnv: { IDENTITY_HEADER: "wrong" } });
  const [line] = run.lines;
  assert.equal(line.name, "AuthenticationError", JSON.stringify(line));
  assert.equal(line.statusCode, 401);
});

test("Service Fabric answering 400 in its nested error shape: its code and message", async () => {
  world.mi.injectFault("serviceFabric", { kind: "status", status: 400, error: "InvalidResource", message: "Bad resource." });
  const run = await runChild(world.mi, "serviceFabric", { impl: "ours" });
  const [line] = run.lines;
  assert.equal(line.statusCode, 400, JSON.stringify(line));
  assert.equal(line.errorResponse.error, "InvalidResource");
  assert.match(line.errorResponse.errorDescription, /Bad resource/);
});

test("a reply that is not JSON: AuthenticationError naming a bad reply, with the status", async () => {
  world.mi.injectFault("imds", { kind: "malformed", times: Infinity });
  const run = await runChild(world.mi, "imds", { impl: "ours" });
  const [line] = run.lines;
  assert.equal(line.name, "AuthenticationError", JSON.stringify(line));
  assert.equal(line.errorResponse.error, "managed_identity_bad_reply");
  assert.equal(line.statusCode, 200);
});

test("App Service refusing connections: CredentialUnavailableError MANAGED_IDENTITY_UNREACHABLE, without retries", async () => {
  world.mi.injectFault("appService", { kind: "refuse" });
  const run = await runChild(world.mi, "appService", { impl: "ours" });
  const [line] = run.lines;
  assert.equal(line.name, "CredentialUnavailableError", JSON.stringify(line));
  assert.equal(line.code, "MANAGED_IDENTITY_UNREACHABLE");
  assert.equal(line.connects, 1, JSON.stringify(line));
});

test("aborting while App Service holds the token request: AbortError at once, the request ended", async () => {
  world.mi.injectFault("appService", { kind: "delay", delayMs: 10_000 });
  const run = await runChild(world.mi, "appService", { impl: "ours", abortAfterMs: 200 });
  const [line] = run.lines;
  assert.equal(line.name, "AbortError", JSON.stringify(line));
  assert.ok(line.ms < 5000, `took ${line.ms} ms`);
  assert.ok(run.wallMs < 9000, `the process did not wait for the held request (exited after ${run.wallMs} ms)`);
});
