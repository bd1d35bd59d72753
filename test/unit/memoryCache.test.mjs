import { test } from "node:test";
import assert from "node:assert/strict";
import { MemoryTokenCache, tokenKey } from "../../dist/internal.js";

const token = (expiresIn, refreshIn) => ({
  token: "t" + Math.random(),
  expiresOnTimestamp: Date.now() + expiresIn,
  refreshAfterTimestamp: refreshIn === undefined ? undefined : Date.now() + refreshIn,
  tokenType: "Bearer",
});

test("scopes in any order share a key; tenant and CAE do not", () => {
  const a = tokenKey({ account: "x", tenant: "t", enableCae: false, scopes: ["b", "a"] });
  assert.equal(a, tokenKey({ account: "x", tenant: "t", enableCae: false, scopes: ["a", "b"] }));
  assert.notEqual(a, tokenKey({ account: "x", tenant: "u", enableCae: false, scopes: ["a", "b"] }));
  assert.notEqual(a, tokenKey({ account: "x", tenant: "t", enableCae: true, scopes: ["a", "b"] }));
});

test("fresh until refreshAfter, usable until close to expiry", () => {
  const cache = new MemoryTokenCache();
  const now = Date.now();
  const t = token(3_600_000, 1_000);
  cache.store("k", t, now);
  assert.equal(cache.fresh("k", now + 500), t);
  assert.equal(cache.fresh("k", now + 1_500), undefined);
  assert.equal(cache.usable("k", now + 1_500), t);
  assert.equal(cache.usable("k", now + 3_600_000 - 60_000), undefined);
});

test("concurrent callers share one acquisition", async () => {
  const cache = new MemoryTokenCache();
  let calls = 0;
  const t = token(3_600_000);
  const acquire = async () => {
    calls++;
    await new Promise((r) => setTimeout(r, 20));
    return t;
  };
  const results = await Promise.all(Array.from({ length: 50 }, () => cache.coalesce("k", undefined, acquire)));
  assert.equal(calls, 1);
  assert.ok(results.every((r) => r === t));
});

test("one caller's abort ends only its wait; all aborting aborts the work", async () => {
  const cache = new MemoryTokenCache();
  let workSignal;
  let finish;
  const acquire = (signal) => {
    workSignal = signal;
    return new Promise((resolve) => (finish = resolve));
  };
  const a = new AbortController();
  const b = new AbortController();
  const pa = cache.coalesce("k", a.signal, acquire);
  const pb = cache.coalesce("k", b.signal, acquire);
  a.abort();
  await assert.rejects(pa, { name: "AbortError" });
  assert.equal(workSignal.aborted, false);
  b.abort();
  await assert.rejects(pb, { name: "AbortError" });
  assert.equal(workSignal.aborted, true);
  finish(token(1000));
});
