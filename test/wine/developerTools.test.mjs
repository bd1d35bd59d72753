// The developer-tool credentials' Windows paths, run for real: Windows Node under Wine finds az.cmd,
// azd.exe, pwsh.exe and powershell.exe on PATH with PATHEXT, runs the batch file through Wine's
// cmd.exe (/d /s /c, verbatim quoting) and the executables directly, and stops a hanging tool's
// process tree at the time limit. The tools are the stand-ins (devtools/stand-in-tools), shaped as
// Windows installs the real ones, signed in to the dev authority on the host's loopback.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { DevAuthority } from "entra-broker-devtools";
import { powerShellScript } from "../../dist/internal.js";
import { createPrefix, explainRun, nodeExe, root, winPath } from "./wine.mjs";
import { buildLauncher, windowsTools } from "./developerToolsFixture.mjs";

const script = path.join(root, "test", "wine", "scripts", "developerTools.mjs");
const SCOPE = "https://management.azure.com/.default";
const SYSTEM = ["C:\\windows\\system32", "C:\\windows"];
const claimsOf = (token) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));

let prefix;
let authority;
const tools = {};
before(async () => {
  prefix = await createPrefix();
  const launcher = buildLauncher(path.join(prefix.dir, "launcher.exe"));
  authority = await DevAuthority.start();
  // az where the Azure CLI's installer puts it: a folder with a space and parentheses.
  tools.main = windowsTools(authority, launcher, { folder: "Microsoft SDKs (x86)/Azure/CLI2/wbin" });
  tools.powershellOnly = windowsTools(authority, launcher, { tools: ["powershell"] });
  tools.both = windowsTools(authority, launcher, { tools: ["pwsh", "powershell"] });
  tools.odd = windowsTools(authority, launcher, { tools: ["az"], folder: "Tom & Jerry %OS%" });
  tools.azdBatch = windowsTools(authority, launcher, { tools: ["azd"], batch: ["azd"] });
});
after(async () => {
  for (const t of Object.values(tools)) t.close();
  await authority?.close();
  await prefix?.close();
});

/** PATH for the Windows process: these stand-in folders, then Windows Node's folder and the system's. */
const pathOf = (...sets) => [...sets.map((t) => winPath(t.dir)), winPath(path.dirname(nodeExe)), ...SYSTEM];

async function scenario(name, options) {
  // The script ends by itself: a tool left running (or a handle left open) fails the run at 60 s.
  const run = await prefix.node(script, { args: [name], env: { SCENARIO: JSON.stringify(options) }, timeoutMs: 60_000 });
  assert.ok(run.result, explainRun(run));
  return run.result;
}

function checkToken(got, tenantId, run) {
  assert.equal(got.error, undefined, JSON.stringify(got.error));
  const { token, expiresOnTimestamp, tokenType } = got.value;
  const claims = claimsOf(token);
  assert.equal(tokenType, "Bearer");
  assert.equal(claims.tid, tenantId);
  assert.equal(claims.aud, "https://management.azure.com");
  assert.equal(claims.preferred_username ?? claims.upn, authority.users[0].username);
  assert.ok(Math.abs(expiresOnTimestamp - claims.exp * 1000) < 1000, "the expiry read from the tool's output is the token's");
  assert.match(run.cwd, /^C:\\windows$/i, "the tool ran in %SystemRoot%, not the app's folder");
}

/** Each credential's result (the script's `each`) is CredentialUnavailableError with the code given. */
function checkUnavailable(results, codes) {
  for (const [tool, code] of Object.entries(codes)) {
    assert.equal(results[tool].error?.name, "CredentialUnavailableError", `${tool}: ${JSON.stringify(results[tool])}`);
    assert.equal(results[tool].error.code, code);
  }
}

// First: Wine's wmic (the tree fallback) answers more often in a prefix that has run nothing yet.
test("a hanging az.cmd is stopped at the time limit with its whole tree (cmd.exe, node, node's child)", async (t) => {
  tools.main.setMode("hang", "az");
  try {
    // The script returns by itself only once cmd.exe has ended (its child handle keeps it alive).
    const r = await scenario("hang", { path: pathOf(tools.main), toolsDir: winPath(tools.main.dir), timeoutMs: 5000 });
    assert.equal(r.run.error?.name, "CredentialUnavailableError", JSON.stringify(r.run));
    assert.equal(r.run.error.code, "DEVELOPER_TOOL_TIMED_OUT");
    assert.equal(r.pids.length, 2, `the stand-in started hanging before the limit (${JSON.stringify(r)})`);
    if (r.wmicAnswered) assert.deepEqual(r.stillRunning, [], `the tool and its child were ended: ${JSON.stringify(r)}`);
    else t.diagnostic("Wine's wmic did not answer in this prefix: cmd.exe was ended, the tree's end (wmic fallback) went unchecked");
  } finally {
    tools.main.setMode("signed-in");
  }
});

test("AzureCliCredential runs az.cmd through cmd.exe: the token, its tenant and expiry round-trip, arguments intact", async () => {
  const [home, other] = authority.tenants.map((t) => t.tenantId);
  const r = await scenario("az", { path: pathOf(tools.main), otherTenant: other });
  const runs = tools.main.runs("az").slice(-2);
  assert.equal(runs.length, 2, "az.cmd ran twice");
  checkToken(r.home, home, runs[0]);
  checkToken(r.other, other, runs[1]);
  assert.deepEqual(runs[0].args, ["account", "get-access-token", "--output", "json", "--resource", "https://management.azure.com"]);
  assert.deepEqual(runs[1].args.slice(-2), ["--tenant", other]);
  assert.equal(r.safeCwd.toLowerCase(), "c:\\windows");
});

