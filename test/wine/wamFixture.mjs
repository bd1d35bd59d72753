// What the WAM tests under Wine share: the client and tenant, accounts as the stand-in WAM's script
// describes them, and a fresh Wine prefix with the stand-in registered in it.
import path from "node:path";
import { after, before, beforeEach } from "node:test";
import { createPrefix, root } from "./wine.mjs";
import { buildStandIn } from "./standInWam/build.mjs";

export const CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
export const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
export const b64 = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
export const script = (name) => path.join(root, "test", "wine", "scripts", name);

/** A WAM account as the stand-in's script describes it, with the tokens WAM would hand back. */
export function wamAccount(id, username, oid, extra = {}) {
  const claims = {
    aud: CLIENT_ID,
    iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
    tid: TENANT,
    oid,
    sub: `sub-${oid}`,
    preferred_username: username,
    name: username.split("@")[0],
    ver: "2.0",
    iat: 1,
    nbf: 1,
    exp: 4102444800,
  };
  return {
    id,
    userName: username,
    authority: "organizations",
    properties: { TenantId: TENANT, OID: oid, UPN: username, Authority: `https://login.microsoftonline.com/${TENANT}/` },
    accessToken: `wam-access-token-for-${id}`,
    idToken: `${b64({ alg: "RS256", typ: "JWT" })}.${b64(claims)}.c2lnbmF0dXJl`,
    clientInfo: b64({ uid: oid, utid: TENANT }),
    expiresIn: 3600,
    ...extra,
  };
}

/** A fresh prefix with the stand-in WAM built and registered: `{ prefix, wam }`; `prefix.close()` ends it. */
export async function prefixWithStandInWam() {
  const prefix = await createPrefix();
  const wam = await prefix.registerStandIn(buildStandIn(path.join(prefix.dir, "standInWam.dll")));
  return { prefix, wam };
}

/**
 * This test file's fixture: a prefix with the stand-in WAM made before its tests (handed to `use`),
 * closed after them, and the stand-in reset before each test.
 */
export function withStandInWam(use) {
  let fixture;
  before(async () => {
    fixture = await prefixWithStandInWam();
    use(fixture);
  });
  after(async () => {
    await fixture?.prefix.close();
  });
  beforeEach(() => fixture?.wam.reset());
}
