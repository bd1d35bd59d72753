// Install from the tarball, as a user would: what `npm pack` ships, a production install that holds
// only what sign-in needs and compiles nothing when a prebuild fits, an install with no compiler
// reachable that loads the prebuilt addon, and the node-gyp fallback when no prebuild fits.
// No network: see packed.mjs for where the dependencies come from.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freshProject, nodeOnlyPath, npm, onPath, pack, runIn, tarballEntries } from "./packed.mjs";

const STATUS = "console.log(JSON.stringify(require('entra-broker').brokerStatus()))";
const cleanEnv = { ...process.env };
delete cleanEnv.ENTRA_BROKER_NATIVE_PATH;
delete cleanEnv.PREBUILDS_ONLY;

let packed;
let entries;
before(() => {
  packed = pack();
  entries = tarballEntries(packed.tarball);
});

test("the tarball holds the build output, the prebuilds and what node-gyp needs, and no leftovers", () => {
  // setup.sh builds both (win32-x64 cross-built with mingw-w64): a missing one is a failure, not a skip.
  for (const p of ["linux-x64", "win32-x64"]) {
    assert.ok(
      entries.some((e) => e.startsWith(`prebuilds/${p}/`) && e.endsWith(".node")),
      `prebuilds/${p}/*.node is in the tarball`,
    );
  }
  for (const needed of [
    "package.json",
    "README.md",
    "TROUBLESHOOTING.md",
    "dist/index.js",
    "dist/index.d.ts",
    "dist/esm/index.mjs",
    "dist/esm/index.d.mts",
    "dist/cli/main.js",
    "binding.gyp",
    "CMakeLists.txt",
    "native/sources.js",
    "native/binding.cc",
    "native/broker.h",
  ]) {
    assert.ok(entries.includes(needed), `${needed} is in the tarball`);
  }
  const leftovers = entries.filter(
    (e) =>
      /^(build|src|test|scripts|bench|examples|docs|devtools|node_modules|\.ci|\.cache|\.scratch[^/]*)\//.test(e) ||
      /^dist\/(devAuthority|standInBroker|chromium)\/|^dist\/cli\/(demo|devAuthority)\./.test(e) ||
      /(^|\/)\.(cache|npmrc|gitignore)$/.test(e) ||
      /\.(o|obj|tgz|tsbuildinfo|map|log)$/.test(e) ||
      /(^|\/)(Makefile|config\.gypi)$/.test(e),
  );
  assert.deepEqual(leftovers, [], "no build leftovers, sources, tests or dev tools (those are entra-broker-devtools)");
  assert.ok(packed.size < 2_000_000, `tarball is ${packed.size} bytes`);
});

/** Every package folder under node_modules (scoped ones as @scope/name), nested ones included. */
function installedPackages(modules) {
  if (!existsSync(modules)) return [];
  return readdirSync(modules).flatMap((name) => {
    if (name.startsWith(".")) return [];
    if (name.startsWith("@"))
      return readdirSync(path.join(modules, name)).flatMap((n) => [
        `${name}/${n}`,
        ...installedPackages(path.join(modules, name, n, "node_modules")),
      ]);
    return [name, ...installedPackages(path.join(modules, name, "node_modules"))];
  });
}

/** The dev tools' dependencies belong to entra-broker-devtools, never to an app's install. */
function assertNoDevTools(installed) {
  for (const devOnly of ["dbus-next", "@peculiar/x509", "playwright-core", "usocket", "entra-broker-devtools"]) {
    assert.ok(!installed.includes(devOnly), `${devOnly} is not installed (it belongs to entra-broker-devtools)`);
  }
}

/** Folders under node_modules where something was compiled (node-gyp's build/ output). */
function compiledFolders(modules) {
  return installedPackages(modules).filter((name) => existsSync(path.join(modules, name, "build")));
}

