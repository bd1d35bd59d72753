// Faithfulness of the stand-in broker, checked against Microsoft's own client: MSALRuntime
// (@azure/msal-node-runtime), driven by msal-node through @azure/msal-node-extensions'
// NativeBrokerPlugin, on a private bus with a Secret Service and the stand-in.
//
// MSALRuntime decides whether a broker exists when it loads, so it runs in a child process (this
// same file, re-run with MSAL_RUNTIME_CHILD=1) whose environment already points at the private bus.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fork } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
const SCOPES = ["https://graph.microsoft.com/.default"];

// ---------------------------------------------------------------------------------------------
// Child: msal-node + NativeBrokerPlugin, one operation per IPC message.
// ---------------------------------------------------------------------------------------------
async function child() {
  const { authority } = JSON.parse(process.env.MSAL_RUNTIME_CHILD);
  const errorInfo = (e) => ({
    name: e?.name,
    errorCode: e?.errorCode,
    message: String(e?.message ?? e),
    platformBrokerError: e?.platformBrokerError
      ? { errorCode: e.platformBrokerError.errorCode, message: e.platformBrokerError.message }
      : undefined,
  });
  const runtimeErrorInfo = (e) => ({
    message: String(e?.message ?? e),
    errorCode: e?.errorCode,
    errorStatus: e?.errorStatus,
    errorContext: e?.errorContext,
  });
  // @azure/msal-node-runtime swallows the dlopen error of its addon; load it again to see why.
  const nativeLoadError = () => {
    const path = require("node:path");
    const dir = path.dirname(require.resolve("@azure/msal-node-runtime"));
    try {
      require(path.join(dir, "linux", "ubuntu", process.arch, "msal-node-runtime.node"));
      return undefined;
    } catch (e) {
      return String(e?.message ?? e);
    }
  };
  let pca;
  let plugin;
  let startup;
  try {
    const { PublicClientApplication } = require("@azure/msal-node");
    const { NativeBrokerPlugin } = require("@azure/msal-node-extensions");
    plugin = new NativeBrokerPlugin();
    // The runtime's own verdict on loading (for example a missing webkit library).
    const { msalNodeRuntime } = require("@azure/msal-node-runtime");
    startup = {
      isBrokerAvailable: plugin.isBrokerAvailable,
      startupError: msalNodeRuntime?.StartupError ? runtimeErrorInfo(msalNodeRuntime.StartupError) : undefined,
      loadError: nativeLoadError(),
    };
    pca = new PublicClientApplication({
      auth: { clientId: CLIENT_ID, authority },
      broker: { nativeBrokerPlugin: plugin },
    });
  } catch (e) {
    startup = { loadError: errorInfo(e) };
  }
  process.send({ op: "startup", ok: true, result: startup });
  let account;
  process.on("message", async ({ op, id, args = {} }) => {
    try {
      let result;
      if (op === "interactive") {
        const r = await pca.acquireTokenInteractive({
          scopes: args.scopes ?? SCOPES,
          windowHandle: Buffer.alloc(8),
          ...(args.claims ? { claims: args.claims } : {}),
          ...(args.withAccount && account ? { account } : {}),
        });
        account = r.account;
        result = {
          accessToken: r.accessToken,
          account: r.account,
          scopes: r.scopes,
          fromPlatformBroker: r.fromPlatformBroker,
          expiresOn: r.expiresOn,
        };
      } else if (op === "silent") {
        const r = await pca.acquireTokenSilent({ account, scopes: args.scopes ?? SCOPES, forceRefresh: !!args.forceRefresh });
        result = { accessToken: r.accessToken, account: r.account, scopes: r.scopes, fromPlatformBroker: r.fromPlatformBroker };
      } else if (op === "popSilent") {
        // msal-node hands these to MSALRuntime's SetPopParams(method, host, path, nonce).
        const pop = { authenticationScheme: "pop", resourceRequestMethod: args.method, resourceRequestUri: args.url, shrNonce: args.nonce };
        const r = await pca.acquireTokenSilent({ account, scopes: args.scopes ?? SCOPES, ...pop });
        result = { accessToken: r.accessToken, tokenType: r.tokenType, fromPlatformBroker: r.fromPlatformBroker };
      } else if (op === "accounts") {
        result = await pca.getAllAccounts();
      } else if (op === "signOut") {
        await pca.signOut({ account });
        result = {};
      } else {
        throw new Error(`unknown op ${op}`);
      }
      process.send({ id, ok: true, result });
    } catch (e) {
      process.send({ id, ok: false, error: errorInfo(e) });
    }
  });
}

if (process.env.MSAL_RUNTIME_CHILD) {
  await child();
} else {
  await parent();
}

