// The persisted-cache row of `npm run bench`: a fresh process's silent token from the persisted
// cache (gnome-keyring on a private D-Bus, HOME in a temp folder), entra-broker beside
// @azure/identity with @azure/identity-cache-persistence. Sign-ins happen once, before timing.
import { fileURLToPath } from "node:url";
import { median, runChild as child, withKeyring } from "./helpers.mjs";

const CHILD = fileURLToPath(new URL("./persistenceChild.mjs", import.meta.url));
const SCOPE = "https://graph.microsoft.com/.default";
const RUNS = 7;

/** Signs a user in through one package with persistence on, in a child; returns the record. */
function signIn(pkg, input, env) {
  const script = `
    const input = JSON.parse(process.argv[1]);
    const { completeDeviceCodeOverHttp } = await import(${JSON.stringify(new URL("../test/helpers/devAuthorityBrowser.mjs", import.meta.url).href)});
    const ca = (await import("node:fs")).readFileSync(input.caPath, "utf8");
    const prompt = (info) => { completeDeviceCodeOverHttp(info.verificationUri, info.userCode, { ca, ...input.user }).catch(() => {}); };
    const options = { authorityHost: input.url, tenantId: input.tenant, userPromptCallback: prompt, tokenCachePersistenceOptions: { enabled: true, name: input.name } };
    let record;
    if (${JSON.stringify(pkg)} === "entra-broker") {
      const ours = await import("entra-broker");
      record = ours.serializeAuthenticationRecord(await new ours.DeviceCodeCredential({ ...options, authorityCa: ca }).authenticate(input.scope));
    } else {
      const identity = await import("@azure/identity");
      identity.useIdentityPlugin((await import("@azure/identity-cache-persistence")).cachePersistencePlugin);
      record = identity.serializeAuthenticationRecord(await new identity.DeviceCodeCredential({ ...options, disableInstanceDiscovery: true }).authenticate(input.scope));
    }
    console.log(JSON.stringify({ record }));
    process.exit(0);`;
  return child(["--input-type=module", "-e", script, JSON.stringify(input)], env).then((r) => r.record);
}

/** Returns the table rows and the medians of both packages; `authority` is the running dev authority. */
export function persistedCacheRows(authority) {
  return withKeyring(authority, async (env) => {
    const input = {
      url: authority.url,
      caPath: authority.caPath,
      tenant: authority.tenants[0].tenantId,
      scope: SCOPE,
      user: { username: authority.users[0].username, password: authority.users[0].password },
    };
    const results = {};
    for (const pkg of ["entra-broker", "@azure/identity"]) {
      const name = pkg === "entra-broker" ? "bench.ours" : "bench.identity";
      const record = await signIn(pkg, { ...input, name }, env);
      authority.resetCounters();
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await child([CHILD, JSON.stringify({ ...input, pkg, name, record })], env));
      if (runs.some((r) => !r.ok)) throw new Error(`${pkg}: a fresh process got no token`);
      results[pkg] = {
        total: median(runs.map((r) => r.total)),
        getToken: median(runs.map((r) => r.getToken)),
        tokenRequests: authority.counters.token,
      };
    }
    const [a, b] = [results["entra-broker"], results["@azure/identity"]];
    const rows = [
      `| fresh process, silent token from the persisted cache: process start to token (median of ${RUNS}, ms) | ${a.total.toFixed(1)} | ${b.total.toFixed(1)} | ${(b.total / a.total).toFixed(1)}x |`,
      `| same, getToken only (after import, ms) | ${a.getToken.toFixed(1)} | ${b.getToken.toFixed(1)} | ${(b.getToken / a.getToken).toFixed(1)}x |`,
      `| same: token requests over ${RUNS} fresh processes | ${a.tokenRequests} | ${b.tokenRequests} | |`,
    ];
    return { rows, ours: a, theirs: b };
  });
}
