// `entra-broker token` against the dev authority, the browser and device code steps played over
// HTTP through the authority's real pages while the CLI waits in its own process.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { DevAuthority } from "entra-broker-devtools";
import { signInOverHttp, completeDeviceCodeOverHttp } from "../helpers/devAuthorityBrowser.mjs";
import { getLoopback } from "../helpers/signIn.mjs";
import { startPrivateBus } from "../helpers/privateBus.mjs";
import { chromiumAvailable, launchChromium, signInWithChromium } from "../helpers/chromium.mjs";
import { runCli, once, tempHome, decodeJwt, SIGN_IN_URL } from "./cli.mjs";

const SCOPE = "https://graph.microsoft.com/.default";
let authority;
let user;
let home;
let bus;

before(async () => {
  authority = await DevAuthority.start();
  user = authority.users[0];
  home = tempHome();
  bus = await startPrivateBus(); // a session bus with no broker on it
});
after(async () => {
  await authority?.close();
  await bus?.stop();
  home?.remove();
});

function authorityArgs() {
  return ["--authority-host", authority.url, "--authority-ca", authority.caPath, "--tenant", authority.tenants[0].tenantId];
}

/** Plays the user in a browser: signs in on the printed page, then lands on the CLI's loopback server. */
function browserUser(extra = {}) {
  return once(SIGN_IN_URL, async ([, url]) => {
    const final = await signInOverHttp(url, { ca: authority.ca, username: user.username, password: user.password, ...extra });
    await getLoopback(final);
  });
}

test("token --no-broker: prints the URL, signs in through the browser, prints only the token on stdout", async () => {
  const { code, stdout, stderr } = await runCli(["token", "--scope", SCOPE, "--no-broker", ...authorityArgs()], {
    home: home.dir,
    onStderr: browserUser(),
  });
  assert.equal(code, 0, stderr);
  const token = stdout.trim();
  assert.equal(stdout, `${token}\n`, "stdout holds the token alone");
  const claims = decodeJwt(token);
  assert.equal(claims.aud, "https://graph.microsoft.com");
  assert.equal(claims.preferred_username, user.username);
  assert.match(stderr, /signed in as .* through the browser/);
  assert.ok(!stderr.includes(token), "the token never goes to stderr");
});

test("token --json: the AccessToken and the account", async () => {
  const { code, stdout, stderr } = await runCli(["token", "--scope", SCOPE, "--no-broker", "--json", ...authorityArgs()], {
    home: home.dir,
    onStderr: browserUser(),
  });
  assert.equal(code, 0, stderr);
  const result = JSON.parse(stdout);
  assert.equal(typeof result.token, "string");
  assert.equal(result.tokenType, "Bearer");
  assert.ok(result.expiresOnTimestamp > Date.now());
  assert.equal(new Date(result.expiresOn).getTime(), result.expiresOnTimestamp);
  assert.equal(result.account.username, user.username);
  assert.equal(result.account.tenantId, decodeJwt(result.token).tid);
  assert.match(result.account.homeAccountId, /^[0-9a-f-]+\.[0-9a-f-]+$/);
});

