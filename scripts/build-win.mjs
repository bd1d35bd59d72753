// Cross-builds the Windows x64 addon here with mingw-w64: prebuilds/win32-x64/entra-broker.node.
//   node scripts/build-win.mjs
// Node-API is linked through a delay-load import library for "node.exe" made from node-api-headers'
// .def files; native/win/delay_load_hook.cc binds it to the running executable, so the one binary
// loads in node.exe and in electron.exe. Everything else is linked statically (libstdc++, libgcc,
// winpthreads), so the .node needs only system DLLs. Needs g++-mingw-w64-x86-64 (posix threads).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const work = path.join(root, "build", "win32-x64");
const outDir = path.join(root, "prebuilds", "win32-x64");
const output = path.join(outDir, "entra-broker.node");
const cxx = process.env.MINGW_CXX || "x86_64-w64-mingw32-g++-posix";
const dlltool = process.env.MINGW_DLLTOOL || "x86_64-w64-mingw32-dlltool";

function run(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (result.error || result.status !== 0) {
    const why =
      result.error?.code === "ENOENT"
        ? `${cmd} is not installed (apt install g++-mingw-w64-x86-64)`
        : `exit ${result.status ?? result.signal}`;
    console.error(`build-win: ${cmd} failed: ${why}`);
    process.exit(1);
  }
}

mkdirSync(work, { recursive: true });
mkdirSync(outDir, { recursive: true });

// One .def with every Node-API export of the host.
const headersDir = path.dirname(require.resolve("node-api-headers/package.json"));
const exports = new Set();
for (const def of ["js_native_api.def", "node_api.def"]) {
  for (const line of readFileSync(path.join(headersDir, "def", def), "utf8").split(/\r?\n/)) {
    const name = line.trim();
    if (name && name !== "EXPORTS" && !name.startsWith("NAME") && !name.startsWith(";")) exports.add(name);
  }
}
const defFile = path.join(work, "node_api.def");
writeFileSync(defFile, `NAME NODE.EXE\nEXPORTS\n${[...exports].sort().join("\n")}\n`);
const importLib = path.join(work, "libnode_api_delay.a");
run(dlltool, ["-d", defFile, "-D", "node.exe", "-y", importLib]);

const sources = spawnSync(process.execPath, [path.join(root, "native", "sources.js"), "win"], { encoding: "utf8" })
  .stdout.split("\n")
  .filter(Boolean);
const addonApi = require("node-addon-api").include_dir;
run(cxx, [
  // Size: libstdc++, winpthreads and mingwex are linked in statically (the Linux build links them
  // dynamically), so optimise for size, and drop unreferenced functions and data.
  "-std=c++17",
  "-Os",
  "-shared",
  "-s",
  "-ffunction-sections",
  "-fdata-sections",
  "-Wl,--gc-sections",
  "-Wall",
  "-Wextra",
  "-Wno-unused-parameter",
  "-Wno-cast-function-type",
  "-fexceptions",
  "-fvisibility=hidden",
  "-fvisibility-inlines-hidden",
  "-DNAPI_VERSION=8",
  "-DNAPI_CPP_EXCEPTIONS",
  "-DNODE_ADDON_API_DISABLE_DEPRECATED",
  "-DBUILDING_NODE_EXTENSION",
  "-DWIN32_LEAN_AND_MEAN",
  "-DUNICODE",
  "-D_UNICODE",
  "-D_WIN32_WINNT=0x0A00",
  "-I",
  path.join(headersDir, "include"),
  "-I",
  path.join(root, addonApi),
  "-I",
  path.join(root, "native"),
  ...sources,
  "-o",
  output,
  importLib,
  "-static",
  "-lruntimeobject",
  "-lole32",
  "-luser32",
  "-luuid",
]);
console.log(output);