test("signed out: az.cmd's exit code and stderr come back through cmd.exe, the launcher's through pwsh.exe and azd.exe", async () => {
  tools.main.setMode("signed-out");
  try {
    const r = await scenario("each", { path: pathOf(tools.main) });
    checkUnavailable(r, {
      az: "AZURE_CLI_NOT_SIGNED_IN",
      azd: "AZURE_DEVELOPER_CLI_NOT_SIGNED_IN",
      powershell: "AZURE_POWERSHELL_NOT_SIGNED_IN",
    });
    assert.match(r.az.error.message, /Please run 'az login'/, "az's own words, read from stderr");
  } finally {
    tools.main.setMode("signed-in");
  }
});

test("no tool on PATH: each credential is CredentialUnavailableError with its not-installed code", async () => {
  const r = await scenario("each", { path: [winPath(path.dirname(nodeExe)), ...SYSTEM] });
  checkUnavailable(r, {
    az: "AZURE_CLI_NOT_INSTALLED",
    azd: "AZURE_DEVELOPER_CLI_NOT_INSTALLED",
    powershell: "AZURE_POWERSHELL_NOT_INSTALLED",
  });
  assert.match(r.powershell.error.message, /pwsh or powershell/);
});

test("what cmd.exe could read as syntax (& and %) is refused before anything runs; an .exe gets the same text unchanged", async () => {
  const canary = path.join(prefix.dir, "canary.txt");
  const before = { az: tools.main.runs("az").length, odd: tools.odd.runs().length };
  const r = await scenario("refused", {
    path: pathOf(tools.main),
    oddPath: pathOf(tools.odd),
    canary: winPath(canary),
  });
  // az.cmd in a folder named "Tom & Jerry %OS%": unavailable (a chain moves on), nothing ran.
  assert.equal(r.viaCredential.error?.name, "CredentialUnavailableError", JSON.stringify(r.viaCredential));
  assert.equal(r.viaCredential.error.code, "DEVELOPER_TOOL_UNSAFE_FOR_CMD");
  assert.match(r.viaCredential.error.message, /Refusing to pass .*Tom & Jerry %OS%.* to cmd\.exe/);
  assert.equal(tools.odd.runs().length, before.odd);
  // The same refusal for an argument (the layer under the credentials' own validation, which
  // refuses such a tenant in the constructor).
  for (const refused of [r.ampersand, r.percent]) {
    assert.equal(refused.error?.code, "DEVELOPER_TOOL_UNSAFE_FOR_CMD", JSON.stringify(refused));
    assert.match(refused.error.message, /Refusing to pass/);
  }
  assert.equal(r.tenant.error?.code, "INVALID_TENANT_ID");
  assert.equal(r.canaryWritten, false, "cmd.exe never ran the text after &");
  assert.equal(existsSync(canary), false);
  // azd.exe (no cmd.exe): the text arrives as one argument each, unexpanded.
  assert.equal(r.exe.error, undefined, JSON.stringify(r.exe.error));
  const [exeRun] = tools.main.runs("azd").slice(-1);
  assert.deepEqual(exeRun.args, ["account", `x&echo ran>${winPath(canary)}`, "%OS%"]);
  assert.equal(tools.main.runs("az").length, before.az, "az.cmd never ran");
});

test("AzureDeveloperCliCredential runs azd.exe (as azd installs) and azd.cmd (through cmd.exe), claims passed as base64", async () => {
  const home = authority.tenants[0].tenantId;
  const exe = await scenario("azd", { path: pathOf(tools.main) });
  checkToken(exe, home, tools.main.runs("azd").at(-1));
  assert.deepEqual(tools.main.runs("azd").at(-1).args, ["auth", "token", "--output", "json", "--no-prompt", "--scope", SCOPE]);

  // Claims whose base64 holds a "+" (and "="), which cmd.exe reads as plain text.
  const claims = '{"access_token":{"acrs":{"essential":true,"value":"c1~"}}}';
  const encoded = Buffer.from(claims).toString("base64");
  assert.match(encoded, /\+/);
  const batch = await scenario("azd", { path: pathOf(tools.azdBatch), claims });
  const [run] = tools.azdBatch.runs("azd").slice(-1);
  checkToken(batch, home, run);
  assert.deepEqual(run.args.slice(-2), ["--claims", encoded]);
});

test("AzurePowerShellCredential: pwsh.exe when it is there, else powershell.exe, the script passed intact", async () => {
  const home = authority.tenants[0].tenantId;
  const script = powerShellScript("https://management.azure.com", undefined);

  const fallback = await scenario("powershell", { path: pathOf(tools.powershellOnly) });
  const [run] = tools.powershellOnly.runs("powershell").slice(-1);
  assert.ok(run, "powershell.exe ran");
  checkToken(fallback, home, run);
  assert.deepEqual(run.args, ["-NoProfile", "-NonInteractive", "-Command", script]);

  const first = await scenario("powershell", { path: pathOf(tools.both) });
  checkToken(first, home, tools.both.runs("pwsh").at(-1));
  assert.equal(tools.both.runs("powershell").length, 0, "pwsh found: Windows PowerShell not run");
});
