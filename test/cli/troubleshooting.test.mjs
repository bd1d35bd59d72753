// TROUBLESHOOTING.md stays complete: every error code the source can produce (credential, broker,
// native, persistence, CLI, and the OAuth errors the dev authority answers with) has an entry.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function files(dir, ext) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return files(full, ext);
    return ext.some((e) => name.endsWith(e)) ? [full] : [];
  });
}

function matches(text, pattern) {
  return [...text.matchAll(pattern)].map((m) => m[1]);
}

/** The string literals of every `type ...Code = "A" | "B"` union. */
function codeUnions(text) {
  return [...text.matchAll(/type \w*Code\s*=([^;]+);/g)].flatMap((m) => matches(m[1], /"([A-Za-z_]+)"/g));
}

/** Every code, by where it comes from; each family must yield some (a broken pattern fails too). */
function collect() {
  const src = [...files(path.join(root, "src"), [".ts"]), ...files(path.join(root, "devtools", "src"), [".ts"])].filter(
    (f) => !f.endsWith(".d.ts"),
  );
  const library = src.filter((f) => !/[/\\](devAuthority|standInBroker)[/\\]/.test(f));
  const devAuthority = src.filter((f) => /[/\\]devAuthority[/\\]/.test(f));
  const read = (f) => readFileSync(f, "utf8");
  const families = {
    "typed error codes (code: / readonly code = / default code)": library.flatMap((f) => [
      ...matches(read(f), /\bcode:\s*"([A-Za-z_]+)"/g),
      ...matches(read(f), /\breadonly code\s*=\s*"([A-Z_]+)"/g),
      ...matches(read(f), /\bcode \?\? "([A-Z_]+)"/g),
    ]),
    "invalid arguments (invalidArgument)": library.flatMap((f) => matches(read(f), /invalidArgument\(\s*"([A-Z_]+)"/g)),
    "code unions (native, persistence, CLI)": library.flatMap((f) => codeUnions(read(f))),
    "persistence failures": library.flatMap((f) => matches(read(f), /PersistenceFailure\(\s*"([A-Z_]+)"/g)),
    "internal failures (new Failure / brokerFailure: kind, code)": library.flatMap((f) =>
      matches(read(f), /(?:new Failure|brokerFailure)\(\s*"[a-z_]+",\s*"([A-Za-z_]+)"/g),
    ),
    "AuthenticationError bodies we build": library
      .filter((f) => /[/\\](msal|broker)[/\\]|[/\\]errors\.ts$/.test(f))
      .flatMap((f) => [...matches(read(f), /\berror:\s*"([a-z_]+)"/g), ...matches(read(f), /\berrorCode:\s*"([a-z_]+)"/g)]),
    "native/broker.h codes": matches(read(path.join(root, "native/broker.h")), /constexpr const char\*\s+k\w+\s*=\s*"([A-Z_]+)"/g),
    "native argument errors": files(path.join(root, "native"), [".cc", ".h", ".mm"]).flatMap((f) => matches(read(f), /"(ERR_[A-Z_]+)"/g)),
    "dev authority OAuth errors": devAuthority.flatMap((f) => [
      ...matches(read(f), /OAuthError\(\s*"([a-z_]+)"/g),
      ...matches(read(f), /refuse\(\s*"([a-z_]+)"/g),
      ...matches(read(f), /fail\(ctx, res, flow, "([a-z_]+)"/g),
      ...matches(read(f), /entraErrorBody\(\s*"([a-z_]+)"/g),
      ...matches(read(f), /status >= 500 \? "([a-z_]+)"/g), // an injected fault's default error
    ]),
  };
  return Object.fromEntries(Object.entries(families).map(([k, v]) => [k, [...new Set(v)].sort()]));
}

const doc = readFileSync(path.join(root, "TROUBLESHOOTING.md"), "utf8");
/** Codes the document has an entry for: a heading or table cell holding the code in backticks. */
const documented = new Set(matches(doc, /`([A-Za-z_]+)`/g));

test("every error code in the source has an entry in TROUBLESHOOTING.md", () => {
  const families = collect();
  const missing = [];
  for (const [family, codes] of Object.entries(families)) {
    assert.ok(codes.length > 0, `no codes found for ${family}: the pattern no longer matches the source`);
    for (const code of codes) if (!documented.has(code)) missing.push(`${code} (${family})`);
  }
  assert.deepEqual(missing, [], `add these to TROUBLESHOOTING.md:\n${missing.join("\n")}`);
});

test("the collector sees the codes we know exist", () => {
  const all = new Set(Object.values(collect()).flat());
  for (const code of [
    "INVALID_TENANT_ID",
    "CREDENTIAL_UNAVAILABLE",
    "PERSISTENCE_LOCK_TIMEOUT",
    "BROKER_NO_REPLY",
    "ERR_INVALID_ARG_TYPE",
    "CLI_USAGE",
    "user_canceled",
    "timed_out",
    "invalid_grant",
    "access_denied",
  ]) {
    assert.ok(all.has(code), `${code} was not collected`);
  }
});

test("TROUBLESHOOTING.md lists the CLI's exit codes as --help does", () => {
  const help = readFileSync(path.join(root, "src/cli/command.ts"), "utf8");
  const codes = matches(help.slice(help.indexOf("Exit codes:")), /^ {2}(\d+) /gm);
  assert.ok(codes.length >= 5);
  for (const code of codes) assert.match(doc, new RegExp(`^\\| ${code} \\|`, "m"), `exit code ${code}`);
});
