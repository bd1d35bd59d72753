// DefaultAzureCredential end to end, each case in a fresh process with its own environment: the
// dev authority (service principal, users), its managed identity endpoints (IMDS refused or
// black-holed, on loopback), and stand-in az/pwsh/azd on PATH (the real az: realAzureCli.test.mjs).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DevAuthority, StandInTools } from "entra-broker-devtools";
import { chainOptions as optionsFor, runChild as run } from "./harness.mjs";

const SP = { clientId: "6f1c1e2a-5d0b-4f7e-9a51-3c2b1d0e9f88", clientSecret: "dac-test-secret-value-1" };
const ARM = "https://management.azure.com/.default";
const GRAPH = "https://graph.microsoft.com/.default";
const CHAIN_NAMES = [
  "EnvironmentCredential",
  "WorkloadIdentityCredential",
  "ManagedIdentityCredential",
  "VisualStudioCodeCredential",
  "AzureCliCredential",
  "AzurePowerShellCredential",
  "AzureDeveloperCliCredential",
  "BrokerCredential",
];

let authority, mi, home;

before(async () => {
  authority = await DevAuthority.start({ clients: [SP] });
  mi = await authority.startManagedIdentity();
  home = mkdtempSync(path.join(tmpdir(), "dac-home-"));
});
after(async () => {
  await mi?.close();
  await authority?.close();
  rmSync(home, { recursive: true, force: true });
});

function tools(options = {}) {
  const user = authority.users[0];
  return new StandInTools({
    authority: { url: authority.url, caPath: authority.caPath },
    username: user.username,
    password: user.password,
    tenantId: authority.tenants[0].tenantId,
    ...options,
  });
}

/** The child's environment: nothing of this machine's Azure set-up, IMDS pointed at loopback. */
function env(t, extra = {}) {
  const base = { PATH: t ? t.pathWith() : path.dirname(process.execPath), HOME: home, AZURE_CONFIG_DIR: path.join(home, ".azure-none") };
  return { ...mi.env("imds", base), ...extra };
}

const chainOptions = (extra = {}) => optionsFor(authority, extra);

async function refusedImds() {
  await mi.clearFaults();
  mi.injectFault("imds", { kind: "refuse", times: Infinity });
}

test("with a service principal in the environment, EnvironmentCredential answers and the developer tools never run", async () => {
  await refusedImds();
  const t = tools();
  try {
    authority.resetCounters();
    const out = await run(
      env(t, { AZURE_TENANT_ID: authority.tenants[0].tenantId, AZURE_CLIENT_ID: SP.clientId, AZURE_CLIENT_SECRET: SP.clientSecret }),
      { options: chainOptions(), calls: [{ scope: ARM }, { scope: ARM }] },
    );
    assert.ok(
      out.results.every((r) => r.ok),
      JSON.stringify(out),
    );
    assert.equal(out.results[0].claims.appid, SP.clientId);
    assert.equal(out.results[0].claims.idtyp, "app");
    assert.equal(authority.counters.tokenByGrant.client_credentials, 1, "the second call came from memory");
    assert.equal(t.runs().length, 0);
  } finally {
    t.close();
  }
});

test("off Azure with IMDS refused, the chain reaches az; later calls go straight to it and az runs once per scope", async () => {
  await refusedImds();
  const t = tools();
  try {
    mi.resetCounters();
    const out = await run(env(t), { options: chainOptions(), calls: [{ scope: ARM }, { scope: ARM }, { scope: GRAPH }] });
    assert.ok(
      out.results.every((r) => r.ok),
      JSON.stringify(out),
    );
    assert.equal(out.results[0].claims.upn, authority.users[0].username);
    assert.equal(t.runs("az").length, 2, "one az run per scope; the repeat came from memory");
    assert.equal(t.runs("pwsh").length + t.runs("azd").length, 0);
  } finally {
    t.close();
  }
});

