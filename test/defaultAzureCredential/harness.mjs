// What the DefaultAzureCredential tests share: one credential in a fresh process (child.mjs) with
// the environment the test chose, and the chain options that point it at the dev authority.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const CHILD = fileURLToPath(new URL("./child.mjs", import.meta.url));

/**
 * Runs child.mjs with `input` ({ options, calls }) in `env`; resolves to its last JSON line. Before
 * a call marked `gate: true`, awaits `onGate(index, resultsSoFar)` and then lets the child go on.
 */
export function runChild(env, input, onGate = async () => {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, JSON.stringify(input)], { env, stdio: ["pipe", "pipe", "pipe"], timeout: 90_000 });
    let stderr = "";
    let last;
    child.stderr.setEncoding("utf8").on("data", (c) => (stderr += c));
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (!line.startsWith("{")) return;
      last = JSON.parse(line);
      if (last.gate === undefined) return;
      const { gate, results } = last;
      onGate(gate, results).then(
        () => child.stdin.write("\n"),
        (error) => {
          child.kill();
          reject(error);
        },
      );
    });
    child.once("error", reject);
    child.once("close", (code, signal) => {
      if (code === 0 && last && last.gate === undefined) resolve(last);
      else reject(new Error(`child failed (${code ?? signal})\n${stderr}`));
    });
  });
}

/** Options of a chain that trusts the dev authority `authority` and asks it directly. */
export function chainOptions(authority, extra = {}) {
  return { authorityHost: authority.url, authorityCaPath: authority.caPath, disableInstanceDiscovery: true, ...extra };
}
