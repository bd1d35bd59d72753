// The Electron example (examples/electron) cannot run here: no display, and Electron's own binary is
// not installed (scripts/setup-examples.sh installs the electron package with scripts off). What can
// be checked is checked: its code type-checks against the real electron types and ours, a wrong
// call is caught by that check, and its packaging keeps native modules out of the asar archive.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { root } from "./packed.mjs";

const example = path.join(root, "examples", "electron");
const tsc = path.join(example, "node_modules", "typescript", "bin", "tsc");

function typecheck(project) {
  const r = spawnSync(process.execPath, [tsc, "-p", project, "--noEmit", "--pretty", "false"], { cwd: example, encoding: "utf8" });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

test("the example's dependencies are installed: the real electron types, entra-broker linked to this repository", () => {
  assert.ok(existsSync(path.join(example, "node_modules", "electron", "electron.d.ts")), "run scripts/setup-examples.sh");
  assert.equal(realpathSync(path.join(example, "node_modules", "entra-broker")), realpathSync(root));
  assert.ok(existsSync(path.join(root, "dist", "index.d.ts")), "entra-broker is built (npm run build)");
});

test("examples/electron type-checks (tsc --noEmit, strict)", () => {
  const { status, output } = typecheck(example);
  assert.equal(status, 0, output);
});

test("the type check catches a wrong call: a string as parentWindowHandle, a renderer-style handle", () => {
  const dir = mkdtempSync(path.join(example, "src", ".typecheck-"));
  try {
    writeFileSync(
      path.join(dir, "bad.ts"),
      [
        'import { BrowserWindow } from "electron";',
        'import { InteractiveBrowserBrokerCredential } from "entra-broker";',
        "export function wrong(win: BrowserWindow) {",
        '  new InteractiveBrowserBrokerCredential({ parentWindowHandle: "0x1234" });',
        "  new InteractiveBrowserBrokerCredential({ parentWindowHandle: win.getNativeWindowHandle().toString() });",
        "  new InteractiveBrowserBrokerCredential({ parentWindowHandle: win.getNativeWindowHandle() });",
        "}",
        "",
      ].join("\n"),
    );
    writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({ extends: "../../tsconfig.json", compilerOptions: { rootDir: "." }, include: ["bad.ts"] }),
    );
    const { status, output } = typecheck(dir);
    assert.notEqual(status, 0, output);
    const errors = output.split("\n").filter((l) => / error TS\d+/.test(l));
    assert.equal(errors.length, 2, output);
    for (const [i, line] of [4, 5].entries()) {
      assert.match(
        errors[i],
        new RegExp(`bad\\.ts\\(${line},\\d+\\): error TS2322: Type 'string' is not assignable to type 'NativeWindowHandle`),
        output,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("packaging: native modules unpacked from the asar, no rebuild (Node-API), entra-broker only in the main process", () => {
  const pkg = JSON.parse(readFileSync(path.join(example, "package.json"), "utf8"));
  assert.deepEqual(pkg.build.asarUnpack, ["**/*.node"]);
  assert.equal(pkg.build.npmRebuild, false);
  assert.equal(pkg.main, "dist/main.js");
  assert.match(pkg.devDependencies.electron, /^\^?(3\d|[4-9]\d)\./, "Electron 30 or later");
  const main = readFileSync(path.join(example, "src", "main.ts"), "utf8");
  assert.match(main, /parentWindowHandle: win\.getNativeWindowHandle\(\)/);
  assert.match(main, /from "entra-broker"/);
  for (const file of ["src/preload.ts", "src/shared.ts", "renderer.js", "index.html"]) {
    assert.doesNotMatch(
      readFileSync(path.join(example, file), "utf8"),
      /entra-broker"|require\(["']entra-broker/,
      `${file} does not load entra-broker`,
    );
  }
  assert.match(
    main,
    new RegExp(`const APP_ID = "${pkg.build.appId.replace(/\./g, "\\.")}"`),
    "the macOS redirect URI uses the packaged bundle id",
  );
});