test("IMDS that accepts and never answers costs one bounded probe per process, not one per call", async () => {
  await mi.clearFaults();
  mi.injectFault("imds", { kind: "blackhole", times: Infinity });
  const t = tools();
  try {
    mi.resetCounters();
    const out = await run(env(t), {
      options: chainOptions({ excludeEnvironmentCredential: true }),
      calls: [{ scope: ARM }, { scope: GRAPH }],
    });
    assert.ok(
      out.results.every((r) => r.ok),
      JSON.stringify(out),
    );
    assert.equal(mi.counters.imds.requests, 1, "one probe for the whole process");
    assert.ok(out.results[0].ms < 10_000, `bounded (took ${out.results[0].ms} ms)`);
  } finally {
    t.close();
    await mi.clearFaults();
  }
});

test("when nothing works, the error lists every credential in the chain's order with its reason and code", async () => {
  await refusedImds();
  const t = tools({ tools: [] });
  try {
    const out = await run(env(t), { options: chainOptions() });
    const [r] = out.results;
    assert.equal(r.name, "AggregateAuthenticationError");
    assert.deepEqual(
      r.errors.map((e) => e.name),
      CHAIN_NAMES.map(() => "CredentialUnavailableError"),
    );
    for (const name of CHAIN_NAMES) assert.match(r.message, new RegExp(`^- ${name}: \\S`, "m"));
    assert.ok(
      r.errors.every((e) => typeof e.code === "string" && e.code.length > 0),
      JSON.stringify(r.errors),
    );
  } finally {
    t.close();
  }
});

test("AZURE_TOKEN_CREDENTIALS: prod leaves the developer tools out, one name runs only that one, dev skips managed identity", async () => {
  await refusedImds();
  const t = tools();
  try {
    const prod = await run(env(t, { AZURE_TOKEN_CREDENTIALS: "prod" }), { options: chainOptions() });
    assert.equal(prod.results[0].name, "AggregateAuthenticationError");
    assert.equal(prod.results[0].errors.length, 3);
    assert.equal(t.runs().length, 0);

    mi.resetCounters();
    const one = await run(env(t, { AZURE_TOKEN_CREDENTIALS: "AzureCliCredential" }), { options: chainOptions() });
    assert.ok(one.results[0].ok);
    assert.equal(mi.counters.imds.requests, 0);

    const dev = await run(env(t, { AZURE_TOKEN_CREDENTIALS: " Dev " }), { options: chainOptions() });
    assert.ok(dev.results[0].ok);
    assert.equal(mi.counters.imds.requests, 0, "dev has no managed identity step");

    const bad = await run(env(t, { AZURE_TOKEN_CREDENTIALS: "staging" }), { options: chainOptions() });
    assert.equal(bad.constructed, false);
    assert.equal(bad.error.name, "TypeError", "InvalidArgumentError is a TypeError");
    assert.equal(bad.error.code, "INVALID_AZURE_TOKEN_CREDENTIALS");
    assert.match(bad.error.message, /prod.*dev.*AzureCliCredential/s);
  } finally {
    t.close();
  }
});

test("exclude options skip a step: without the Azure CLI, Azure PowerShell answers", async () => {
  await refusedImds();
  const t = tools();
  try {
    const out = await run(env(t), { options: chainOptions({ excludeAzureCliCredential: true }) });
    assert.ok(out.results[0].ok, JSON.stringify(out));
    assert.equal(t.runs("az").length, 0);
    assert.equal(t.runs("pwsh").length, 1);
  } finally {
    t.close();
  }
});

test("az signed out hands over to the next tool; a broken az ends the chain with its own error", async () => {
  await refusedImds();
  const t = tools();
  try {
    t.setMode("signed-out", "az");
    const out = await run(env(t), { options: chainOptions() });
    assert.ok(out.results[0].ok, JSON.stringify(out));
    assert.equal(t.runs("pwsh").length, 1);

    t.setMode("garbage", "az");
    const broken = await run(env(t), { options: chainOptions() });
    assert.equal(broken.results[0].ok, false);
    assert.notEqual(broken.results[0].name, "AggregateAuthenticationError");
    assert.notEqual(broken.results[0].name, "CredentialUnavailableError");
    assert.equal(t.runs("pwsh").length, 1, "nothing after a broken az was tried");
  } finally {
    t.close();
  }
});

