// Abort ends the request already sent: with a token endpoint that never answers, a process whose
// getToken is aborted exits by itself within a second (no 30 s wait, no retries).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { DevAuthority } from "entra-broker-devtools";

let authority;
before(async () => {
  authority = await DevAuthority.start({ deviceCodeIntervalSeconds: 1 });
});
after(() => authority.close());

/** The child: a device code sign-in nobody completes; abort once its poll hangs; report the time. */
const CHILD = `
const { DeviceCodeCredential } = require("entra-broker");
const input = JSON.parse(process.argv[1]);
const controller = new AbortController();
const cred = new DeviceCodeCredential({ authorityHost: input.url, authorityCa: input.ca, tenantId: input.tenant, userPromptCallback: () => {
  setTimeout(() => { console.log(JSON.stringify({ abortedAt: Date.now() })); controller.abort(); }, 2500);
} });
cred.getToken("https://graph.microsoft.com/.default", { abortSignal: controller.signal }).then(
  () => console.log(JSON.stringify({ error: "got a token" })),
  (e) => console.log(JSON.stringify({ error: e.name, rejectedAt: Date.now() })),
);`;

test("abort() during a hanging token request: getToken rejects with AbortError and the process exits within a second", async () => {
  authority.injectFault({ endpoint: "token", grantType: "device_code", delayMs: 120_000, times: Infinity });
  try {
    const input = { url: authority.url, ca: authority.ca, tenant: authority.tenants[0].tenantId };
    const child = spawn(process.execPath, ["-e", CHILD, JSON.stringify(input)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    const exitedAt = await new Promise((resolve) => child.on("exit", () => resolve(Date.now())));
    clearTimeout(killer);
    const lines = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const aborted = lines.find((l) => l.abortedAt);
    const result = lines.find((l) => l.error);
    assert.ok(aborted, out);
    assert.equal(result?.error, "AbortError");
    assert.ok(authority.counters.token >= 1, "a token request was in flight when abort() was called");
    assert.ok(exitedAt - aborted.abortedAt < 1000, `the process lived ${exitedAt - aborted.abortedAt} ms after abort()`);
  } finally {
    authority.clearFaults();
  }
});
