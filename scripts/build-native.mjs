// Builds the native broker addon.
//   node scripts/build-native.mjs          prebuildify (node-gyp): prebuilds/<platform>-<arch>/entra-broker.node
//   node scripts/build-native.mjs --cmake  cmake-js: build/cmake/Release/entra_broker.node (checks CMakeLists.txt)
//   node scripts/build-native.mjs --asan   cmake-js + ASan/UBSan (gcc/clang): build/asan/Release/entra_broker.node
// Run the ASan build with LD_PRELOAD=$(gcc -print-file-name=libasan.so) ASAN_OPTIONS=detect_leaks=0
// and ENTRA_BROKER_NATIVE_PATH pointing at it. Node's headers come from the local install when it
// has them (so no download is needed), else node-gyp / cmake-js fetch them as usual.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const args = new Set(process.argv.slice(2));
const mode = args.has("--asan") ? "asan" : args.has("--cmake") ? "cmake" : "prebuild";

const env = { ...process.env };
const localHeaders = path.resolve(process.execPath, "..", "..");
if (!env.npm_config_nodedir && existsSync(path.join(localHeaders, "include", "node", "node_api.h"))) {
  env.npm_config_nodedir = localHeaders;
}

function run(script, argv) {
  console.error(`> ${path.relative(root, script)} ${argv.join(" ")}`);
  const result = spawnSync(process.execPath, [script, ...argv], { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`build-native: ${path.basename(script)} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

function report(file) {
  if (!existsSync(file)) {
    console.error(`build-native: expected ${file} but it is not there`);
    process.exit(1);
  }
  console.log(file);
}

if (mode === "prebuild") {
  const bin = path.join(path.dirname(require.resolve("prebuildify/package.json")), "bin.js");
  run(bin, ["--napi", "--strip", "--target", `node@${process.versions.node}`]);
  const dir = path.join(root, "prebuilds", `${process.platform}-${process.arch}`);
  const built = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".node")) : [];
  report(path.join(dir, built[0] ?? "entra-broker.node"));
} else {
  if (mode === "asan" && process.platform === "win32") {
    console.error("build-native: --asan needs gcc or clang (Linux, macOS)");
    process.exit(1);
  }
  const bin = path.join(path.dirname(require.resolve("cmake-js/package.json")), "bin", "cmake-js");
  const out = path.join(root, "build", mode);
  const extra = mode === "asan" ? ["--CDENTRA_BROKER_SANITIZE=ON"] : [];
  run(bin, ["build", "--out", out, ...extra]);
  report(path.join(out, "Release", "entra_broker.node"));
}
