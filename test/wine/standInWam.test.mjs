// The Windows broker end to end under Wine, against the stand-in WAM (test/wine/standInWam):
// InteractiveBrowserBrokerCredential -> msal-node -> our plugin -> our addon (cross-built) -> WinRT
// activation in Wine -> the stand-in, which logs every call with its arguments. The stand-in is
// first checked against Microsoft's own WAM client (MSALRuntime's Windows build).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { explainRun, root, winPath } from "./wine.mjs";
import { CLIENT_ID, TENANT, script, wamAccount, withStandInWam } from "./wamFixture.mjs";

const alice = wamAccount("wam-account-alice", "alïce.zoë@contoso.com", "aaaaaaaa-0000-4000-8000-000000000001");
const bob = wamAccount("wam-account-bob", "bob@contoso.com", "bbbbbbbb-0000-4000-8000-000000000002");

let prefix;
let wam;
withStandInWam((fixture) => ({ prefix, wam } = fixture));

async function scenario(phase, options = {}) {
  const run = await prefix.node(script("credential.mjs"), {
    args: [phase],
    env: {
      ...wam.env,
      SCENARIO: JSON.stringify({ clientId: CLIENT_ID, tenantId: TENANT, authorityHost: "https://login.microsoftonline.com", ...options }),
    },
  });
  assert.ok(run.result, explainRun(run));
  assert.equal(
    run.result.failed,
    undefined,
    `${phase} failed: ${JSON.stringify(run.result.failed)}\n${JSON.stringify(wam.calls(), null, 1)}`,
  );
  return run.result;
}

const calls = (name) => wam.calls().filter((c) => c.call === name);

test("the stand-in is faithful: MSALRuntime's Windows build signs in silently and discovers accounts through it", async () => {
  const runtimeDir = path.join(root, "node_modules", "@azure", "msal-node-runtime");
  assert.ok(
    existsSync(path.join(runtimeDir, "dist", "windows", "x64", "msalruntime.dll")),
    "@azure/msal-node-runtime's Windows build is installed",
  );
  wam.script({ defaultAccountId: alice.id, accounts: [alice] });
  writeFileSync(wam.files.state, JSON.stringify({ signedIn: [alice.id] }));
  const run = await prefix.node(script("msalRuntime.mjs"), { env: { ...wam.env, CLIENT_ID } });
  const r = run.result;
  assert.ok(r, explainRun(run));
  assert.equal(r.error, undefined, JSON.stringify(r.error));
  assert.equal(r.runtimeLoaded, true);
  assert.equal(r.startupError, undefined);
  assert.equal(r.silent.error, undefined, JSON.stringify(r.silent.error));
  assert.equal(r.silent.accessToken, alice.accessToken);
  assert.equal(r.silent.username, alice.userName);
  assert.equal(r.silent.homeAccountId, `${alice.properties.OID}.${TENANT}`);
  assert.ok(Array.isArray(r.accounts), JSON.stringify(r.accounts));
  assert.deepEqual(
    r.accounts.map((a) => a.username),
    [alice.userName],
  );
  // What Microsoft's client asked for, as the research describes it.
  const silent = calls("GetTokenSilentlyAsync")[0];
  assert.ok(silent, "MSALRuntime used GetTokenSilentlyAsync for the default account");
  assert.equal(silent.properties.wam_compat, "2.0");
  assert.equal(silent.clientId, CLIENT_ID);
  assert.ok(calls("FindAccountProviderAsync").some((c) => c.providerId === "https://login.windows.local"));
  assert.ok(
    calls("FindAllAccountsWithClientIdAsync").some((c) => c.providerAuthority === "consumers"),
    "it asked the MSA provider too, which refused",
  );
  assert.deepEqual(calls("QueryInterface.refused"), [], "the stand-in answered every interface MSALRuntime asked for");
});

