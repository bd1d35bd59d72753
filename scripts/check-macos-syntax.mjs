// Parses and type-checks the macOS broker (native/mac/*.mm, *.cc) on Linux: clang -fsyntax-only in
// Objective-C++ with ARC and blocks, as the macOS build compiles it (binding.gyp CLANG_ENABLE_OBJC_ARC),
// against Debian's GNUstep Foundation/AppKit headers and native/mac/check-headers (hand-written
// declarations of the AuthenticationServices, libdispatch and malloc names we use, from Apple's
// documentation). It proves the code is well-formed Objective-C++ against the documented API; it does
// not build or run it (that is the macOS CI job).
//
//   node scripts/check-macos-syntax.mjs [file ...]   default: every native/mac source
// Exit 0: no errors. Exit 1: diagnostics (printed). Exit 2: a tool or header is missing.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const GNUSTEP_INCLUDE = "/usr/include/GNUstep";
const CHECK_HEADERS = path.join(root, "native", "mac", "check-headers");

function fail(message) {
  console.error(`check-macos-syntax: ${message}`);
  process.exit(2);
}

function findClang() {
  for (const name of ["clang++-14", "clang++"]) {
    if (spawnSync(name, ["--version"]).status === 0) return name;
  }
  fail("clang++ is not installed (scripts/setup.sh installs clang)");
}

// Debian's GNUstep is built on gcc's libobjc, whose headers live in gcc's private include folder.
// One inline function there (object_getClass) reads a field of `id`, which ARC forbids; the copy
// made here casts with __bridge instead. Every other header is linked unchanged.
function libobjcShim() {
  const gcc = spawnSync("gcc", ["-print-file-name=include"], { encoding: "utf8" });
  const objcDir = gcc.status === 0 ? path.join(gcc.stdout.trim(), "objc") : "";
  if (!objcDir || !existsSync(path.join(objcDir, "runtime.h"))) {
    fail("gcc's libobjc headers are missing (libobjc-12-dev, pulled in by libgnustep-base-dev)");
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "entra-broker-objc-"));
  mkdirSync(path.join(dir, "objc"));
  for (const name of readdirSync(objcDir)) {
    if (name !== "runtime.h") symlinkSync(path.join(objcDir, name), path.join(dir, "objc", name));
  }
  const original = readFileSync(path.join(objcDir, "runtime.h"), "utf8");
  const needle = "return object->class_pointer;";
  if (!original.includes(needle)) fail(`${objcDir}/runtime.h has changed: "${needle}" not found`);
  const patched = original.replace(needle, "return ((__bridge struct objc_object *)object)->class_pointer;");
  writeFileSync(path.join(dir, "objc", "runtime.h"), patched);
  return dir;
}

function defaultSources() {
  const dir = path.join(root, "native", "mac");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".mm") || f.endsWith(".cc"))
    .sort()
    .map((f) => path.join(dir, f));
}

const files = process.argv.slice(2).map((f) => path.resolve(f));
const sources = files.length > 0 ? files : defaultSources();
if (sources.length === 0) fail("no sources in native/mac");
for (const f of sources) if (!existsSync(f)) fail(`no such file: ${f}`);
if (
  !existsSync(path.join(GNUSTEP_INCLUDE, "Foundation", "Foundation.h")) ||
  !existsSync(path.join(GNUSTEP_INCLUDE, "AppKit", "AppKit.h"))
) {
  fail(`GNUstep headers are missing in ${GNUSTEP_INCLUDE} (libgnustep-base-dev, libgnustep-gui-dev)`);
}

const clang = findClang();
const shim = libobjcShim();
const napiInclude = path.join(root, require("node-addon-api").include_dir);
// The flags of the macOS build (binding.gyp), then GNUstep's and the declarations' include folders
// as system headers, so that only our own code is judged.
const common = [
  "-fsyntax-only",
  "-std=c++17",
  "-fexceptions",
  "-fblocks",
  "-fobjc-arc",
  "-fobjc-exceptions",
  "-fobjc-runtime=gnustep-2.0",
  "-Wall",
  "-Wextra",
  "-Wno-unused-parameter",
  "-fvisibility=hidden",
  "-DNAPI_VERSION=8",
  "-DNAPI_CPP_EXCEPTIONS",
  "-DNODE_ADDON_API_DISABLE_DEPRECATED",
  "-DGNUSTEP",
  "-DGNUSTEP_BASE_LIBRARY=1",
  "-DGNU_GUI_LIBRARY=1",
  "-DGNU_RUNTIME=1",
  "-isystem",
  CHECK_HEADERS,
  "-isystem",
  shim,
  "-isystem",
  GNUSTEP_INCLUDE,
  "-I",
  napiInclude,
  "-I",
  path.join(root, "native"),
];

let errors = 0;
let warnings = 0;
try {
  for (const file of sources) {
    const language = file.endsWith(".mm") ? "objective-c++" : "c++";
    const r = spawnSync(clang, ["-x", language, ...common, file], { encoding: "utf8" });
    const output = `${r.stdout}${r.stderr}`;
    const fileErrors = (output.match(/\berror:/g) ?? []).length + (r.status !== 0 && !/\berror:/.test(output) ? 1 : 0);
    const fileWarnings = (output.match(/\bwarning:/g) ?? []).length;
    errors += fileErrors;
    warnings += fileWarnings;
    if (output.trim()) process.stdout.write(output.endsWith("\n") ? output : `${output}\n`);
    console.log(`${path.relative(root, file)}: ${fileErrors} error(s), ${fileWarnings} warning(s) [${language}, ARC, ${clang}]`);
  }
} finally {
  rmSync(shim, { recursive: true, force: true });
}
console.log(`check-macos-syntax: ${sources.length} file(s), ${errors} error(s), ${warnings} warning(s)`);
process.exit(errors > 0 ? 1 : 0);
