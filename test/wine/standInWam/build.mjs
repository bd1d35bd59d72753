// Builds the stand-in WAM DLL with mingw-w64: build/standInWam/standInWam.dll (printed), or the
// path given (tests build their own copy, so concurrent runs never share a half-written file).
//   node test/wine/standInWam/build.mjs
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..", "..");
export const standInDll = path.join(root, "build", "standInWam", "standInWam.dll");

export function buildStandIn(output = standInDll) {
  mkdirSync(path.dirname(output), { recursive: true });
  const cxx = process.env.MINGW_CXX || "x86_64-w64-mingw32-g++-posix";
  const result = spawnSync(
    cxx,
    [
      "-std=c++17",
      "-O1",
      "-g0",
      "-shared",
      "-s",
      "-Wall",
      "-Wno-unused-parameter",
      "-DWIN32_LEAN_AND_MEAN",
      "-DUNICODE",
      "-D_UNICODE",
      "-D_WIN32_WINNT=0x0A00",
      "-I",
      path.join(root, "native"),
      "-I",
      here,
      path.join(here, "standInWam.cc"),
      path.join(here, "objects.cc"),
      path.join(here, "signedHttpRequest.cc"),
      path.join(root, "native", "win", "com.cc"),
      path.join(root, "native", "win", "json.cc"),
      "-o",
      output,
      "-static",
      "-lruntimeobject",
      "-lole32",
      "-luuid",
      "-lbcrypt",
    ],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  if (result.error || result.status !== 0)
    throw new Error(`building the stand-in WAM failed: ${result.error?.message ?? `exit ${result.status}`}`);
  return output;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) console.log(buildStandIn());