test("signs in interactively with the window handle, then silently in a new process from the restored record; lists and signs out", async () => {
  wam.script({ accounts: [alice] });
  const signIn = await scenario("interactive", { hwnd: "efbeadde00000000" });
  assert.equal(signIn.token, alice.accessToken);
  assert.equal(signIn.tokenType, "Bearer");
  assert.equal(signIn.status.broker, "wam");
  assert.equal(signIn.status.available, true);
  const interactive = calls("RequestTokenForWindowAsync");
  assert.equal(interactive.length, 1, JSON.stringify(wam.calls()));
  const call = interactive[0];
  assert.equal(call.hwnd, "0xdeadbeef", "the sign-in is parented to the caller's window");
  assert.equal(call.clientId, CLIENT_ID);
  assert.match(call.scope, /https:\/\/graph\.microsoft\.com\/\.default/);
  assert.equal(call.prompt, 1, "ForceAuthentication when no account is known");
  assert.equal(call.providerId, "https://login.microsoft.com");
  assert.equal(call.providerAuthority, "organizations");
  assert.equal(call.properties.wam_compat, "2.0");
  assert.equal(call.properties.prompt, "select_account");
  assert.equal(call.properties.authority, `https://login.microsoftonline.com/${TENANT}`);
  assert.match(call.correlationId, /^[0-9a-f-]{36}$/, "set through IWebTokenRequest3");
  assert.ok(calls("GetTokenSilentlyWithWebAccountAsync").some((c) => c.account === alice.id && /storage\.azure\.com/.test(c.scope)));

  const record = JSON.parse(signIn.record);
  assert.equal(record.username, alice.userName);
  assert.equal(record.nativeAccountId, alice.id, "the record keeps WAM's account id");

  wam.reset();
  writeFileSync(wam.files.state, JSON.stringify({ signedIn: [alice.id] }));
  const silent = await scenario("silent", { record: signIn.record });
  assert.equal(silent.token, alice.accessToken);
  assert.ok(
    calls("FindAccountAsync").some((c) => c.accountId === alice.id),
    "the account was found again from its stored id",
  );
  assert.equal(calls("GetTokenSilentlyWithWebAccountAsync").length, 1);
  assert.equal(calls("RequestTokenForWindowAsync").length, 0, "no sign-in window");

  const listed = await scenario("accounts", { signOut: alice.userName });
  assert.deepEqual(
    listed.before.map((a) => [a.username, a.nativeAccountId, a.homeAccountId]),
    [[alice.userName, alice.id, `${alice.properties.OID}.${TENANT}`]],
  );
  assert.deepEqual(listed.after, []);
  assert.ok(calls("FindAllAccountsWithClientIdAsync").some((c) => c.clientId === CLIENT_ID));
  assert.ok(calls("SignOutWithClientIdAsync").some((c) => c.account === alice.id && c.clientId === CLIENT_ID));
});

test("claims and MSA passthrough reach WAM; a claims challenge WAM cannot meet silently signs the known account in again", async () => {
  wam.script({ accounts: [alice], tokenOutcome: { on: "silent", status: 3 } });
  const claims = JSON.stringify({ access_token: { nbf: { essential: true, value: "1" } } });
  const result = await scenario("claims", { claims, credentialOptions: { enableMsaPassthrough: true } });
  assert.equal(result.token, alice.accessToken);
  const [first, again] = [...calls("RequestTokenForWindowAsync"), ...calls("RequestTokenWithWebAccountForWindowAsync")];
  assert.equal(first.call, "RequestTokenForWindowAsync");
  assert.equal(first.properties.msafed, "1", "MSA passthrough lets Microsoft accounts into the tenant");
  const silent = calls("GetTokenSilentlyWithWebAccountAsync");
  assert.ok(
    silent.some((c) => c.properties.claims === claims),
    JSON.stringify(silent),
  );
  assert.ok(again, JSON.stringify(wam.calls()));
  assert.equal(again.call, "RequestTokenWithWebAccountForWindowAsync");
  assert.equal(again.account, alice.id);
  assert.equal(again.hwnd, "0xdeadbeef");
  assert.equal(again.properties.claims, claims);
  assert.equal(again.prompt, 0, "the account is known: no forced account picker");
});

test("uses the OS default account: GetTokenSilentlyAsync without an account", async () => {
  wam.script({ defaultAccountId: bob.id, accounts: [alice, bob] });
  const result = await scenario("defaultAccount");
  assert.equal(result.token, bob.accessToken);
  const silent = calls("GetTokenSilentlyAsync");
  assert.equal(silent.length, 1);
  assert.equal(silent[0].providerId, "https://login.windows.local");
  assert.equal(silent[0].account, undefined);
  assert.equal(calls("RequestTokenForWindowAsync").length, 0);
});

test("user cancel, interaction required, provider errors and no provider surface as the right errors", async () => {
  wam.script({ accounts: [alice] });
  const { record } = await scenario("interactive");
  const outcome = (o) => ({ accounts: [alice], tokenOutcome: o });
  const r = await scenario("errors", {
    record,
    standInScript: winPath(wam.files.script),
    cases: [
      { name: "cancel", call: "interactive", standIn: outcome({ on: "interactive", status: 1 }) },
      { name: "interaction", call: "silent", standIn: outcome({ on: "silent", status: 3 }) },
      {
        name: "provider",
        call: "interactive",
        standIn: outcome({ on: "interactive", status: 5, errorCode: 0xcaa2000c, errorMessage: "AADSTS50011: redirect URI mismatch" }),
      },
      {
        name: "network",
        call: "interactive",
        standIn: outcome({ on: "interactive", status: 5, errorCode: 0xcaa70004, errorMessage: "no network" }),
      },
      { name: "noProvider", call: "interactive", standIn: { accounts: [alice], noProvider: true } },
    ],
  });
  assert.equal(r.cancel.name, "AuthenticationError", JSON.stringify(r.cancel));
  assert.equal(r.cancel.error, "user_canceled");
  assert.equal(r.interaction.name, "AuthenticationRequiredError", JSON.stringify(r.interaction));
  assert.equal(r.provider.name, "AuthenticationError", JSON.stringify(r.provider));
  assert.equal(r.provider.error, "platform_broker_error");
  assert.match(r.provider.message, /AADSTS50011.*0xCAA2000C/s);
  assert.equal(r.network.error, "no_network_connectivity", JSON.stringify(r.network));
  // No provider: WAM is not usable, so the credential goes to the browser (which the script forbids).
  assert.match(r.noProvider.message, /browser must not open/, JSON.stringify(r.noProvider));
});