test("a production install (scripts on, compiler reachable) holds only what sign-in needs and compiles nothing: the prebuild fits", () => {
  const project = freshProject(packed.tarball);
  try {
    const out = npm(["ci", "--offline", "--omit=dev", "--omit=optional", "--foreground-scripts"], {
      cwd: project,
      env: cleanEnv,
      all: true,
    });
    assert.match(out, /> node-gyp-build/, "our install script ran");
    assert.doesNotMatch(out, /gyp info|node-gyp rebuild|prebuild-install/, "no build tool ran");
    const modules = path.join(project, "node_modules");
    assert.deepEqual(compiledFolders(modules), [], "nothing was compiled");
    const installed = installedPackages(modules);
    assertNoDevTools(installed);
    for (const needed of ["@azure/msal-node", "@azure/core-auth", "@azure/logger", "node-gyp-build", "node-addon-api"])
      assert.ok(installed.includes(needed), needed);
    assert.ok(installed.length <= 32, `${installed.length} packages: ${installed.join(" ")}`);
    const status = runIn(project, STATUS, { ...cleanEnv, PREBUILDS_ONLY: "1" });
    assert.equal(status.addonLoaded, true, status.reason);
    const moved = spawnSync(process.execPath, ["-e", "require('entra-broker/dev-authority')"], { cwd: project, encoding: "utf8" });
    assert.match(moved.stderr, /ERR_PACKAGE_PATH_NOT_EXPORTED/, "the dev authority is not part of entra-broker");
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
});

test("installed with no compiler reachable and --ignore-scripts, the addon loads from prebuilds/", () => {
  const project = freshProject(packed.tarball);
  const PATH = nodeOnlyPath();
  for (const tool of ["cc", "gcc", "g++", "clang", "make", "python3"]) assert.equal(onPath(tool, PATH), false, `${tool} is not reachable`);
  try {
    npm(["ci", "--offline", "--ignore-scripts"], { cwd: project, env: { ...cleanEnv, PATH } });
    const installed = path.join(project, "node_modules", "entra-broker");
    assert.equal(existsSync(path.join(installed, "build")), false, "nothing was built");
    const status = runIn(project, STATUS, { ...cleanEnv, PATH, PREBUILDS_ONLY: "1" });
    assert.equal(status.addonLoaded, true, status.reason);
    assert.equal(status.addonPath, path.join(installed, "prebuilds", "linux-x64", "entra-broker.node"));
    // Both module systems reach the same classes; the installed bin runs.
    const esm = execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        "const m = await import('entra-broker'); const c = (await import('module')).createRequire(process.cwd() + '/')('entra-broker'); console.log(m.InteractiveBrowserBrokerCredential === c.InteractiveBrowserBrokerCredential)",
      ],
      { cwd: project, env: { ...cleanEnv, PATH }, encoding: "utf8" },
    );
    assert.equal(esm.trim(), "true");
    const help = execFileSync(path.join(project, "node_modules", ".bin", "entra-broker"), ["--help"], {
      cwd: project,
      env: { ...cleanEnv, PATH },
      encoding: "utf8",
    });
    assert.match(help, /^Usage: entra-broker <command>/);
  } finally {
    rmSync(project, { recursive: true, force: true });
    rmSync(PATH, { recursive: true, force: true });
  }
});

/** The same tarball without prebuilds/: no binary fits, whatever the platform. */
function tarballWithoutPrebuilds() {
  const dir = mkdtempSync(path.join(tmpdir(), "entra-noprebuild-"));
  execFileSync("tar", ["xzf", packed.tarball, "-C", dir]);
  rmSync(path.join(dir, "package", "prebuilds"), { recursive: true, force: true });
  const tarball = path.join(dir, "entra-broker-noprebuilds.tgz");
  execFileSync("tar", ["czf", tarball, "-C", dir, "package"]);
  return tarball;
}

/** Node's own headers, as scripts/build-native.mjs finds them, so node-gyp downloads nothing. */
function localNodeHeaders() {
  const dir = path.resolve(process.execPath, "..", "..");
  assert.ok(
    existsSync(path.join(dir, "include", "node", "node_api.h")),
    `Node's headers are at ${dir}/include/node (Debian: the nodejs package)`,
  );
  return dir;
}

