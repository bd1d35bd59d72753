// STAND-IN, not the real tool: the part of `az`, `pwsh` (Az.Accounts) and `azd` that the developer
// tool credentials use, for tests on machines where PowerShell and azd cannot be installed. It
// answers exactly the commands the credentials run, prints the output shapes the real tools
// document, and gets its token from the dev authority (the password grant of the signed-in user).
// Its state (who is signed in, or a fault) is state.json beside the PATH entry it was run through.
"use strict";
const fs = require("node:fs");
const https = require("node:https");
const path = require("node:path");
const { spawn } = require("node:child_process");

const invokedAs = process.argv[1];
const dir = path.dirname(invokedAs);
const state = JSON.parse(fs.readFileSync(path.join(dir, "state.json"), "utf8"));

function fail(message, code = 1) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** Modes every tool shares: the failures a credential must survive. */
function commonFault(tool) {
  const mode = state.modes?.[tool] ?? state.mode ?? "signed-in";
  if (mode === "hang") {
    // A child that holds the pipes too: only ending the whole process tree ends the run.
    const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "inherit" });
    fs.writeFileSync(path.join(dir, `${tool}.hang.pids`), `${process.pid} ${child.pid}\n`);
    setInterval(() => {}, 1000);
    return true;
  }
  if (mode === "garbage") {
    process.stdout.write("Welcome to the tool! {not json at all\n");
    process.exit(0);
  }
  if (mode === "flood") {
    process.stdout.write("x".repeat(4 * 1024 * 1024));
    process.exit(0);
  }
  return false;
}

function mode(tool) {
  return state.modes?.[tool] ?? state.mode ?? "signed-in";
}

function record(tool, args) {
  fs.appendFileSync(path.join(dir, "invocations.log"), `${JSON.stringify({ tool, args, cwd: process.cwd() })}\n`);
}

/** A token for `scope` in `tenant` (default: the state's) from the dev authority, for the signed-in user. */
function fetchToken(scope, tenant) {
  const form = new URLSearchParams({
    grant_type: "password",
    client_id: state.clientId,
    username: state.username,
    password: state.password,
    scope,
  });
  const url = new URL(`${state.authority}/${tenant || state.tenantId}/oauth2/v2.0/token`);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { method: "POST", ca: fs.readFileSync(state.caPath), headers: { "content-type": "application/x-www-form-urlencoded" } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (body += c));
        res.on("end", () => {
          const reply = JSON.parse(body);
          if (res.statusCode !== 200) reject(new Error(`${reply.error}: ${reply.error_description}`));
          else resolve({ token: reply.access_token, expiresOn: new Date(Date.now() + reply.expires_in * 1000) });
        });
      },
    );
    req.on("error", reject);
    req.end(form.toString());
  });
}

/** `name value` pairs after a fixed prefix, each at most once, none unknown. */
function options(args, prefix, allowed) {
  for (let i = 0; i < prefix.length; i++) if (args[i] !== prefix[i]) fail(`stand-in: unexpected command: ${args.join(" ")}`, 2);
  const found = {};
  for (let i = prefix.length; i < args.length; i += 2) {
    const name = args[i];
    if (!allowed.includes(name) || name in found || args[i + 1] === undefined) fail(`stand-in: unexpected argument ${name}`, 2);
    found[name] = args[i + 1];
  }
  return found;
}

/** "2026-12-01 21:39:05.000000": local time without an offset, as az prints it. */
function azLocalTime(date) {
  const p = (n, w = 2) => String(n).padStart(w, "0");
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}.000000`;
}

/** "2026-12-02T03:04:05+01:00": a DateTimeOffset as PowerShell 7's ConvertTo-Json writes it (local offset). */
function powerShellTime(date) {
  const offset = -date.getTimezoneOffset();
  const p = (n) => String(Math.trunc(Math.abs(n))).padStart(2, "0");
  const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 19);
  return `${local}${offset < 0 ? "-" : "+"}${p(offset / 60)}:${p(offset % 60)}`;
}

module.exports = { state, fail, commonFault, mode, record, fetchToken, options, azLocalTime, powerShellTime };
