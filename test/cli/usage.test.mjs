// The CLI's surface: --help for every command, and every bad argument as one line naming the flag,
// with the usage exit code (2) and never a stack trace.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runCli } from "./cli.mjs";

const COMMANDS = ["token", "accounts", "logout", "doctor"]; // dev-authority, demo: entra-broker-devtools (test/devAuthority/cli.test.mjs)

test("entra-broker --help lists every command and the exit codes", async () => {
  const { code, stdout, stderr } = await runCli(["--help"]);
  assert.equal(code, 0, stderr);
  for (const c of COMMANDS) assert.match(stdout, new RegExp(`^  ${c} `, "m"));
  assert.match(stdout, /Exit codes:[\s\S]*\b2\s+bad usage[\s\S]*\b130\s+interrupted/);
});

test("no command prints the help with the usage exit code", async () => {
  const { code, stdout } = await runCli([]);
  assert.equal(code, 2);
  assert.match(stdout, /Usage: entra-broker <command>/);
});

for (const command of COMMANDS) {
  test(`${command} --help prints its usage on stdout`, async () => {
    const { code, stdout, stderr } = await runCli([command, "--help"]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, new RegExp(`^Usage: entra-broker ${command}\\b`));
    assert.equal(stderr, "");
  });
}

const BAD = [
  [["frob"], /unknown command "frob"/],
  [["token"], /--scope is required/],
  [["token", "--scope"], /--scope needs a value/],
  [["token", "--scope", 'a"b'], /--scope: Invalid scope/],
  [["token", "--scope", "x", "--bogus"], /unknown option --bogus/],
  [["token", "--scope", "x", "--json=yes"], /--json takes no value/],
  [["token", "--scope", "x", "stray"], /unexpected argument stray/],
  [["token", "--scope", "x", "--tenant", "../evil"], /--tenant: Invalid tenant id/],
  [["token", "--scope", "x", "--authority-host", "http://login.example"], /--authority-host: .*https/],
  [["token", "--scope", "x", "--authority-host", "not a url"], /--authority-host: .*not a URL/],
  [["token", "--scope", "x", "--client-id", "a b"], /--client-id: Invalid client id/],
  [["token", "--scope", "x", "--authority-ca", "/nonexistent/ca.pem"], /--authority-ca: cannot read/],
  [["token", "--scope", "x", "--authority-ca", import.meta.filename], /--authority-ca: .*no PEM certificate/],
  [["token", "--scope", "x", "--timeout", "soon"], /--timeout: /],
  [["token", "--scope", "x", "--cache-name", "../x"], /--cache-name: /],
  [["accounts", "--tenant", "a b"], /--tenant: Invalid tenant id/],
  [["accounts", "--username", "x"], /unknown option --username/],
  [["logout"], /give --username U or --all/],
  [["logout", "--all", "--username", "u"], /either --username or --all/],
  [["logout", "--username"], /--username needs a value/],
  [["logout", "--username", ""], /--username: give the account's sign-in name/],
  [["token", "--scope", "x", "--username", " "], /--username: give the account's sign-in name/],
  [["token", "--scope", "x", "--timeout", "0"], /--timeout: /],
  [["accounts", "--cache-name", "a/b"], /--cache-name: /],
  [["doctor", "--cache-name", ".."], /--cache-name: /],
  [["doctor", "--json=1"], /--json takes no value/],
  [["doctor", "--client-id", "x/y"], /--client-id: /],
  [["doctor", "--bundle-id", "a b"], /--bundle-id: /],
];

for (const [args, message] of BAD) {
  test(`bad usage: entra-broker ${args.join(" ")}`, async () => {
    const { code, stdout, stderr } = await runCli(args, { timeoutMs: 30_000 });
    assert.equal(code, 2, stderr);
    assert.equal(stdout, "");
    assert.match(stderr, message);
    assert.match(stderr, /^entra-broker[ a-z-]*: /);
    assert.equal(stderr.trimEnd().split("\n").length, 1, `one line: ${stderr}`);
    assert.doesNotMatch(stderr, /\n\s+at /);
  });
}
