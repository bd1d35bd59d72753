// Nothing loaded before it is needed: `--help` loads no command's module, importing the package
// loads no msal-node, and msal-node arrives with the first token request.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** The modules a fresh process had loaded when `script` finished (run with `node -e`). */
function loadedBy(script) {
  const report = `process.on("exit",()=>process.stderr.write("\\n@@"+JSON.stringify(Object.keys(require.cache))))`;
  const run = spawnSync(process.execPath, ["-e", `${report};${script}`], { cwd: root, encoding: "utf8", timeout: 30_000 });
  const at = run.stderr.lastIndexOf("@@");
  assert.ok(at >= 0, run.stderr);
  return JSON.parse(run.stderr.slice(at + 2)).map((f) => f.slice(root.length));
}

test("entra-broker --help loads the CLI's frame only, no command and no library module", () => {
  const loaded = loadedBy(`process.argv=[process.execPath,"main","--help"];require("./dist/cli/main.js")`);
  assert.deepEqual(
    // The frame: the CLI's own four modules, and the error classes its exit codes are read from.
    loaded.filter((f) => !/^dist\/(cli\/(main|command|exitCodes|interrupt)|errors)\.js$/.test(f)),
    [],
  );
});

test("importing entra-broker and making a credential loads neither msal-node nor msal-node-extensions", () => {
  const loaded = loadedBy(
    `const m=require("./dist");new m.DeviceCodeCredential();new m.InteractiveBrowserCredential();new m.InteractiveBrowserBrokerCredential()`,
  );
  assert.ok(loaded.includes("dist/index.js"));
  assert.deepEqual(
    loaded.filter((f) => /msal-node|keytar/.test(f)),
    [],
  );
});

test("require('entra-broker') loads its index only; a credential's modules arrive with its first use, no other credential's", () => {
  assert.deepEqual(loadedBy(`require("./dist")`), ["dist/index.js"]);
  const loaded = loadedBy(`const m=require("./dist");new m.ClientSecretCredential("t","c","s")`);
  assert.ok(loaded.includes("dist/credentials/clientSecretCredential.js"), loaded.join(" "));
  const others = loaded.filter((f) =>
    /credentials\/(deviceCode|interactiveBrowser|managedIdentity|azureCli|defaultAzure|visualStudioCode|sharedTokenCache)/.test(f),
  );
  assert.deepEqual(others, [], "another credential's modules were loaded");
  assert.deepEqual(
    loaded.filter((f) => /cache\/persistence\/(store|plugin|lock)|browser\/loopbackServer/.test(f)),
    [],
    "the secret store's glue or the loopback server loaded before use",
  );
});
