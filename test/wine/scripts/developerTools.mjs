// Under Windows Node, with the Windows-shaped stand-in tools (az.cmd, azd.exe, pwsh.exe,
// powershell.exe: devtools/src/standInTools): one scenario of the developer-tool credentials, named
// by argv[2]. SCENARIO (JSON) gives PATH's folders and the scenario's options; the result is
// printed as "RESULT <json>".
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const root = process.env.ENTRA_BROKER_PACKAGE;
const require = createRequire(path.join(root, "package.json"));
const { AzureCliCredential, AzureDeveloperCliCredential, AzurePowerShellCredential } = require(path.join(root, "dist", "index.js"));
const { runProcess, safeWorkingDirectory } = require(path.join(root, "dist", "internal.js"));

const scenario = JSON.parse(process.env.SCENARIO ?? "{}");
const SCOPE = "https://management.azure.com/.default";
// PATH exactly as given: the credentials find only what a test put there (Wine's own PATH holds a
// powershell.exe stub that answers nothing).
process.env.PATH = scenario.path.join(";");

const errorInfo = (e) => ({ name: e?.name, code: e?.code, message: String(e?.message ?? e).slice(0, 600) });
const tokenInfo = (t) => ({ token: t.token, expiresOnTimestamp: t.expiresOnTimestamp, tokenType: t.tokenType });
const attempt = async (run) => {
  try {
    return { value: await run() };
  } catch (error) {
    return { error: errorInfo(error) };
  }
};
const running = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const scenarios = {
  /** A token through az.cmd (cmd.exe), then one for another tenant. */
  async az() {
    const credential = new AzureCliCredential();
    const home = await attempt(async () => tokenInfo(await credential.getToken(SCOPE)));
    const other = await attempt(async () => tokenInfo(await credential.getToken(SCOPE, { tenantId: scenario.otherTenant })));
    return { home, other, safeCwd: safeWorkingDirectory() };
  },

  /** Each credential once, whatever PATH holds (none of the tools, or tools that are signed out). */
  async each() {
    return {
      az: await attempt(() => new AzureCliCredential().getToken(SCOPE)),
      azd: await attempt(() => new AzureDeveloperCliCredential().getToken(SCOPE)),
      powershell: await attempt(() => new AzurePowerShellCredential().getToken(SCOPE)),
    };
  },

  /** What cmd.exe would read as syntax never reaches it (in an argument, or in az.cmd's own folder); the same text reaches an .exe unchanged. */
  async refused() {
    const canary = scenario.canary;
    process.env.PATH = scenario.oddPath.join(";");
    const viaCredential = await attempt(() => new AzureCliCredential().getToken(SCOPE));
    process.env.PATH = scenario.path.join(";");
    const ampersand = await attempt(() => runProcess("az", ["account", `x&echo ran>${canary}`], { timeoutMs: 10_000 }));
    const percent = await attempt(() => runProcess("az", ["account", "%OS%"], { timeoutMs: 10_000 }));
    const tenant = await attempt(() => new AzureCliCredential({ tenantId: "a&b" }));
    const exe = await attempt(async () => {
      const outcome = await runProcess("azd", ["account", `x&echo ran>${canary}`, "%OS%"], { timeoutMs: 10_000 });
      return { exitCode: outcome.exitCode, stderr: outcome.stderr };
    });
    return { viaCredential, ampersand, percent, tenant, exe, canaryWritten: existsSync(canary) };
  },

  /** az.cmd hangs with a child holding its pipes: the time limit ends cmd.exe, node and its child. */
  async hang() {
    // Wine 8's taskkill has no /T, so the wmic fallback ends the tree here. Wine's wmic sometimes
    // never answers in a fresh prefix (cause not found; not seen in a plain script): asked once
    // first, and where it does not answer the test says the tree's end went unchecked.
    const wmic = path.join(process.env.SystemRoot, "System32", "wbem", "wmic.exe");
    const wmicAnswered = await new Promise((resolve) =>
      execFile(wmic, ["process", "get", "ProcessId"], { timeout: 8000, windowsHide: true }, (error) => resolve(!error)),
    );
    const started = Date.now();
    const run = await attempt(() => new AzureCliCredential({ processTimeoutInMs: scenario.timeoutMs }).getToken(SCOPE));
    const stoppedAfterMs = Date.now() - started;
    const file = path.join(scenario.toolsDir, "az.hang.pids");
    const pids = existsSync(file) ? readFileSync(file, "utf8").trim().split(" ").map(Number) : [];
    for (let i = 0; i < 150 && pids.some(running); i++) await sleep(100);
    return { wmicAnswered, run, stoppedAfterMs, pids, stillRunning: pids.filter(running) };
  },

  /** A token through azd (as found on PATH), with claims when given. */
  async azd() {
    const options = scenario.claims ? { claims: scenario.claims } : {};
    return attempt(async () => tokenInfo(await new AzureDeveloperCliCredential().getToken(SCOPE, options)));
  },

  /** A token through whichever PowerShell is on PATH (pwsh first). */
  async powershell() {
    return attempt(async () => tokenInfo(await new AzurePowerShellCredential().getToken(SCOPE)));
  },
};

const result = await scenarios[process.argv[2]]();
console.log("RESULT " + JSON.stringify(result));
