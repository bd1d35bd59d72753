import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, realpathSync } from "node:fs";
import { runProcess, safeWorkingDirectory, Failure, AbortError } from "../../dist/internal.js";
import { useStandInTools, world } from "./world.mjs";

useStandInTools(["azd"]);
const AZD_ARGS = ["auth", "token", "--output", "json", "--no-prompt", "--scope", "https://management.azure.com/.default"];

/** Running (a killed process whose parent has not reaped it yet is a zombie: not running). */
function alive(pid) {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

async function gone(pids) {
  for (let i = 0; i < 50 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 20));
  return !pids.some(alive);
}

test("a tool that ran: its exit code and output, from a working directory outside the project, with our environment", async () => {
  process.env.STAND_IN_MARKER = "passed-through";
  const outcome = await runProcess("azd", AZD_ARGS, { timeoutMs: 10_000 });
  assert.equal(outcome.found, true);
  assert.equal(outcome.exitCode, 0);
  assert.match(JSON.parse(outcome.stdout).token, /^ey/);
  const [run] = world.tools.runs("azd").slice(-1);
  assert.equal(run.cwd, realpathSync(safeWorkingDirectory()));
  assert.deepEqual(run.args, AZD_ARGS);
  const echoed = await runProcess(process.execPath, ["-e", "process.stdout.write(process.env.STAND_IN_MARKER)"], { timeoutMs: 10_000 });
  assert.equal(echoed.stdout, "passed-through");
});

test("a tool that ran and failed is told apart from one that is not there", async () => {
  world.tools.setMode("signed-out");
  const failed = await runProcess("azd", AZD_ARGS, { timeoutMs: 10_000 });
  assert.equal(failed.found, true);
  assert.equal(failed.exitCode, 1);
  assert.match(failed.stderr, /not logged in/);
  assert.deepEqual(await runProcess("no-such-tool-anywhere", [], { timeoutMs: 10_000 }), { found: false });
});

test("no shell reads the arguments", async () => {
  const outcome = await runProcess(
    process.execPath,
    ["-e", "console.log(JSON.stringify(process.argv.slice(1)))", "$(echo hi)", "a;b", "`x`"],
    {
      timeoutMs: 10_000,
    },
  );
  assert.deepEqual(JSON.parse(outcome.stdout), ["$(echo hi)", "a;b", "`x`"]);
});

test("a tool that hangs is stopped at the time limit, with the child it started", async () => {
  world.tools.setMode("hang", "azd");
  const started = Date.now();
  await assert.rejects(runProcess("azd", AZD_ARGS, { timeoutMs: 700 }), (error) => {
    assert.ok(error instanceof Failure);
    assert.equal(error.kind, "unavailable");
    assert.equal(error.code, "DEVELOPER_TOOL_TIMED_OUT");
    return true;
  });
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 650 && elapsed < 5000, `stopped after ${elapsed} ms`);
  const pids = world.tools.hangingPids("azd");
  assert.equal(pids.length, 2);
  assert.ok(await gone(pids), "the tool and its child were killed");
});

test("abort stops the tool at once", async () => {
  world.tools.setMode("hang", "azd");
  const controller = new AbortController();
  const run = runProcess("azd", AZD_ARGS, { timeoutMs: 30_000, signal: controller.signal });
  for (let i = 0; i < 100 && world.tools.hangingPids("azd").length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  controller.abort();
  await assert.rejects(run, AbortError);
  assert.ok(await gone(world.tools.hangingPids("azd")));
  const already = new AbortController();
  already.abort();
  await assert.rejects(runProcess("azd", AZD_ARGS, { timeoutMs: 30_000, signal: already.signal }), AbortError);
});

test("output beyond the cap stops the tool: a bad reply", async () => {
  world.tools.setMode("flood", "azd");
  await assert.rejects(runProcess("azd", AZD_ARGS, { timeoutMs: 10_000, maxOutputBytes: 64 * 1024 }), (error) => {
    assert.equal(error.kind, "bad_reply");
    assert.equal(error.code, "DEVELOPER_TOOL_BAD_REPLY");
    return true;
  });
});
