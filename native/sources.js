// Prints the native sources for one OS, one per line, relative to the package root: the single list
// that binding.gyp (`<!@(node native/sources.js <(OS))`) and CMakeLists.txt both build.
// Usage: node native/sources.js <linux|win|mac|other>  (gyp OS names; process.platform names also work)
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const perOs = {
  linux: { dir: "linux", ext: [".cc"] },
  win: { dir: "win", ext: [".cc"] },
  win32: { dir: "win", ext: [".cc"] },
  mac: { dir: "mac", ext: [".cc", ".mm"] },
  darwin: { dir: "mac", ext: [".cc", ".mm"] },
};

function list(dir, exts) {
  const full = path.join(root, "native", dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full)
    .filter((f) => exts.some((e) => f.endsWith(e)))
    .sort()
    .map((f) => `native/${dir}/${f}`);
}

const os = process.argv[2] || process.platform;
const spec = perOs[os];
let platform = spec ? list(spec.dir, spec.ext) : [];
if (platform.length === 0) platform = ["native/unsupported/broker_unsupported.cc"];
// Pinning the module for the process's life (broker.h) is one POSIX file; Windows has its own.
if (!["win", "win32"].includes(os)) platform.push("native/posix/pin_module.cc");
process.stdout.write(["native/binding.cc", "native/binding_args.cc", "native/broker_common.cc", ...platform].join("\n") + "\n");
