// The real az (Debian's azure-cli), signed in offline to the dev authority with a device code, put
// on this process's PATH behind a wrapper that counts its runs (the wrapper only logs and execs az).
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { OfflineAzureCli } from "entra-broker-devtools";
import { approveAs } from "../azureCli/util.mjs";

export async function signedInRealAz(authority, realAz = "/usr/bin/az") {
  const cli = await OfflineAzureCli.start({ authority, azPath: realAz });
  await cli.loginDeviceCode({ approve: approveAs(authority) });
  const dir = mkdtempSync(path.join(tmpdir(), "counting-az-"));
  const log = path.join(dir, "runs.log");
  appendFileSync(log, "");
  writeFileSync(path.join(dir, "az"), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${realAz}' "$@"\n`);
  chmodSync(path.join(dir, "az"), 0o755);
  // az's own environment, the counting wrapper first on PATH.
  const azEnv = { ...cli.env, PATH: `${dir}${path.delimiter}${cli.env.PATH}` };
  const saved = { ...process.env };
  return {
    cli,
    /** Puts this az into this process's environment (until close). */
    use: () => Object.assign(process.env, azEnv),
    /** A child's environment with this az: this process's, az's over it, then `extra`; this process's is left as it is. */
    env: (extra = {}) => ({ ...process.env, ...azEnv, ...extra }),
    runs: () => readFileSync(log, "utf8").split("\n").filter(Boolean),
    async close() {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
      rmSync(dir, { recursive: true, force: true });
      await cli.close();
    },
  };
}
