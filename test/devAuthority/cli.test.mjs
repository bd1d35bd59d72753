// entra-broker-devtools' command line: `dev-authority` prints where it listens and its CA, answers
// over HTTPS with that CA, and stops cleanly on Ctrl+C; --help and bad usage as one line, exit 2;
// each command's module is loaded only when it runs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { get } from "node:https";
import { createRequire } from "node:module";
import { firstLine } from "../helpers/childProcess.mjs";

const CLI = createRequire(import.meta.url)
  .resolve("entra-broker-devtools/package.json")
  .replace(/package\.json$/, "dist/cli/main.js");

function run(args) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 30_000 });
}

function getJson(url, ca) {
  return new Promise((resolve, reject) => {
    get(url, { ca }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode, body: JSON.parse(body) }));
    }).on("error", reject);
  });
}

test("dev-authority --json: its URL, CA, tenants and users on stdout; it answers with that CA; Ctrl+C stops it with exit 0", async () => {
  const child = spawn(process.execPath, [CLI, "dev-authority", "--json"], { stdio: ["ignore", "pipe", "pipe"] });
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal })));
  try {
    const line = await firstLine(child, () => stderr);
    const info = JSON.parse(line);
    assert.match(info.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(info.tenants.length >= 1 && info.users.length >= 1);
    assert.ok(info.users.every((u) => u.username && u.password));
    const ca = readFileSync(info.caPath, "utf8");
    const { status, body } = await getJson(`${info.url}/${info.tenants[0].tenantId}/v2.0/.well-known/openid-configuration`, ca);
    assert.equal(status, 200);
    assert.equal(body.token_endpoint, `${info.url}/${info.tenants[0].tenantId}/oauth2/v2.0/token`);
    child.kill("SIGINT");
    assert.deepEqual(await exited, { code: 0, signal: null }, stderr);
    assert.match(stderr, /dev authority running; Ctrl\+C to stop/);
  } finally {
    clearTimeout(timer);
    child.kill("SIGKILL");
  }
});

test("--help lists both commands; each command's --help prints its usage", () => {
  const help = run(["--help"]);
  assert.equal(help.status, 0, help.stderr);
  for (const c of ["dev-authority", "demo"]) {
    assert.match(help.stdout, new RegExp(`^  ${c} `, "m"));
    const own = run([c, "--help"]);
    assert.equal(own.status, 0, own.stderr);
    assert.match(own.stdout, new RegExp(`^Usage: entra-broker-devtools ${c}\\b`));
  }
  assert.equal(run([]).status, 2);
});

for (const [args, message] of [
  [["frob"], /unknown command "frob"/],
  [["dev-authority", "--port", "abc"], /--port: /],
  [["dev-authority", "--port", "99999"], /--port: /],
  [["dev-authority", "--json=1"], /--json/],
  [["demo", "--nope"], /unknown option --nope/],
]) {
  test(`bad usage: entra-broker-devtools ${args.join(" ")}`, () => {
    const { status, stdout, stderr } = run(args);
    assert.equal(status, 2, stderr);
    assert.equal(stdout, "");
    assert.match(stderr, message);
    assert.match(stderr, /^entra-broker-devtools[ a-z-]*: /);
    assert.equal(stderr.trimEnd().split("\n").length, 1, `one line: ${stderr}`);
  });
}

test("a command's module is loaded only when it runs: --help loads neither the dev authority, D-Bus nor entra-broker", () => {
  const script = `process.argv = [process.argv[0], ${JSON.stringify(CLI)}, "--help"]; require(${JSON.stringify(CLI)});
    process.on("exit", () => console.error(JSON.stringify(Object.keys(require.cache))));`;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const loaded = JSON.parse(r.stderr.trim().split("\n").pop());
  assert.deepEqual(
    loaded.filter((f) => /devAuthority|standInBroker|dbus-next|@peculiar|playwright|entra-broker[\\/]dist|[\\/]dist[\\/]index\.js/.test(f)),
    [],
  );
});
