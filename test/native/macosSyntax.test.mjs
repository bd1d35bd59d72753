// The macOS broker's Objective-C++ cannot be built here; scripts/check-macos-syntax.mjs parses and
// type-checks it with clang (ARC, blocks) against GNUstep and the declarations in
// native/mac/check-headers. This runs that check, and proves it can fail: snippets with one
// deliberate mistake each, compiled against the same headers, must give clang errors.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const script = path.join(root, "scripts", "check-macos-syntax.mjs");

function check(files = []) {
  const r = spawnSync(process.execPath, [script, ...files], { cwd: root, encoding: "utf8", timeout: 120000 });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

describe("macOS Objective-C++ syntax check", () => {
  test("every native/mac source parses and type-checks with no error and no warning", () => {
    const sources = readdirSync(path.join(root, "native", "mac")).filter((f) => /\.(mm|cc)$/.test(f));
    assert.ok(sources.includes("broker_mac.mm"), "native/mac/broker_mac.mm is missing");
    const { code, output } = check();
    assert.equal(code, 0, output);
    for (const f of sources) assert.match(output, new RegExp(`native/mac/${f.replace(".", "\\.")}: 0 error\\(s\\), 0 warning\\(s\\) \\[`));
    assert.match(output, new RegExp(`check-macos-syntax: ${sources.length} file\\(s\\), 0 error\\(s\\), 0 warning\\(s\\)`));
  });

  describe("fails on mistakes", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "entra-macos-syntax-"));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const header =
      '#import <AppKit/AppKit.h>\n#import <AuthenticationServices/AuthenticationServices.h>\n#include <dispatch/dispatch.h>\n#include <cstdint>\n#include "broker.h"\n';
    const mistakes = {
      // ARC: a window handle needs a __bridge cast, and an NSView is not an NSWindow.
      "unbridged.mm": ["NSWindow* Anchor(std::uint64_t h) { return (NSView*)(void*)h; }", /requires a bridged cast/],
      // The declarations: createRequest is an instance method; userInterfaceEnabled is a BOOL.
      "wrong-api.mm": [
        'void Start() { ASAuthorizationSingleSignOnRequest* r = [ASAuthorizationSingleSignOnProvider createRequest]; r.userInterfaceEnabled = @"yes"; }',
        /no known class method for selector 'createRequest'/,
      ],
      // broker.h: codes are const char*, not numbers.
      "wrong-contract.mm": [
        'entra_broker::BrokerOutcome Fail() { return entra_broker::BrokerOutcome::Failure(42, "x"); }',
        /cannot initialize a parameter of type 'const char \*'/,
      ],
      // libdispatch as declared: a block, not a function pointer.
      "wrong-dispatch.mm": [
        "void Later(void (*f)(void)) { dispatch_async(dispatch_get_main_queue(), f); }",
        /no matching function for call to 'dispatch_async'|cannot initialize a parameter/,
      ],
    };
    for (const [name, [body, expected]] of Object.entries(mistakes)) {
      test(name, () => {
        const file = path.join(dir, name);
        writeFileSync(file, `${header}${body}\n`);
        const { code, output } = check([file]);
        assert.equal(code, 1, output);
        assert.match(output, /error:/);
        assert.match(output, expected);
      });
    }

    test("the same headers accept the correct forms (the mistakes above are the only cause)", () => {
      const file = path.join(dir, "correct.mm");
      writeFileSync(
        file,
        `${header}NSWindow* Anchor(std::uint64_t h) { return [(__bridge NSView*)(void*)h window]; }\n` +
          "void Start(NSURL* u) { ASAuthorizationSingleSignOnRequest* r = [[ASAuthorizationSingleSignOnProvider authorizationProviderWithIdentityProviderURL:u] createRequest]; r.userInterfaceEnabled = NO; }\n" +
          'entra_broker::BrokerOutcome Fail() { return entra_broker::BrokerOutcome::Failure(entra_broker::codes::kInternal, "x"); }\n' +
          "void Later(void (^f)(void)) { dispatch_async(dispatch_get_main_queue(), f); }\n",
      );
      const { code, output } = check([file]);
      assert.equal(code, 0, output);
    });
  });
});
