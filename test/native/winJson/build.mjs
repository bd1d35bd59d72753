// Builds the Linux binaries of the Windows addon's portable JSON code (native/win: json,
// wam_request, wam_reply) for the tests beside this file, with the system clang:
//   check  the JSON cases (check.cc)        fuzz  the libFuzzer target (fuzz.cc), ASan + UBSan
// Each is rebuilt only when a source is newer. Returns the binary's path; throws with clang's output.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, "..", "..", "..");
export const corpus = path.join(here, "corpus");
const out = path.join(root, "build", "winJson");
const sources = ["native/win/json.cc", "native/win/wam_request.cc", "native/win/wam_reply.cc", "native/broker_common.cc"].map((f) => path.join(root, f));
const headers = ["native/win/json.h", "native/win/wam_request.h", "native/win/wam_reply.h", "native/broker.h", "native/third_party/nlohmann/json.hpp"].map((f) => path.join(root, f));

const kinds = {
  check: { main: "check.cc", flags: ["-O1", "-fsanitize=address,undefined", "-fno-sanitize-recover=all"] },
  fuzz: { main: "fuzz.cc", flags: ["-O1", "-fsanitize=fuzzer,address,undefined", "-fno-sanitize-recover=all"] },
};

export function build(kind) {
  const { main, flags } = kinds[kind];
  const binary = path.join(out, kind);
  const inputs = [path.join(here, main), ...sources, ...headers, fileURLToPath(import.meta.url)];
  if (existsSync(binary) && inputs.every((f) => statSync(f).mtimeMs <= statSync(binary).mtimeMs)) return binary;
  mkdirSync(out, { recursive: true });
  const args = ["-std=c++17", "-g", "-Wall", "-Wextra", "-Werror", ...flags, "-I", path.join(root, "native"), path.join(here, main), ...sources, "-o", binary];
  const r = spawnSync("clang++", args, { encoding: "utf8", timeout: 600_000 });
  if (r.error || r.status !== 0) throw new Error(`clang++ ${args.join(" ")} failed (clang, libclang-rt-14-dev: scripts/setup.sh):\n${r.error ?? ""}${r.stdout}${r.stderr}`);
  return binary;
}
