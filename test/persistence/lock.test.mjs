// The cross-process lock of the persisted cache (`<cache file>.lockfile`, msal-node-extensions'
// file): exclusion between processes, backoff waits, and recovery from a dead owner.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { runChild } from "../helpers/persistence.mjs";

const require = createRequire(import.meta.url);
const { acquireLock } = require("../../dist/internal.js");
const dir = mkdtempSync(path.join(tmpdir(), "entra-broker-lock-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const lockFile = () => path.join(dir, `cache-${n++}.lockfile`);

/** A child holding `file`, killed with SIGKILL once it has it. */
async function killedHolder(file) {
  let locked;
  const isLocked = new Promise((resolve) => (locked = resolve));
  const run = runChild({ action: "holdLock", lockFile: file }, {}, { onLine: (line) => line.locked && locked() });
  await isLocked;
  const pid = run.child.pid;
  run.child.kill("SIGKILL");
  await run;
  return pid;
}

test("a lock left by a killed process is taken over at once, with a warning", async () => {
  const file = lockFile();
  const pid = await killedHolder(file);
  assert.equal(Number.parseInt(readFileSync(file, "utf8"), 10), pid, "the dead owner's lock is still there");
  const warnings = [];
  const started = Date.now();
  const held = await acquireLock(file, { onStale: (m) => warnings.push(m) });
  const waited = Date.now() - started;
  assert.ok(waited < 5000, `recovered in ${waited} ms`);
  assert.match(warnings.join(), new RegExp(`process ${pid}, which is no longer running`));
  await held.release();
  assert.equal(existsSync(file), false);
});

test("a lock whose live owner stopped touching it is taken over after the bound", async () => {
  const file = lockFile();
  writeFileSync(file, String(process.ppid)); // a live process, as a hung owner would be
  const old = new Date(Date.now() - 10_000);
  utimesSync(file, old, old);
  const warnings = [];
  const held = await acquireLock(file, { onStale: (m) => warnings.push(m) });
  assert.match(warnings.join(), /untouched/);
  await held.release();
});

test("a live owner's fresh lock is waited for, then a timeout with a stable code; the lock is left alone", async () => {
  const file = lockFile();
  writeFileSync(file, String(process.ppid));
  await assert.rejects(acquireLock(file, { timeoutMs: 300, staleMs: 60_000 }), {
    name: "PersistenceFailure",
    code: "PERSISTENCE_LOCK_TIMEOUT",
  });
  assert.equal(readFileSync(file, "utf8"), String(process.ppid));
});

test("a holder keeps its lock fresh, so a slow hold is not mistaken for a dead one", async () => {
  const file = lockFile();
  const held = await acquireLock(file, { staleMs: 300 });
  await new Promise((r) => setTimeout(r, 700));
  const other = await runChild({ action: "tryLock", lockFile: file, lockOptions: { staleMs: 300, timeoutMs: 500 } }, {});
  assert.equal(other.ok, false, "the other process waited instead of breaking the lock");
  assert.equal(other.error.code, "PERSISTENCE_LOCK_TIMEOUT");
  await held.release();
  const after = await runChild({ action: "tryLock", lockFile: file, lockOptions: { staleMs: 300, timeoutMs: 5000 } }, {});
  assert.equal(after.ok, true);
});

test("callers in one process queue in memory: one holder at a time", async () => {
  const file = lockFile();
  let inside = 0;
  let most = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      const held = await acquireLock(file);
      most = Math.max(most, ++inside);
      await new Promise((r) => setTimeout(r, 1));
      inside--;
      await held.release();
    }),
  );
  assert.equal(most, 1);
  assert.equal(existsSync(file), false);
});

test("4 processes x 100 locked read-increment-write rounds lose no increment", async () => {
  const file = lockFile();
  const counter = path.join(dir, "counter");
  const results = await Promise.all(
    Array.from({ length: 4 }, () => runChild({ action: "count", lockFile: file, counter, times: 100 }, {})),
  );
  for (const r of results) assert.equal(r.ok, true, JSON.stringify(r.error));
  assert.equal(readFileSync(counter, "utf8"), "400");
});

/** Counts the exclusive-create attempts on `file` while `run` goes on (the lock opens it "wx" per try). */
async function countAttempts(file, run) {
  const fsPromises = require("node:fs").promises;
  const open = fsPromises.open;
  let attempts = 0;
  fsPromises.open = function (target, ...rest) {
    if (target === file) attempts++;
    return open.call(this, target, ...rest);
  };
  try {
    await run();
  } finally {
    fsPromises.open = open;
  }
  return attempts;
}

test("waiting on a live owner backs off: a handful of tries a second, not a busy loop", async () => {
  const file = lockFile();
  writeFileSync(file, String(process.ppid));
  const attempts = await countAttempts(file, () =>
    assert.rejects(acquireLock(file, { timeoutMs: 1500, staleMs: 60_000 }), { code: "PERSISTENCE_LOCK_TIMEOUT" }),
  );
  // Delays double from 2 ms to 100 ms: about 20 tries in 1.5 s (fewer under load). Without backoff, thousands.
  assert.ok(attempts >= 3, `retried (${attempts} tries)`);
  assert.ok(attempts <= 40, `${attempts} tries in 1.5 s`);
});

test("a dead owner's lock is taken on the second try, with no wait in between", async () => {
  const file = lockFile();
  await killedHolder(file);
  const attempts = await countAttempts(file, async () => (await acquireLock(file)).release());
  assert.equal(attempts, 2, "one try finds the dead owner's lock, the next takes it");
});

test("msal-node-extensions' lock taken in this same process (a bare pid, e.g. @azure/identity's) is waited for, not broken", async () => {
  const file = lockFile();
  writeFileSync(file, String(process.pid)); // what CrossPlatformLock writes
  await assert.rejects(acquireLock(file, { timeoutMs: 300, staleMs: 60_000 }), { code: "PERSISTENCE_LOCK_TIMEOUT" });
  assert.equal(readFileSync(file, "utf8"), String(process.pid));
  // One of ours left behind by this process (its holders queue in memory) is taken at once.
  writeFileSync(file, `${process.pid} 0123456789abcdef`);
  await (await acquireLock(file, { timeoutMs: 300, staleMs: 60_000 })).release();
});