// ---------------------------------------------------------------------------------------------
// Parent: private bus, keyring, dev authority, in-process stand-in; the child drives MSALRuntime.
// ---------------------------------------------------------------------------------------------
async function parent() {
  const { startPrivateBus, startKeyring, startTestAuthority } = await import("../helpers/privateBus.mjs");
  const missing = [];
  for (const mod of ["@azure/msal-node-extensions", "@azure/msal-node-runtime", "keytar"]) {
    try {
      require.resolve(mod);
    } catch {
      missing.push(mod);
    }
  }
  if (missing.length) {
    test("MSALRuntime against the stand-in broker", () =>
      assert.fail(`not installed: ${missing.join(", ")} (devDependencies; run scripts/setup.sh)`));
    return;
  }
  const { StandInBroker } = require("entra-broker-devtools/stand-in-broker");

  let bus;
  let keyring;
  let authority;
  let broker;
  let kid;
  let startup;
  let seq = 0;
  const pending = new Map();
  const user = () => authority.users.find((u) => u.username === "ada@contoso.example") ?? authority.users[0];

  function ask(op, args) {
    const id = ++seq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`MSALRuntime child: no answer to ${op} in 60 s`)), 60_000);
      pending.set(id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      kid.send({ op, id, args });
    });
  }
  /** Runs one operation in the child; returns its answer and the broker calls it caused. */
  async function step(op, args) {
    const before = broker.calls.length;
    const answer = await ask(op, args);
    return { ...answer, calls: broker.calls.slice(before) };
  }
  const jwtClaims = (token) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  /** Is the runtime's failure to load something about this machine (a missing library), not our broker? */
  /** scripts/setup.sh installs what MSALRuntime needs; if it cannot load, say what to install. */
  function requireRuntime() {
    if (startup?.loadError && /cannot open shared object file|No such file or directory|GLIBC|version `/.test(startup.loadError)) {
      assert.fail(
        `MSALRuntime cannot load on this machine: ${startup.loadError} (apt-get install libwebkit2gtk-4.1-0 libjavascriptcoregtk-4.1-0 libsoup-3.0-0)`,
      );
    }
  }

  /** Without a broker msal-node would fall back to the browser flow: fail fast instead. */
  function requireBroker() {
    if (!startup?.isBrokerAvailable) {
      assert.fail(`MSALRuntime found no broker on the private bus: ${JSON.stringify(startup)}`);
    }
  }

  before(async () => {
    bus = await startPrivateBus();
    keyring = await startKeyring(bus.address);
    authority = await startTestAuthority();
    const u = user();
    broker = await StandInBroker.start({
      busAddress: bus.address,
      authority: { url: authority.url, ca: authority.ca },
      user: { username: u.username, password: u.password },
    });
    const tenant = u.homeTenantId ?? "organizations";
    kid = fork(fileURLToPath(import.meta.url), [], {
      env: {
        ...process.env,
        ...keyring.env,
        DBUS_SESSION_BUS_ADDRESS: bus.address,
        MSAL_RUNTIME_CHILD: JSON.stringify({ authority: `${authority.url}/${tenant}` }),
      },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    kid.on("message", (m) => {
      if (m.op === "startup") startup = m.result;
      else pending.get(m.id)?.(m);
    });
    const deadline = Date.now() + 30_000;
    while (!startup && kid.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (!startup) throw new Error(`the MSALRuntime child did not start (exit ${kid.exitCode})`);
  });

  after(async () => {
    kid?.kill("SIGKILL"); // MSALRuntime keeps its process alive on its own
    await broker?.stop();
    await authority?.stop();
    await keyring?.stop();
    await bus?.stop();
  });

  const GRAPH_DEFAULT = "https://graph.microsoft.com/.default";
  let account;

  test("MSALRuntime loads and finds the stand-in broker on the private bus", (t) => {
    requireRuntime();
    assert.equal(startup.loadError, undefined, `the runtime addon did not load: ${startup.loadError}`);
    assert.equal(startup.startupError, undefined, `MSALRuntime startup error: ${JSON.stringify(startup.startupError)}`);
    assert.equal(startup.isBrokerAvailable, true);
  });

  test("acquireTokenInteractive signs the user in through the stand-in, with claims from the dev authority", async (t) => {
    requireRuntime();
    requireBroker();
    const u = user();
    const tokenCallsBefore = authority.counters.tokenByGrant?.password ?? 0;
    const r = await step("interactive", { scopes: [GRAPH_DEFAULT] });
    assert.ok(r.ok, `interactive failed: ${JSON.stringify(r.error)}`);
    assert.equal(r.result.fromPlatformBroker, true);
    // The token is the dev authority's, for the configured user.
    const claims = jwtClaims(r.result.accessToken);
    assert.equal(claims.preferred_username ?? claims.upn, u.username);
    if (u.objectId) assert.equal(claims.oid, u.objectId);
    if (u.homeTenantId) assert.equal(claims.tid, u.homeTenantId);
    assert.equal((authority.counters.tokenByGrant?.password ?? 0) - tokenCallsBefore, 1, "one ROPC request reached the authority");
    assert.equal(r.result.account.username, u.username);
    assert.equal(r.result.account.homeAccountId, `${claims.oid}.${claims.tid}`);
    assert.equal(r.result.account.tenantId, claims.tid);
    // What MSALRuntime sent: default-account sign-in first (answered "interaction required"), then interactive.
    assert.deepEqual(
      r.calls.map((c) => c.method),
      ["getAccounts", "acquireTokenSilently", "acquireTokenInteractively"],
    );
    for (const c of r.calls) {
      assert.equal(c.protocol, "0.0");
      assert.match(c.correlationId, UUID);
    }
    const silent = r.calls[1].request.authParameters;
    assert.equal(silent.isSignIn, true);
    assert.equal(silent.account, null);
    const interactive = r.calls[2].request.authParameters;
    assert.equal(interactive.authorizationType, 6);
    assert.equal(interactive.redirectUri, "https://login.microsoftonline.com/common/oauth2/nativeclient");
    assert.deepEqual(interactive.requestedScopes, [GRAPH_DEFAULT]);
    assert.equal(new URL(interactive.authority).pathname.split("/")[1], u.homeTenantId ?? "organizations");
    // The stand-in now holds the account, as getAccounts reports it.
    assert.deepEqual(
      broker.accounts.map((a) => a.username),
      [u.username],
    );
    account = r.result.account;
  });

  test("acquireTokenSilent succeeds: from MSALRuntime's cache, and through the broker for a new scope", async (t) => {
    requireRuntime();
    requireBroker();
    assert.ok(account, "needs the interactive sign-in");
    const cached = await step("silent", { scopes: [GRAPH_DEFAULT] });
    assert.ok(cached.ok, `silent failed: ${JSON.stringify(cached.error)}`);
    assert.equal(cached.result.account.homeAccountId, account.homeAccountId);

    const refreshBefore = authority.counters.tokenByGrant?.refresh_token ?? 0;
    const fresh = await step("silent", { scopes: ["https://graph.microsoft.com/Mail.Read"] });
    assert.ok(fresh.ok, `silent (new scope) failed: ${JSON.stringify(fresh.error)}`);
    const call = fresh.calls.find((c) => c.method === "acquireTokenSilently");
    assert.ok(call, `no acquireTokenSilently call: ${JSON.stringify(fresh.calls.map((c) => c.method))}`);
    assert.equal(call.request.authParameters.authorizationType, 1);
    assert.equal(call.request.authParameters.account.homeAccountId, account.homeAccountId);
    assert.equal(call.request.authParameters.username, account.username);
    assert.equal((authority.counters.tokenByGrant?.refresh_token ?? 0) - refreshBefore, 1, "the broker redeemed its refresh token");
    const claims = jwtClaims(fresh.result.accessToken);
    assert.match(String(claims.scp), /Mail\.Read/);
    assert.equal(claims.preferred_username ?? claims.upn, account.username);
  });

  test("a scripted status 7 on the interactive call surfaces as user_canceled", async (t) => {
    requireRuntime();
    requireBroker();
    broker.script("acquireTokenInteractively", { kind: "status", status: 7, context: "The user closed the window" });
    broker.script("acquireTokenSilently", { kind: "status", status: 2 }); // the sign-in-silently attempt before it
    const r = await step("interactive", { scopes: [GRAPH_DEFAULT] });
    assert.equal(r.ok, false, "the interactive call should fail");
    assert.equal(r.error.errorCode, "user_canceled", JSON.stringify(r.error));
    assert.equal(r.error.name, "ClientAuthError");
    assert.ok(r.calls.some((c) => c.method === "acquireTokenInteractively"));
  });

  for (const [status, scope, name, errorCode] of [
    [2, "https://graph.microsoft.com/Files.Read", "InteractionRequiredAuthError", "interaction_required"],
    [3, "https://graph.microsoft.com/Files.Read", "ClientAuthError", "no_network_connectivity"],
    [4, "https://graph.microsoft.com/Files.Read", "ClientAuthError", "no_network_connectivity"],
    [5, "https://graph.microsoft.com/Files.Read", "ServerError", "server_unavailable"],
  ]) {
    test(`a scripted status ${status} on the silent call surfaces as ${errorCode}`, async (t) => {
      requireRuntime();
      requireBroker();
      assert.ok(account, "needs the interactive sign-in");
      broker.script("acquireTokenSilently", { kind: "status", status });
      const r = await step("silent", { scopes: [scope] }); // a scope MSALRuntime holds no token for
      assert.equal(r.ok, false, `the silent call should fail (broker calls: ${JSON.stringify(r.calls.map((c) => c.method))})`);
      assert.equal(r.error.errorCode, errorCode, JSON.stringify(r.error));
      assert.equal(r.error.name, name);
    });
  }

  test("when the dev authority rejects the broker's refresh token, MSALRuntime reports interaction_required", async (t) => {
    requireRuntime();
    requireBroker();
    assert.equal(typeof authority.injectFault, "function", "the dev authority injects faults");
    authority.injectFault({ endpoint: "token", grantType: "refresh_token", status: 400, error: "invalid_grant", errorCodes: [700082] });
    const r = await step("silent", { scopes: ["https://graph.microsoft.com/Calendars.Read"] });
    assert.equal(r.ok, false, "the silent call should fail");
    assert.equal(r.error.errorCode, "interaction_required", JSON.stringify(r.error));
    assert.equal(r.error.name, "InteractionRequiredAuthError");
    assert.ok(r.calls.some((c) => c.method === "acquireTokenSilently"));
    // The next try, with the authority healthy again, works.
    const again = await step("silent", { scopes: ["https://graph.microsoft.com/Calendars.Read"] });
    assert.ok(again.ok, JSON.stringify(again.error));
  });

  test("a malformed reply surfaces as platform_broker_error", async (t) => {
    requireRuntime();
    requireBroker();
    broker.script("acquireTokenSilently", { kind: "malformed" });
    const r = await step("silent", { scopes: ["https://graph.microsoft.com/Files.Read"] });
    assert.equal(r.ok, false);
    assert.equal(r.error.errorCode, "platform_broker_error", JSON.stringify(r.error));
  });

  test("a claims challenge reaches the broker as decodedClaims, and the broker signs in with it", async (t) => {
    requireRuntime();
    requireBroker();
    const claims = JSON.stringify({ access_token: { xms_cc: { values: ["cp1"] } } });
    const r = await step("interactive", { scopes: [GRAPH_DEFAULT], claims, withAccount: true });
    assert.ok(r.ok, JSON.stringify(r.error));
    const call = r.calls.find((c) => c.method === "acquireTokenInteractively");
    assert.ok(call);
    assert.equal(call.request.authParameters.decodedClaims, claims);
    assert.equal(call.request.authParameters.account?.username, account.username);
  });

  test("a PoP token: MSALRuntime sends popParams as our client does, and takes the stand-in's SHR (accessTokenType 1)", async (t) => {
    requireRuntime();
    requireBroker();
    assert.ok(account, "needs the interactive sign-in");
    const { linuxBroker } = require("../../dist/internal.js");
    const scopes = ["https://graph.microsoft.com/User.Read"];
    const claimsOf = (jwt) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8"));
    const headerOf = (jwt) => JSON.parse(Buffer.from(jwt.split(".")[0], "base64url").toString("utf8"));
    const seen = [];
    for (const nonce of ["nonce-1", "nonce-2"]) {
      const r = await step("popSilent", { scopes, method: "GET", url: "https://resource.example/api?x=1", nonce });
      assert.ok(r.ok, `PoP silent failed: ${JSON.stringify(r.error)}`);
      assert.equal(r.result.tokenType, "pop");
      const call = r.calls.find((c) => c.method === "acquireTokenSilently");
      assert.ok(call, `no acquireTokenSilently call: ${JSON.stringify(r.calls.map((c) => c.method))}`);
      const sent = call.request.authParameters.popParams;
      assert.deepEqual(
        { httpMethod: sent.httpMethod, uriHost: sent.uriHost, uriPath: sent.uriPath, nonce: sent.nonce },
        { httpMethod: "GET", uriHost: "resource.example", uriPath: "/api", nonce },
      );
      // Our client's request for the same resource request carries the same popParams.
      const ours = JSON.parse(
        linuxBroker.tokenRequest(
          {
            clientId: CLIENT_ID,
            authority: authority.url,
            scopes,
            redirectUri: "",
            correlationId: call.correlationId,
            proofOfPossession: { method: "GET", uri: "https://resource.example/api?x=1", nonce },
          },
          call.request.authParameters.account,
          false,
        ),
      ).authParameters.popParams;
      assert.deepEqual(ours, sent);
      // What MSALRuntime hands back is the stand-in's SHR, unchanged: bound AT inside, signed for this request.
      const shr = claimsOf(r.result.accessToken);
      assert.equal(headerOf(r.result.accessToken).typ, "pop");
      assert.deepEqual([shr.m, shr.u, shr.p, shr.nonce], ["GET", "resource.example", "/api", nonce]);
      assert.equal(claimsOf(shr.at).cnf.kid, headerOf(r.result.accessToken).kid);
      assert.equal(claimsOf(shr.at).preferred_username, account.username);
      seen.push(r.result.accessToken);
    }
    assert.notEqual(seen[0], seen[1], "a new nonce gets a new SHR, not a cached one");
  });
}
