// The broker process dies while our credential waits on it: the caller gets a typed error at once
// (no hang, no browser fallback mid-flow), and a broker started again serves the next call.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { brokerCredential } from "../helpers/brokerCredential.mjs";
import { startBrokerWorld } from "../helpers/privateBus.mjs";
import { AuthenticationError } from "entra-broker";
import { startStandInBrokerProcess } from "entra-broker-devtools/stand-in-broker";

const SCOPE = "https://graph.microsoft.com/.default";
let world;
let bus;
let authority;

before(async () => {
  world = await startBrokerWorld({ standIn: false });
  ({ bus, authority } = world);
});
after(() => world?.stop());

/** A broker that fails mid-flow must not fall back to the browser. */
const credential = () => brokerCredential(authority, { parentWindowHandle: 1n });

function startBroker() {
  return startStandInBrokerProcess({
    busAddress: bus.address,
    authority: { url: authority.url, ca: authority.ca },
    user: authority.users[0],
  });
}

test("a broker killed mid-sign-in is a typed error, and a restarted broker serves the next call", async () => {
  const first = await startBroker();
  try {
    await first.script("acquireTokenInteractively", { kind: "slow", delayMs: 30_000 });
    const pending = credential().getToken(SCOPE);
    // Kill once the call is in the broker's hands.
    const deadline = Date.now() + 10_000;
    while (!(await first.calls()).some((c) => c.method === "acquireTokenInteractively")) {
      assert.ok(Date.now() < deadline, "the interactive call reached the broker");
      await new Promise((r) => setTimeout(r, 50));
    }
    const killedAt = Date.now();
    first.process.kill("SIGKILL");
    await assert.rejects(pending, (e) => {
      assert.ok(e instanceof AuthenticationError, `AuthenticationError, got ${e?.name}: ${e?.message}`);
      assert.ok(e.cause, "the broker's failure is kept as cause");
      assert.equal(e.errorResponse.error, "broker_no_reply");
      assert.doesNotMatch(e.message, /eyJ/, "no token material in the message");
      return true;
    });
    assert.ok(Date.now() - killedAt < 10_000, "the caller learns at once, not after a timeout");
  } finally {
    await first.stop();
  }

  const second = await startBroker();
  try {
    const token = await credential().getToken(SCOPE);
    assert.ok(token.token);
    assert.ok((await second.calls()).some((c) => c.method === "acquireTokenInteractively"));
  } finally {
    await second.stop();
  }
});
