// Runs every test file under test/ with Node's built-in runner. Extra arguments filter by path.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const filters = process.argv.slice(2);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : full.endsWith(".test.mjs") ? [full] : [];
  });
}

const files = walk(path.join(root, "test"))
  .filter((f) => filters.length === 0 || filters.some((flt) => f.includes(flt)))
  .sort();
if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}
// The time limit is per file too: the sanitizer build (test/native/builds) takes minutes on 2 busy cores.
const result = spawnSync(process.execPath, ["--test", "--test-concurrency=2", "--test-timeout=480000", ...files], {
  cwd: root,
  stdio: "inherit",
  // Tests stay on loopback: a managed identity a test does not point elsewhere (doctor asks every
  // DefaultAzureCredential source) meets a refused loopback port, never 169.254.169.254.
  env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: "http://127.0.0.1:9", ...process.env },
});
process.exit(result.status ?? 1);
