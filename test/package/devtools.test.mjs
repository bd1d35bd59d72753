// entra-broker-devtools as app developers get it: its tarball installed beside entra-broker's in a
// fresh project (no network, see packed.mjs). Both entries load from ESM and CommonJS, the installed
// bin runs the dev authority, and the demo signs in through the stand-in broker with the installed
// entra-broker (its peer) and the stand-in running from its installed place.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { get } from "node:https";
import path from "node:path";
import { firstLine } from "../helpers/childProcess.mjs";
import { devtoolsRoot, freshProject, npm, pack, tarballEntries } from "./packed.mjs";

let main;
let devtools;
let project;
before(() => {
  main = pack();
  devtools = pack(undefined, devtoolsRoot);
  project = freshProject(main.tarball, { devtools: devtools.tarball });
  npm(["ci", "--offline", "--omit=optional", "--ignore-scripts"], { cwd: project });
});
process.on("exit", () => project && rmSync(project, { recursive: true, force: true }));

const env = { ...process.env };
for (const k of ["DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "ENTRA_BROKER_NATIVE_PATH", "NODE_OPTIONS"]) delete env[k];

test("the devtools tarball holds its build, its subpath shims and its README, and no sources", () => {
  const entries = tarballEntries(devtools.tarball);
  for (const needed of [
    "package.json",
    "README.md",
    "dist/index.js",
    "dist/index.d.ts",
    "dist/cli/main.js",
    "dist/standInBroker/main.js",
    "stand-in-broker/package.json",
    "chromium/package.json",
  ]) {
    assert.ok(entries.includes(needed), `${needed} is in the tarball`);
  }
  assert.deepEqual(
    entries.filter((e) => /^(src|test|node_modules)\//.test(e) || e.endsWith(".tgz")),
    [],
  );
});

test("its entries load from ESM by name and from CommonJS; the stand-in's process file is in the install", () => {
  const script = `import { DevAuthority, makeCertificates } from "entra-broker-devtools";
    import { StandInBroker, STAND_IN_BROKER_MAIN } from "entra-broker-devtools/stand-in-broker";
    import { launchChromium } from "entra-broker-devtools/chromium";
    import { createRequire } from "node:module";
    const req = createRequire(process.cwd() + "/");
    console.log(JSON.stringify({ same: req("entra-broker-devtools").DevAuthority === DevAuthority, types: [typeof DevAuthority.start, typeof makeCertificates, typeof StandInBroker.start, typeof launchChromium], main: STAND_IN_BROKER_MAIN }));`;
  const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: project, env, encoding: "utf8" }));
  assert.equal(out.same, true);
  assert.deepEqual(out.types, ["function", "function", "function", "function"]);
  assert.equal(out.main, path.join(project, "node_modules", "entra-broker-devtools", "dist", "standInBroker", "main.js"));
  assert.ok(existsSync(out.main));
});

test("the installed bin runs the dev authority, which answers over HTTPS with the CA it printed", async () => {
  const child = spawn(path.join(project, "node_modules", ".bin", "entra-broker-devtools"), ["dev-authority", "--json"], {
    cwd: project,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  try {
    const line = await firstLine(child);
    const info = JSON.parse(line);
    const status = await new Promise((resolve, reject) => {
      get(
        `${info.url}/${info.tenants[0].tenantId}/v2.0/.well-known/openid-configuration`,
        { ca: readFileSync(info.caPath, "utf8") },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      ).on("error", reject);
    });
    assert.equal(status, 200);
  } finally {
    clearTimeout(timer);
    child.kill("SIGKILL");
  }
});

test("the installed demo signs in through the stand-in broker with the installed entra-broker and its prebuilt addon", () => {
  const run = spawnSync(path.join(project, "node_modules", ".bin", "entra-broker-devtools"), ["demo", "--stand-in-broker"], {
    cwd: project,
    env,
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /signed in through the linux-dbus broker/);
  const out = JSON.parse(run.stdout);
  assert.equal(out.secondGetToken.servedFrom, "memory");
  assert.ok(!run.stdout.includes("eyJ"), "no token printed");
});
