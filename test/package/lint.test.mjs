// The habits the code keeps, checked like behaviour: typescript-eslint with type information over
// both packages' sources (no warning, no unused disable comment), Prettier over the TypeScript and
// the scripts, clang-format (.clang-format) over native/ less its vendored and declared headers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);

function run(command, args) {
  const r = spawnSync(command, args, { cwd: root, encoding: "utf8", timeout: 180_000 });
  assert.equal(r.error, undefined, `${command}: ${r.error?.message}`);
  return r;
}

test("eslint (type-aware) finds nothing in src/ and devtools/src/", () => {
  const r = run(bin("eslint"), ["--max-warnings", "0", "--report-unused-disable-directives-severity", "error", "src", "devtools/src"]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test("prettier finds every file formatted", () => {
  const r = run(bin("prettier"), [
    "--check",
    "src/**/*.ts",
    "devtools/src/**/*.ts",
    "test/**/*.{mjs,cjs}",
    "bench/**/*.mjs",
    "scripts/**/*.mjs",
    "*.mjs",
  ]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

function nativeSources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return /^(third_party|check-headers)$/.test(name) ? [] : nativeSources(full);
    return /\.(cc|h|mm)$/.test(name) ? [full] : [];
  });
}

test("clang-format finds native/ formatted", () => {
  const files = nativeSources(path.join(root, "native"));
  assert.ok(files.length > 20, `only ${files.length} native sources found`);
  const r = run("clang-format", ["--dry-run", "-Werror", ...files]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
