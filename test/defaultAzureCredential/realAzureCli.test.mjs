// DefaultAzureCredential through the REAL az (azure-cli 2.45) signed in offline to the dev
// authority, off Azure (IMDS refused on loopback), in a fresh process: it reaches az, gets a token
// for each of two tenants, and serves repeats from memory (az's runs counted by a wrapper).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DevAuthority } from "entra-broker-devtools";
import { azTestOptions, ADA } from "../azureCli/util.mjs";
import { signedInRealAz } from "../developerTools/realAz.mjs";
import { offAzureEnv } from "../helpers/offAzureEnv.mjs";

const options = azTestOptions();
const CHILD = fileURLToPath(new URL("./child.mjs", import.meta.url));
const SCOPE = "https://management.core.windows.net//.default";
let authority, mi, az, home;

before(async () => {
  if (options.skip) return;
  authority = await DevAuthority.start();
  mi = await authority.startManagedIdentity();
  mi.injectFault("imds", { kind: "refuse", times: Infinity });
  az = await signedInRealAz(authority);
  home = mkdtempSync(path.join(tmpdir(), "dac-real-az-"));
});
after(async () => {
  await az?.close();
  await mi?.close();
  await authority?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** Off Azure: this az in a fresh HOME, nothing else of this machine's, IMDS at the refusing endpoint. */
const childEnv = () => mi.env("imds", offAzureEnv(az.env({ HOME: home })));

test("real az: the chain reaches az off Azure, for two tenants; repeats run no az", options, async () => {
  const [contoso, fabrikam] = authority.tenants.map((t) => t.tenantId);
  const before = az.runs().length;
  const calls = [{ scope: SCOPE }, { scope: SCOPE }, { scope: SCOPE, tenantId: fabrikam }, { scope: SCOPE, tenantId: fabrikam }];
  const out = await new Promise((resolve, reject) =>
    execFile(process.execPath, [CHILD, JSON.stringify({ calls })], { env: childEnv(), timeout: 90_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout.trim().split("\n").pop())),
    ),
  );
  assert.ok(
    out.results.every((r) => r.ok),
    JSON.stringify(out),
  );
  assert.equal(out.results[0].claims.upn, ADA.username);
  assert.equal(out.results[0].claims.tid, contoso);
  assert.equal(out.results[2].claims.tid, fabrikam);
  assert.equal(az.runs().length - before, 2, "one az run per tenant; the repeats came from memory");
});