test("with no fitting prebuild, install falls back to node-gyp and builds the addon", () => {
  const project = freshProject(tarballWithoutPrebuilds());
  try {
    // Scripts on, the real PATH (compiler, make, python3), Node's local headers.
    npm(["ci", "--offline", "--omit=optional", "--foreground-scripts"], {
      cwd: project,
      env: { ...cleanEnv, npm_config_nodedir: localNodeHeaders() },
    });
    const built = path.join(project, "node_modules", "entra-broker", "build", "Release", "entra_broker.node");
    assert.ok(existsSync(built), "node-gyp built build/Release/entra_broker.node");
    const status = runIn(project, STATUS, cleanEnv);
    assert.equal(status.addonLoaded, true, status.reason);
    assert.equal(status.addonPath, built);
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
});

test("with no fitting prebuild and no compiler, install still succeeds and the loader says what it looked for and what to do", () => {
  const project = freshProject(tarballWithoutPrebuilds());
  const PATH = nodeOnlyPath();
  try {
    const out = npm(["ci", "--offline", "--omit=optional", "--foreground-scripts"], {
      cwd: project,
      env: { ...cleanEnv, PATH },
      all: true,
    });
    assert.match(out, /building it from source failed; sign-in falls back to the system browser/);
    const installed = path.join(project, "node_modules", "entra-broker");
    assert.equal(existsSync(path.join(installed, "build", "Release", "entra_broker.node")), false);
    const status = runIn(project, STATUS, { ...cleanEnv, PATH });
    assert.equal(status.addonLoaded, false);
    assert.equal(status.available, false);
    assert.ok(!status.reason.includes("\n"), status.reason);
    const reason = status.detail; // the loader's whole text
    assert.match(status.reason, /native addon could not be loaded/);
    assert.ok(reason.includes(path.join(installed, "build", "Release", "entra_broker.node")), reason);
    assert.ok(reason.includes(`${path.join(installed, "prebuilds", "linux-x64", "*.node")} (no such folder)`), reason);
    assert.match(reason, /platform=linux arch=x64 node=\d+/);
    assert.match(reason, /build it from source/);
    assert.match(reason, /sign-in still works through the system browser/);
    // doctor gives an installed package's fix, not the repository's build script.
    const doctor = spawnSync(path.join(project, "node_modules", ".bin", "entra-broker"), ["doctor", "--json"], {
      cwd: project,
      env: { ...cleanEnv, PATH, HOME: project },
      encoding: "utf8",
    });
    assert.equal(doctor.status, 4, doctor.stderr);
    const { addon } = JSON.parse(doctor.stdout);
    assert.equal(addon.ok, false);
    assert.match(addon.fix, /`npm rebuild entra-broker` in your project/);
    assert.doesNotMatch(addon.fix, /build:native/);
  } finally {
    rmSync(project, { recursive: true, force: true });
    rmSync(PATH, { recursive: true, force: true });
  }
});

test("where keytar cannot build, the install still succeeds and persistence says why it is unavailable", () => {
  const project = freshProject(packed.tarball);
  const PATH = nodeOnlyPath();
  try {
    // Scripts on, optional dependencies included, no compiler: keytar's own install fails. It is told
    // to build from source (no prebuilt download) and node-gyp uses Node's local headers: no network.
    const env = { ...cleanEnv, PATH, npm_config_build_from_source: "true", npm_config_nodedir: localNodeHeaders() };
    const out = npm(["ci", "--offline", "--foreground-scripts"], { cwd: project, env, all: true });
    assert.match(out, /keytar/, "keytar's install ran");
    const modules = path.join(project, "node_modules");
    assert.equal(existsSync(path.join(modules, "keytar", "build", "Release", "keytar.node")), false, "keytar did not build");
    assert.equal(existsSync(path.join(modules, "entra-broker", "prebuilds", "linux-x64", "entra-broker.node")), true);
    // Optional dependencies on: still none of the dev tools' (no usocket for node-gyp), nothing of ours built.
    assertNoDevTools(installedPackages(modules));
    assert.equal(existsSync(path.join(modules, "entra-broker", "build")), false, "entra-broker used its prebuild");
    // Importing and plain use never touch keytar; persistence reports itself unavailable with the fix.
    const script = `
      const loadedKeytar = () => Object.keys(require.cache).some((f) => f.includes("keytar"));
      const eb = require("entra-broker");
      const status = require("entra-broker/package.json") && eb.brokerStatus();
      const before = loadedKeytar();
      const cred = new eb.DeviceCodeCredential({ tokenCachePersistenceOptions: { enabled: true, name: "tarball-test" }, authorityHost: "https://127.0.0.1:1", disableInstanceDiscovery: true });
      cred.getToken("https://graph.microsoft.com/.default").then(
        () => console.log(JSON.stringify({ before, ok: true })),
        (e) => console.log(JSON.stringify({ before, name: e.name, code: e.code, message: e.message })),
      );`;
    const outcome = runIn(project, script, { ...cleanEnv, PATH, HOME: project });
    assert.equal(outcome.before, false, "importing entra-broker loads no keytar");
    assert.equal(outcome.name, "CredentialUnavailableError", JSON.stringify(outcome));
    assert.equal(outcome.code, "PERSISTENCE_UNAVAILABLE", JSON.stringify(outcome));
    assert.match(outcome.message, /keytar|msal-node-extensions/i);
  } finally {
    rmSync(project, { recursive: true, force: true });
    rmSync(PATH, { recursive: true, force: true });
  }
});
