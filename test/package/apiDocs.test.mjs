// The API reference (`npm run docs`, TypeDoc from the TSDoc in src/ and devtools/src/): every public export keeps
// its documentation, every link resolves, nothing public refers to an unexported type.
// Validation warnings count as errors here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { root } from "./packed.mjs";

const typedoc = path.join(root, "node_modules", "typedoc", "bin", "typedoc");

function runTypedoc(args) {
  const r = spawnSync(process.execPath, [typedoc, "--treatValidationWarningsAsErrors", "--treatWarningsAsErrors", ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

test("typedoc validates (documented, exported, links) and writes the reference", () => {
  const config = JSON.parse(readFileSync(path.join(root, "typedoc.json"), "utf8"));
  assert.deepEqual(config.validation, { notExported: true, invalidLink: true, notDocumented: true });
  const out = mkdtempSync(path.join(tmpdir(), "entra-api-docs-"));
  try {
    const { status, output } = runTypedoc(["--out", out]);
    assert.equal(status, 0, output);
    assert.doesNotMatch(output, /\[warning\]|\[error\]/, output);
    for (const page of [
      "index.html",
      "classes/entra-broker.InteractiveBrowserBrokerCredential.html",
      "classes/entra-broker-devtools.DevAuthority.html",
      "functions/entra-broker.brokerStatus.html",
    ]) {
      assert.ok(existsSync(path.join(out, page)), `${page} was written`);
    }
    const broker = readFileSync(path.join(out, "classes", "entra-broker.InteractiveBrowserBrokerCredential.html"), "utf8");
    assert.match(broker, /Signs a user in through the OS broker/, "the credential's TSDoc is on its page");
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("the validation has teeth: an undocumented export fails it", () => {
  // TypeDoc on a one-file entry point with an undocumented export, same validation settings.
  mkdirSync(path.join(root, ".test-tmp"), { recursive: true });
  const dir = mkdtempSync(path.join(root, ".test-tmp", "docs-"));
  try {
    const entry = path.join(dir, "entry.ts");
    writeFileSync(entry, "/** Documented. */\nexport const documented = 1;\nexport function undocumented(): number {\n  return 2;\n}\n");
    writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({ extends: path.join(root, "tsconfig.json"), compilerOptions: { rootDir: ".", noEmit: true }, include: ["entry.ts"] }),
    );
    const config = JSON.parse(readFileSync(path.join(root, "typedoc.json"), "utf8"));
    writeFileSync(
      path.join(dir, "typedoc.json"),
      JSON.stringify({ ...config, entryPoints: ["entry.ts"], tsconfig: "tsconfig.json", intentionallyNotExported: [] }),
    );
    const { status, output } = runTypedoc(["--options", path.join(dir, "typedoc.json"), "--emit", "none"]);
    assert.notEqual(status, 0, output);
    assert.match(output, /undocumented.*does not have any documentation/, output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
