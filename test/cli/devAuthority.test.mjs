// `entra-broker dev-authority`: the offline authority as a command. It prints where it listens and
// its CA, answers over HTTPS with that CA, and stops cleanly on Ctrl+C.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { get } from "node:https";
import { CLI } from "./cli.mjs";

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
    const line = await new Promise((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
        if (out.includes("\n")) resolve(out.slice(0, out.indexOf("\n")));
      });
      child.on("close", () => reject(new Error(`exited before printing: ${stderr}`)));
    });
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
