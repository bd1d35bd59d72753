// The behaviour every developer-tool credential shares, run against its stand-in tool.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AzureLogger, setLogLevel } from "@azure/logger";
import { AuthenticationError, CredentialUnavailableError, InvalidArgumentError } from "entra-broker";
import { SCOPE, claimsOf, useStandInTools } from "./world.mjs";

/**
 * @param {object} spec
 * @param {Function} spec.Credential
 * @param {"az"|"pwsh"|"azd"} spec.tool
 * @param {string} spec.tenantFlag how the tool's command carries a tenant ("--tenant", "-TenantId" in the script...)
 * @param {(run) => string|undefined} spec.tenantOf the tenant a run asked for
 * @param {string} spec.notInstalled code
 * @param {string} spec.notSignedIn code
 * @param {RegExp} spec.signInHint what the not-signed-in message tells the user to run
 */
export function credentialSuite(spec) {
  const world = useStandInTools([spec.tool]);
  const runs = () => world.tools.runs(spec.tool).length;

  test(`${spec.tool}: a token for the signed-in user, then the same token from memory without running ${spec.tool}`, async () => {
    const credential = new spec.Credential();
    const before = runs();
    const token = await credential.getToken(SCOPE);
    assert.equal(runs(), before + 1);
    assert.equal(token.tokenType, "Bearer");
    const claims = claimsOf(token.token);
    assert.equal(claims.tid, world.tenants[0]);
    assert.ok(Math.abs(token.expiresOnTimestamp - claims.exp * 1000) < 1000, "expiry read from the tool's output");
    const started = process.hrtime.bigint();
    const again = await credential.getToken([SCOPE]);
    const micros = Number(process.hrtime.bigint() - started) / 1000;
    assert.equal(again, token);
    assert.equal(runs(), before + 1, `second getToken ran no ${spec.tool} (${micros.toFixed(0)} µs)`);
  });

  test(`${spec.tool}: concurrent callers share one run`, async () => {
    const credential = new spec.Credential();
    const before = runs();
    const tokens = await Promise.all(Array.from({ length: 5 }, () => credential.getToken(SCOPE)));
    assert.equal(runs(), before + 1);
    assert.ok(tokens.every((t) => t === tokens[0]));
  });

  test(`${spec.tool}: tenant rule: a call's tenant without a configured one; another tenant needs additionallyAllowedTenants`, async () => {
    const [home, other] = world.tenants;
    const open = new spec.Credential();
    const token = await open.getToken(SCOPE, { tenantId: other });
    assert.equal(claimsOf(token.token).tid, other);
    assert.equal(spec.tenantOf(world.tools.runs(spec.tool).at(-1)), other);

    const fixed = new spec.Credential({ tenantId: home });
    assert.equal(claimsOf((await fixed.getToken(SCOPE)).token).tid, home);
    assert.equal(spec.tenantOf(world.tools.runs(spec.tool).at(-1)), home);
    const before = runs();
    await assert.rejects(
      fixed.getToken(SCOPE, { tenantId: other }),
      (e) => e instanceof CredentialUnavailableError && e.code === "TENANT_NOT_ALLOWED",
    );
    assert.equal(runs(), before, "refused before any run");
    const allowed = new spec.Credential({ tenantId: home, additionallyAllowedTenants: [other] });
    assert.equal(claimsOf((await allowed.getToken(SCOPE, { tenantId: other })).token).tid, other);
  });

  test(`${spec.tool}: a bad scope or tenant is refused before any process starts`, async () => {
    const credential = new spec.Credential();
    const before = runs();
    for (const scopes of [["a/.default", "b/.default"], "https://x/.default;rm", 'https://x/"$(id)"', "--debug", "$env:HOME", ""]) {
      await assert.rejects(
        credential.getToken(scopes),
        (e) => e instanceof InvalidArgumentError && e.code === "INVALID_SCOPE",
        String(scopes),
      );
    }
    for (const tenantId of ["a b", "--tenant", 'x"; whoami', "-x"]) {
      await assert.rejects(
        credential.getToken(SCOPE, { tenantId }),
        (e) => e instanceof InvalidArgumentError && e.code === "INVALID_TENANT_ID",
        tenantId,
      );
    }
    assert.throws(
      () => new spec.Credential({ tenantId: "-bad" }),
      (e) => e.code === "INVALID_TENANT_ID",
    );
    assert.throws(
      () => new spec.Credential({ additionallyAllowedTenants: ["a b"] }),
      (e) => e.code === "INVALID_TENANT_ID",
    );
    assert.throws(
      () => new spec.Credential({ processTimeoutInMs: -1 }),
      (e) => e.code === "INVALID_TIMEOUT",
    );
    assert.equal(runs(), before);
  });

  test(`${spec.tool}: not signed in: CredentialUnavailableError saying what to run`, async () => {
    world.tools.setMode("signed-out", spec.tool);
    await assert.rejects(new spec.Credential().getToken(SCOPE), (e) => {
      assert.ok(e instanceof CredentialUnavailableError);
      assert.equal(e.code, spec.notSignedIn);
      assert.match(e.message, spec.signInHint);
      return true;
    });
  });

  test(`${spec.tool}: not installed: CredentialUnavailableError ${spec.notInstalled}`, async () => {
    const saved = process.env.PATH;
    process.env.PATH = mkdtempSync(path.join(tmpdir(), "empty-path-"));
    try {
      await assert.rejects(
        new spec.Credential().getToken(SCOPE),
        (e) => e instanceof CredentialUnavailableError && e.code === spec.notInstalled,
      );
    } finally {
      process.env.PATH = saved;
    }
  });

  test(`${spec.tool}: garbage output is a bad reply (AuthenticationError), not a token`, async () => {
    world.tools.setMode("garbage", spec.tool);
    await assert.rejects(new spec.Credential().getToken(SCOPE), (e) => {
      assert.ok(e instanceof AuthenticationError);
      assert.equal(e.code, "developer_tool_bad_reply");
      assert.equal(e.cause?.kind, "bad_reply");
      return true;
    });
  });

  test(`${spec.tool}: a tool that hangs ends at processTimeoutInMs: CredentialUnavailableError, so a chain moves on`, async () => {
    world.tools.setMode("hang", spec.tool);
    const started = Date.now();
    await assert.rejects(new spec.Credential({ processTimeoutInMs: 600 }).getToken(SCOPE), (e) => {
      assert.ok(e instanceof CredentialUnavailableError);
      assert.equal(e.code, "DEVELOPER_TOOL_TIMED_OUT");
      assert.match(e.message, /processTimeoutInMs/);
      return true;
    });
    assert.ok(Date.now() - started < 5000);
  });

  test(`${spec.tool}: abortSignal ends the run`, async () => {
    world.tools.setMode("hang", spec.tool);
    const controller = new AbortController();
    const pending = new spec.Credential().getToken(SCOPE, { abortSignal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    await assert.rejects(pending, (e) => e.name === "AbortError");
  });

  test(`${spec.tool}: verbose logs never carry the token`, async () => {
    const lines = [];
    const original = AzureLogger.log;
    setLogLevel("verbose");
    AzureLogger.log = (...args) => lines.push(args.join(" "));
    try {
      const token = await new spec.Credential().getToken(SCOPE);
      world.tools.setMode("garbage", spec.tool);
      await new spec.Credential().getToken(SCOPE).catch(() => {});
      const text = lines.join("\n");
      assert.match(text, new RegExp(spec.Credential.name));
      assert.ok(!text.includes(token.token));
      assert.ok(!text.includes(token.token.split(".")[2]));
    } finally {
      AzureLogger.log = original;
      setLogLevel("warning");
    }
  });

  return world;
}