test("token with the broker allowed but none on the bus falls back to the browser and says why", async () => {
  const { code, stdout, stderr } = await runCli(["token", "--scope", SCOPE, ...authorityArgs()], {
    home: home.dir,
    env: { DBUS_SESSION_BUS_ADDRESS: bus.address },
    onStderr: browserUser(),
  });
  assert.equal(code, 0, stderr);
  assert.ok(decodeJwt(stdout.trim()).oid);
  assert.match(stderr, /through the browser \(no broker: /);
});

test("token --device-code: instructions on stderr, completed on another device", async () => {
  let completed;
  const { code, stdout, stderr } = await runCli(["token", "--scope", SCOPE, "--device-code", "--json", ...authorityArgs()], {
    home: home.dir,
    onStderr: once(/(https:\/\/\S+\/devicelogin)\S*.*?enter the code (\S+)/i, ([, uri, userCode]) => {
      completed = completeDeviceCodeOverHttp(uri, userCode, { ca: authority.ca, username: user.username, password: user.password });
      return completed;
    }),
  });
  assert.equal(code, 0, stderr);
  assert.equal((await completed).result, "approved");
  const result = JSON.parse(stdout);
  assert.equal(decodeJwt(result.token).preferred_username, user.username);
  assert.match(stderr, /signed in as .* through a device code/);
});

test("the user cancelling on the sign-in page exits 3 with the authority's error", async () => {
  const { code, stdout, stderr } = await runCli(["token", "--scope", SCOPE, "--no-broker", ...authorityArgs()], {
    home: home.dir,
    onStderr: browserUser({ cancel: true }),
  });
  assert.equal(code, 3, stderr);
  assert.equal(stdout, "");
  assert.match(stderr, /^entra-broker token: AuthenticationError \[access_denied\]/m);
});

test("token --silent with nobody signed in exits 3 without opening anything", async () => {
  const { code, stdout, stderr } = await runCli(["token", "--scope", SCOPE, "--no-broker", "--silent", ...authorityArgs()], {
    home: home.dir,
    timeoutMs: 60_000,
  });
  assert.equal(code, 3, stderr);
  assert.equal(stdout, "");
  assert.match(stderr, /AuthenticationRequiredError \[AUTHENTICATION_REQUIRED\]/);
  assert.doesNotMatch(stderr, SIGN_IN_URL);
});

test("an interactive sign-in nobody finishes ends at --timeout", async () => {
  const { code, stderr } = await runCli(["token", "--scope", SCOPE, "--no-broker", "--timeout", "2", ...authorityArgs()], {
    home: home.dir,
    timeoutMs: 60_000,
  });
  assert.equal(code, 1, stderr);
  assert.match(stderr, SIGN_IN_URL);
  assert.match(stderr, /^entra-broker token: AuthenticationError \[timed_out\]: /m);
  assert.doesNotMatch(stderr, /\n\s+at /);
});

test("Ctrl+C during a sign-in ends it cleanly with exit 130", async () => {
  const { code, signal, stderr } = await runCli(["token", "--scope", SCOPE, "--no-broker", ...authorityArgs()], {
    home: home.dir,
    timeoutMs: 60_000,
    onStderr: once(SIGN_IN_URL, (_, child) => child.kill("SIGINT")),
  });
  assert.equal(signal, null);
  assert.equal(code, 130, stderr);
  assert.match(stderr, /entra-broker token: interrupted/);
});

test("an unreachable authority is a one-line error, exit 1 or 4, no stack", async () => {
  const { code, stderr } = await runCli(
    ["token", "--scope", SCOPE, "--no-broker", "--silent", "--authority-host", "https://127.0.0.1:1", "--authority-ca", authority.caPath],
    {
      home: home.dir,
      timeoutMs: 60_000,
    },
  );
  assert.ok(code === 1 || code === 4, `exit ${code}: ${stderr}`);
  assert.match(stderr, /^entra-broker token: \w+Error.*ECONNREFUSED/m);
  assert.doesNotMatch(stderr, /\n\s+at /);
});

test("token in headless Chromium: a real browser signs in on the printed page and lands on the CLI's loopback", async () => {
  assert.ok(chromiumAvailable(), "Debian chromium is not installed (/usr/bin/chromium); run scripts/setup.sh");
  const browser = await launchChromium({ ca: authority.ca });
  try {
    const { code, stdout, stderr } = await runCli(["token", "--scope", SCOPE, "--no-broker", "--json", ...authorityArgs()], {
      home: home.dir,
      onStderr: once(SIGN_IN_URL, ([, url]) => signInWithChromium(browser, url, { username: user.username, password: user.password })),
    });
    assert.equal(code, 0, stderr);
    assert.equal(decodeJwt(JSON.parse(stdout).token).preferred_username, user.username);
  } finally {
    await browser.close();
  }
});

test("a private authority without its CA: the TLS error says to pass --authority-ca", async () => {
  const { code, stderr } = await runCli(
    ["token", "--scope", SCOPE, "--no-broker", "--silent", "--authority-host", authority.url, "--tenant", authority.tenants[0].tenantId],
    {
      home: home.dir,
      timeoutMs: 60_000,
    },
  );
  assert.equal(code, 4, stderr); // unavailable: the authority could not be reached
  assert.match(stderr, /certificate.*pass its CA with --authority-ca FILE/);
});

test("--allow-unencrypted-cache with no secret store: a 0600 cache, the next run silent; verbose logs carry no token or secret", async () => {
  const own = tempHome();
  try {
    const args = ["--scope", SCOPE, "--no-broker", "--allow-unencrypted-cache", ...authorityArgs()];
    const env = { AZURE_LOG_LEVEL: "verbose" };
    const first = await runCli(["token", "--json", ...args], { home: own.dir, env, onStderr: browserUser() });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /token cache: NOT encrypted, in \S+entra-broker-cli\.nocae/);
    const file = path.join(own.dir, ".IdentityService", "entra-broker-cli.nocae");
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const cache = JSON.parse(readFileSync(file, "utf8"));
    const secrets = ["AccessToken", "RefreshToken", "IdToken"].flatMap((section) =>
      Object.values(cache[section] ?? {}).map((e) => e.secret),
    );
    assert.ok(secrets.length >= 3, "the cache holds the tokens");
    for (const secret of [JSON.parse(first.stdout).token, ...secrets])
      assert.ok(!first.stderr.includes(secret), "no token or secret on stderr");
    assert.match(first.stderr, /azure:entra-broker:verbose/, "verbose logging was on");

    const tokenRequests = authority.counters.token;
    const second = await runCli(["token", "--silent", ...args], { home: own.dir, env });
    assert.equal(second.code, 0, second.stderr);
    assert.equal(authority.counters.token, tokenRequests, "served from the file cache");
    for (const secret of secrets) assert.ok(!second.stderr.includes(secret), "no secret on stderr");

    const doctor = await runCli(["doctor", "--json", "--allow-unencrypted-cache"], { home: own.dir });
    const persistence = JSON.parse(doctor.stdout).persistence;
    assert.deepEqual([persistence.ok, persistence.backend, persistence.encrypted], [true, "file", false]);
  } finally {
    own.remove();
  }
});
