// What the DefaultAzureCredential tests share: one credential in a fresh process (child.mjs) with
// the environment the test chose, and the chain options that point it at the dev authority.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

const CHILD = fileURLToPath(new URL("./child.mjs", import.meta.url));

/** Runs child.mjs with `input` ({ options, calls }) in `env`; resolves to its last JSON line. */
export function runChild(env, input) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CHILD, JSON.stringify(input)], { env, timeout: 90_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`child failed: ${error.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split("\n").pop()));
    });
  });
}

/** Options of a chain that trusts the dev authority `authority` and asks it directly. */
export function chainOptions(authority, extra = {}) {
  return { authorityHost: authority.url, authorityCaPath: authority.caPath, disableInstanceDiscovery: true, ...extra };
}
