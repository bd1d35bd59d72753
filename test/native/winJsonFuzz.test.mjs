// A short libFuzzer run (about 60 s) of the Windows addon's request reader and reply writers
// (winJson/fuzz.cc) under ASan and UBSan, from the committed seed corpus (winJson/corpus: requests
// as src/broker/windows.ts sends them, replies as native/win writes them). Any crash, leak,
// undefined behaviour or failed check fails the test, with libFuzzer's report.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { build, corpus } from "./winJson/build.mjs";

const SECONDS = Number(process.env.WIN_JSON_FUZZ_SECONDS || 55);
let fuzzer;
const work = mkdtempSync(path.join(tmpdir(), "entra-win-json-fuzz-"));
before(() => {
  fuzzer = build("fuzz");
});
after(() => rmSync(work, { recursive: true, force: true }));

function runFuzzer(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(fuzzer, args, {
      cwd: work,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ASAN_OPTIONS: "detect_leaks=1", UBSAN_OPTIONS: "print_stacktrace=1:halt_on_error=1" },
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal, output }));
  });
}

test("every seed runs clean", { timeout: 120_000 }, async () => {
  assert.ok(readdirSync(corpus).length >= 10, "the seed corpus is missing");
  const { code, output } = await runFuzzer(["-runs=0", corpus]);
  assert.equal(code, 0, output);
  assert.match(output, /INITED|Done/);
});

test(`${SECONDS} s of fuzzing find no crash, leak or undefined behaviour`, { timeout: (SECONDS + 120) * 1000 }, async () => {
  const fresh = path.join(work, "corpus");
  mkdirSync(fresh);
  const { code, signal, output } = await runFuzzer([
    `-max_total_time=${SECONDS}`,
    "-timeout=10",
    "-rss_limit_mb=2048",
    "-max_len=8192",
    "-print_final_stats=1",
    `-artifact_prefix=${work}/`,
    fresh,
    corpus,
  ]);
  const tail = output.split("\n").slice(-60).join("\n");
  assert.equal(signal, null, tail);
  assert.equal(code, 0, tail);
  assert.doesNotMatch(output, /ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|check failed/, tail);
  const runs = Number(/stat::number_of_executed_units:\s*(\d+)/.exec(output)?.[1] ?? 0);
  assert.ok(runs > 1000, `only ${runs} inputs ran:\n${tail}`);
});
