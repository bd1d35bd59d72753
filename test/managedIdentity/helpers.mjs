// Managed identity tests: a dev authority with its managed identity endpoints, and a child process
// per source (msal-node picks its source from the environment, once per process).
import { fileURLToPath } from "node:url";
import { DevAuthority } from "entra-broker-devtools";
import { runCollected } from "../helpers/childProcess.mjs";

const CHILD = fileURLToPath(new URL("./child.mjs", import.meta.url));

export async function startManagedIdentity(options) {
  const authority = await DevAuthority.start();
  const mi = await authority.startManagedIdentity(options);
  return {
    authority,
    mi,
    close: async () => {
      await mi.close();
      await authority.close();
    },
  };
}

/**
 * Runs child.mjs with `source`'s environment (or `env` as given) and returns its JSON lines and
 * everything it wrote to stderr. A child still running after `limitMs` is killed (result `timedOut`).
 */
export async function runChild(mi, source, spec, { extraEnv = {}, limitMs = 60_000 } = {}) {
  const env = { ...mi.env(source, process.env), ...extraEnv, MI_CHILD: JSON.stringify(spec) };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const run = await runCollected(process.execPath, [CHILD], { env, limitMs });
  const lines = run.stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));
  return { code: run.code, lines, stderr: run.stderr, timedOut: run.timedOut, wallMs: run.ms };
}
