// Package hygiene: publint (package.json fields against the packed files) and
// @arethetypeswrong/cli (types resolve and match the JavaScript under node10, node16 CJS/ESM and
// bundler resolution) on what `npm pack` ships, for entra-broker and for entra-broker-devtools.
// Either tool reporting anything fails the test.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { devtoolsRoot, pack, root } from "./packed.mjs";

/** The tool's own CLI file, from its package.json (their `exports` hide package.json from require). */
function bin(pkg, name) {
  const dir = path.join(root, "node_modules", pkg);
  return path.join(dir, JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).bin[name]);
}
const publint = bin("publint", "publint");
const attw = bin("@arethetypeswrong/cli", "attw");

function run(script, args, cwd = root) {
  const r = spawnSync(process.execPath, [script, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

let packed;
let devtools;
before(() => {
  packed = pack();
  devtools = pack(undefined, devtoolsRoot);
});

const PACKAGES = [
  { name: "entra-broker", dir: root, tarball: () => packed.tarball, entries: ["entra-broker"] },
  {
    name: "entra-broker-devtools",
    dir: devtoolsRoot,
    tarball: () => devtools.tarball,
    entries: ["entra-broker-devtools", "entra-broker-devtools/stand-in-broker", "entra-broker-devtools/chromium"],
  },
];

for (const pkg of PACKAGES) {
  test(`${pkg.name}: publint --strict finds nothing (suggestions and warnings count as errors)`, () => {
    const { status, output } = run(publint, ["--strict", "--pack", "npm"], pkg.dir);
    assert.equal(status, 0, output);
    assert.match(output, /All good!/, output);
  });

  test(`${pkg.name}: @arethetypeswrong/cli finds no problem in the tarball, in any resolution mode`, () => {
    const { status, output } = run(attw, [pkg.tarball(), "--format", "table-flipped"]);
    assert.equal(status, 0, output);
    assert.match(output, /No problems found/, output);
    for (const entry of pkg.entries) assert.ok(output.includes(`"${entry}"`), `${entry} was checked`);
  });
}

test("the checks have teeth: a package whose exports point at a missing file fails both", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "entra-broken-pkg-"));
  execFileSync("tar", ["xzf", packed.tarball, "-C", dir]);
  const pkgDir = path.join(dir, "package");
  const pkg = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8"));
  pkg.exports["."].require.types = "./dist/missing.d.ts";
  writeFileSync(path.join(pkgDir, "package.json"), JSON.stringify(pkg, null, 2));
  const lint = run(publint, ["--strict", pkgDir]);
  assert.notEqual(lint.status, 0, lint.output);
  assert.match(lint.output, /missing\.d\.ts/);
  const broken = execFileSync("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", dir], {
    cwd: pkgDir,
    encoding: "utf8",
  }).trim();
  const types = run(attw, [path.join(dir, broken)]);
  assert.notEqual(types.status, 0, types.output);
});
