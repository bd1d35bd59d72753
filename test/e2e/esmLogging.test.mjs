// An ESM app sets the log level and the log sink on its own (ESM) import of @azure/logger; our
// messages must reach it, though the package's code is CommonJS. Run in a fresh process, since the
// test runner's own module graph may already hold either build.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

test("setLogLevel and AzureLogger.log from ESM @azure/logger see entra-broker's messages", () => {
  const script = `
    import { AzureLogger, setLogLevel } from "@azure/logger";
    const lines = [];
    AzureLogger.log = (...args) => lines.push(args.join(" "));
    setLogLevel("info");
    const { ChainedTokenCredential, CredentialUnavailableError } = await import("entra-broker");
    const none = { getToken: async () => { throw new CredentialUnavailableError("not here"); } };
    await new ChainedTokenCredential(none).getToken("https://graph.microsoft.com/.default").catch(() => {});
    console.log(JSON.stringify(lines));`;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, AZURE_LOG_LEVEL: "" },
  });
  assert.equal(run.status, 0, run.stderr);
  const lines = JSON.parse(run.stdout.trim().split("\n").pop());
  assert.ok(
    lines.some((l) => l.includes("entra-broker") && l.includes("ChainedTokenCredential")),
    JSON.stringify(lines),
  );
});
