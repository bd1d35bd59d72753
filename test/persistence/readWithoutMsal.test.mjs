// A fresh process's silent getToken reads the persisted cache's access token itself, without loading
// msal-node, exactly when msal would hand that token out unchanged; otherwise msal decides, as before.
// Real gnome-keyring on a private bus, real sign-ins against the dev authority, one process each.
import { test } from "node:test";
import assert from "node:assert/strict";
import { persistenceWorld } from "../helpers/persistence.mjs";

const SCOPE = "https://graph.microsoft.com/.default";
const world = persistenceWorld(SCOPE);

const run = world.run;

async function signIn(name) {
  const result = await run({ action: "signIn", persistence: { name } });
  assert.equal(result.ok, true, JSON.stringify(result.error));
  world.authority.resetCounters();
  return result;
}

test("the signed-in token, from the keyring, with msal-node never loaded and nothing sent", async () => {
  const first = await signIn("read.hit");
  const silent = await run({ action: "silent", record: first.record, persistence: { name: "read.hit" } });
  assert.equal(silent.ok, true, JSON.stringify(silent.error));
  assert.equal(silent.tokenHash, first.tokenHash, "the very token the sign-in got");
  assert.equal(silent.msalLoaded, false, "msal-node was loaded");
  assert.equal(world.authority.counters.token, 0);
});

test("a scope the cache has no token for: msal loads and redeems the refresh token, as before", async () => {
  const first = await signIn("read.scope");
  const silent = await run({
    action: "silent",
    record: first.record,
    persistence: { name: "read.scope" },
    scope: "https://storage.azure.com/.default",
  });
  assert.equal(silent.ok, true, JSON.stringify(silent.error));
  assert.notEqual(silent.tokenHash, first.tokenHash);
  assert.equal(silent.msalLoaded, true);
  assert.equal(world.authority.counters.token, 1, "one refresh-token redemption");
});

test("another tenant of the same user is never served the home tenant's token", async () => {
  const [home, other] = world.base.user.tenants;
  assert.ok(other, "the dev authority's first user belongs to two tenants");
  const first = await signIn("read.tenant");
  const silent = await run({
    action: "silent",
    record: first.record,
    persistence: { name: "read.tenant" },
    tenantId: other,
    credentialOptions: { additionallyAllowedTenants: ["*"] },
  });
  assert.equal(silent.ok, true, JSON.stringify(silent.error));
  assert.equal(silent.tid, other, `a token of ${home} was handed out for ${other}`);
  assert.equal(world.authority.counters.token, 1);
});

test("a token within msal's 5-minute renewal margin is renewed by msal, not handed out", async () => {
  world.authority.setTokenLifetime(240);
  let first;
  try {
    first = await signIn("read.expiring");
  } finally {
    world.authority.setTokenLifetime(3600);
  }
  const silent = await run({ action: "silent", record: first.record, persistence: { name: "read.expiring" } });
  assert.equal(silent.ok, true, JSON.stringify(silent.error));
  assert.notEqual(silent.tokenHash, first.tokenHash, "the expiring token was handed out");
  assert.equal(silent.msalLoaded, true);
  assert.equal(world.authority.counters.token, 1);
});

test("a token due for refresh (refresh_in passed) goes to msal", async () => {
  world.authority.setTokenLifetime(3600, 1);
  let first;
  try {
    first = await signIn("read.refresh");
  } finally {
    world.authority.setTokenLifetime(3600);
  }
  await new Promise((r) => setTimeout(r, 1500));
  const silent = await run({ action: "silent", record: first.record, persistence: { name: "read.refresh" } });
  assert.equal(silent.ok, true, JSON.stringify(silent.error));
  assert.equal(silent.msalLoaded, true, "a token due for refresh was read without msal");
});
