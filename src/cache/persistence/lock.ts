import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { PersistenceFailure, describe } from "./failure";

export interface LockOptions {
  /** A lock file untouched this long is abandoned. Holders touch theirs at a third of it. */
  staleMs?: number;
  /** How long to wait for a live holder before giving up. */
  timeoutMs?: number;
  /** Told when a dead owner's lock is broken. */
  onStale?: (message: string) => void;
}

/** Our holds are short (one load or save): 3 s without a touch means the owner hangs or is gone. */
const STALE_MS = 3000;
const TIMEOUT_MS = 20_000;
const FIRST_DELAY_MS = 2;
const MAX_DELAY_MS = 100;

export interface HeldLock {
  release(): Promise<void>;
}

/**
 * A lock shared with other processes through `<cache file>.lockfile`, the file
 * msal-node-extensions' CrossPlatformLock creates (exclusive create, pid inside), so that
 * `@azure/identity` processes and ours exclude each other. Unlike that lock, it waits with
 * backoff, breaks the lock of a dead owner (pid gone, or the file untouched past `staleMs`), and
 * queues this process's own callers in memory instead of on the file.
 */
export async function acquireLock(file: string, options: LockOptions = {}): Promise<HeldLock> {
  const leaveQueue = await joinQueue(file);
  try {
    const held = await acquireFile(file, options);
    return {
      async release() {
        try {
          await held.release();
        } finally {
          leaveQueue();
        }
      },
    };
  } catch (error) {
    leaveQueue();
    throw error;
  }
}

/** One holder per lock file per process; the others wait here, not on the file system. */
const queues = new Map<string, Promise<void>>();

async function joinQueue(file: string): Promise<() => void> {
  const before = queues.get(file) ?? Promise.resolve();
  let leave!: () => void;
  const turn = new Promise<void>((resolve) => (leave = resolve));
  const tail = before.then(() => turn);
  queues.set(file, tail);
  await before;
  return () => {
    leave();
    if (queues.get(file) === tail) queues.delete(file);
  };
}

async function acquireFile(file: string, options: LockOptions): Promise<HeldLock> {
  const staleMs = options.staleMs ?? STALE_MS;
  const deadline = Date.now() + (options.timeoutMs ?? TIMEOUT_MS);
  const token = `${process.pid} ${randomBytes(8).toString("hex")}`;
  let delay = FIRST_DELAY_MS;
  for (;;) {
    if (await tryCreate(file, token)) return holding(file, token, staleMs);
    if (await breakIfStale(file, staleMs, options.onStale)) continue;
    if (Date.now() >= deadline) {
      const owner = await readOwner(file);
      throw new PersistenceFailure(
        "PERSISTENCE_LOCK_TIMEOUT",
        `The token cache is locked by another process${owner ? ` (pid ${owner})` : ""}; gave up after ${options.timeoutMs ?? TIMEOUT_MS} ms.`,
        `${file} is held by a live process`,
        `if no process is using the cache, delete ${file}`,
      );
    }
    await sleep(delay * (0.5 + Math.random()));
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  }
}

async function tryCreate(file: string, token: string): Promise<boolean> {
  let handle;
  try {
    handle = await fs.open(file, "wx", 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // EPERM/EBUSY: Windows, a lock file being deleted by its owner.
    if (code === "EEXIST" || code === "EPERM" || code === "EBUSY") return false;
    throw lockError(file, error);
  }
  try {
    await handle.writeFile(token);
  } finally {
    await handle.close();
  }
  return true;
}

function holding(file: string, token: string, staleMs: number): HeldLock {
  // A slow holder stays visibly alive, so nobody takes its lock for a dead one.
  const touch = setInterval(() => {
    const now = new Date();
    fs.utimes(file, now, now).catch(() => undefined);
  }, staleMs / 3);
  touch.unref();
  return {
    async release() {
      clearInterval(touch);
      // Remove only our own lock: if it was broken as stale, the file is someone else's now.
      const content = await fs.readFile(file, "utf8").catch(() => undefined);
      if (content === token) await fs.unlink(file).catch(() => undefined);
    },
  };
}

async function readOwner(file: string): Promise<number | undefined> {
  return ownerOf(await fs.readFile(file, "utf8").catch(() => ""));
}

function ownerOf(content: string): number | undefined {
  const pid = Number.parseInt(content, 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // someone else's live process
  }
}

/**
 * Breaks the lock when its owner is gone: its pid no longer runs (or it is one of ours left in
 * this process), or the file is older than `staleMs`. Returns true when the lock file is gone and
 * a retry may take it at once.
 */
async function breakIfStale(file: string, staleMs: number, onStale?: (message: string) => void): Promise<boolean> {
  let seen;
  try {
    seen = await fs.stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return true;
    throw lockError(file, error);
  }
  const content = await fs.readFile(file, "utf8").catch(() => "");
  const owner = ownerOf(content);
  // Our own pid: this process's holders queue in memory, so a lock of ours ("pid token") is left
  // over; a bare pid is msal-node-extensions' lock (@azure/identity in this process), held.
  const ownerGone = owner !== undefined && (owner === process.pid ? content.includes(" ") : !isAlive(owner));
  const age = Date.now() - seen.mtimeMs;
  if (!ownerGone && age < staleMs) return false;
  // Move it aside first, then check it is the one judged: a fresh lock taken meanwhile goes back.
  const aside = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.stale`;
  try {
    await fs.rename(file, aside);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return true;
    if (code === "EPERM" || code === "EBUSY" || code === "EACCES") return false;
    throw lockError(file, error);
  }
  const moved = await fs.stat(aside).catch(() => undefined);
  if (moved && (moved.ino !== seen.ino || moved.mtimeMs !== seen.mtimeMs)) {
    await fs.link(aside, file).catch(() => undefined);
    await fs.unlink(aside).catch(() => undefined);
    return false;
  }
  await fs.unlink(aside).catch(() => undefined);
  onStale?.(
    ownerGone
      ? `Removed the token cache lock of process ${owner}, which is no longer running.`
      : `Removed a token cache lock untouched for ${Math.round(age)} ms (its owner hangs or is gone).`,
  );
  return true;
}

function lockError(file: string, error: unknown): PersistenceFailure {
  return new PersistenceFailure(
    "PERSISTENCE_FAILED",
    `The token cache lock ${file} could not be used: ${describe(error)}.`,
    describe(error),
    undefined,
    {
      cause: error,
    },
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