test("requiredEnvVars: a missing variable stops the constructor with a typed error", async () => {
  const out = await run(env(undefined), { options: chainOptions({ requiredEnvVars: ["AZURE_CLIENT_ID", "AZURE_TENANT_ID"] }) });
  assert.equal(out.constructed, false);
  assert.equal(out.error.name, "TypeError", "InvalidArgumentError is a TypeError");
  assert.equal(out.error.code, "MISSING_ENVIRONMENT_VARIABLE");
  assert.match(out.error.message, /AZURE_CLIENT_ID, AZURE_TENANT_ID/);
});

test("a per-request tenant reaches the tool that answers", async () => {
  await refusedImds();
  const t = tools();
  try {
    const other = authority.tenants[1].tenantId;
    const out = await run(env(t), { options: chainOptions(), calls: [{ scope: ARM, tenantId: other }] });
    assert.ok(out.results[0].ok, JSON.stringify(out));
    assert.equal(out.results[0].claims.tid, other);
  } finally {
    t.close();
  }
});

/** Until the token of `result` has expired: the next call for its scope must ask a tool again. */
async function untilExpired(result) {
  while (Date.now() <= result.expiresOnTimestamp + 50) await new Promise((r) => setTimeout(r, 100));
}

test("the remembered az signs out and its token expires: the whole chain is tried again, PowerShell answers and is remembered", async () => {
  await refusedImds();
  const t = tools();
  authority.setTokenLifetime(3);
  try {
    const out = await run(
      env(t),
      { options: chainOptions(), calls: [{ scope: ARM }, { scope: ARM, gate: true }, { scope: ARM }, { scope: GRAPH }] },
      async (_, [first]) => {
        assert.ok(first.ok, JSON.stringify(first));
        assert.equal(t.runs("az").length, 1);
        t.setMode("signed-out", "az");
        authority.setTokenLifetime(3600); // only the first token is short-lived
        await untilExpired(first);
      },
    );
    assert.ok(
      out.results.every((r) => r.ok),
      JSON.stringify(out),
    );
    assert.equal(out.results[1].claims.upn, authority.users[0].username);
    assert.equal(t.runs("az").length, 2, "az: the first token, then once more to find it signed out (not again in the retried chain)");
    assert.equal(
      t.runs("pwsh").length,
      2,
      "PowerShell: the second token (the third call came from memory), then GRAPH with no az run first",
    );
    assert.equal(t.runs("azd").length, 0);
  } finally {
    authority.setTokenLifetime(3600);
    t.close();
  }
});

test("the remembered az breaks (not unavailable): its own error is reported, nothing else is tried", async () => {
  await refusedImds();
  const t = tools();
  authority.setTokenLifetime(3);
  try {
    const out = await run(env(t), { options: chainOptions(), calls: [{ scope: ARM }, { scope: ARM, gate: true }] }, async (_, [first]) => {
      assert.ok(first.ok, JSON.stringify(first));
      t.setMode("garbage", "az");
      authority.setTokenLifetime(3600);
      await untilExpired(first);
    });
    const broken = out.results[1];
    assert.equal(broken.ok, false);
    assert.equal(broken.name, "AuthenticationError", JSON.stringify(broken));
    assert.match(broken.message, /az|Azure CLI/i);
    assert.equal(t.runs("az").length, 2);
    assert.equal(t.runs("pwsh").length + t.runs("azd").length, 0, "no silent switch to another tool's identity");
  } finally {
    authority.setTokenLifetime(3600);
    t.close();
  }
});