/** The interactive request was cancelled (IAsyncInfo::Cancel) and closed too (IAsyncInfo::Close), as every finished one is. */
function cancelledAndClosed() {
  for (const step of ["IAsyncInfo.Cancel", "IAsyncInfo.Close"]) {
    assert.ok(
      calls(step).some((c) => c.operation === "RequestTokenForWindowAsync"),
      `${step}: ${JSON.stringify(wam.calls())}`,
    );
  }
}

test("an abort, and the interactive time limit, cancel a slow WAM operation through IAsyncInfo::Cancel", async () => {
  wam.script({ accounts: [alice], tokenOutcome: { on: "interactive", status: 0, delayMs: 120000 } });
  const r = await scenario("abort", { abortAfterMs: 3000 });
  assert.equal(r.error?.name, "AbortError", JSON.stringify(r));
  assert.ok(r.elapsedMs < 60000, `the call ended ${r.elapsedMs} ms after it started`);
  cancelledAndClosed();

  wam.reset();
  const timedOut = await scenario("timeout", { timeoutMs: 3000 });
  assert.equal(timedOut.error?.name, "AuthenticationError", JSON.stringify(timedOut));
  assert.equal(timedOut.error.error, "timed_out");
  assert.ok(timedOut.elapsedMs < 60000, `the call ended ${timedOut.elapsedMs} ms after it started`);
  cancelledAndClosed();
});

test("the addon releases every WinRT object WAM hands it, whatever the outcome", async () => {
  wam.script({ accounts: [alice], defaultAccountId: alice.id });
  const run = await prefix.node(script("leaks.cjs"), {
    env: {
      ...wam.env,
      SCENARIO: JSON.stringify({
        clientId: CLIENT_ID,
        accountId: alice.id,
        standIn: { accounts: [alice], defaultAccountId: alice.id },
        standInScript: winPath(wam.files.script),
      }),
    },
  });
  assert.ok(run.result, explainRun(run));
  // availability, interactive, both listings, silent, silent PoP, interactive for the account, default
  // account, provider error, cancel, timeout, sign-out, silent after sign-out (interaction required), availability
  const expected = [
    "provider",
    "status 0",
    "accounts,providers",
    "accounts,providers",
    "status 0",
    "status 0",
    "status 0",
    "status 0",
    "status 5",
    "BROKER_CANCELLED",
    "BROKER_TIMEOUT",
    "signedOut",
    "status 3",
    "provider",
  ];
  assert.deepEqual(run.result, expected);
  const activations = calls("DllGetActivationFactory");
  const last = activations[activations.length - 1];
  assert.equal(
    last.live,
    0,
    `stand-in objects still alive after every call ended: ${last.live}; ${JSON.stringify(
      wam
        .calls()
        .filter((c) => c.call !== "QueryInterface.refused")
        .map((c) => c.live ?? c.call),
    )}`,
  );
});

// Node unloads an addon when the worker that loaded it ends; the call's own thread is still running
// in it then (the addon pins itself: without that, this process dies of a page fault).
test("a worker thread with a WAM call pending terminates promptly, and the process lives on", async () => {
  wam.script({ accounts: [alice], tokenOutcome: { on: "interactive", status: 0, delayMs: 120000 } });
  const run = await prefix.node(script("workerTeardown.cjs"), { env: wam.env });
  assert.ok(run.result, explainRun(run));
  assert.ok(run.result.terminateMs < 30000, `terminate() took ${run.result.terminateMs} ms`);
  assert.equal(run.code, 0, explainRun(run));
  assert.equal(calls("RequestTokenForWindowAsync").length, 1);
  // The worker's teardown cancelled the pending operation rather than leaving it to run on.
  assert.ok(
    calls("IAsyncInfo.Cancel").some((c) => c.operation === "RequestTokenForWindowAsync"),
    JSON.stringify(wam.calls()),
  );
});
