// The dev authority's proof-of-possession support: token_type=pop with req_cnf binds the access
// token to the client's key (cnf.kid) and answers token_type "pop", on every grant.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { DevAuthority } from "entra-broker-devtools";
import { signInOverHttp } from "../helpers/devAuthorityBrowser.mjs";
import { authorizeUrl, call, CLIENT, decodeJwt, pkce, redeem } from "./util.mjs";

let authority;
before(async () => {
  authority = await DevAuthority.start();
});
after(() => authority.close());

const ada = { username: "ada@contoso.example", password: "ada-password" };
const KID = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
const reqCnf = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
const bound = { token_type: "pop", req_cnf: reqCnf({ kid: KID, xms_ksl: "sw" }) };

function token(form) {
  return call(authority, "POST", "/organizations/oauth2/v2.0/token", {
    client_id: CLIENT,
    scope: "openid profile offline_access https://graph.microsoft.com/User.Read",
    ...form,
  });
}

test("password and refresh grants: a PoP request gets an access token bound to the key; a Bearer one does not", async () => {
  const pop = await token({ grant_type: "password", ...ada, ...bound });
  assert.equal(pop.status, 200, pop.text);
  assert.equal(pop.json.token_type, "pop");
  assert.deepEqual(decodeJwt(pop.json.access_token).payload.cnf, { kid: KID });
  assert.equal(decodeJwt(pop.json.id_token).payload.cnf, undefined, "the id token is not bound");

  const bearer = await token({ grant_type: "refresh_token", refresh_token: pop.json.refresh_token });
  assert.equal(bearer.status, 200, bearer.text);
  assert.equal(bearer.json.token_type, "Bearer");
  assert.equal(decodeJwt(bearer.json.access_token).payload.cnf, undefined);

  const refreshed = await token({
    grant_type: "refresh_token",
    refresh_token: bearer.json.refresh_token,
    token_type: "POP",
    req_cnf: reqCnf({ kid: KID }),
  });
  assert.equal(refreshed.status, 200, refreshed.text);
  assert.equal(refreshed.json.token_type, "pop");
  assert.deepEqual(decodeJwt(refreshed.json.access_token).payload.cnf, { kid: KID });

  const explicitBearer = await token({ grant_type: "password", ...ada, token_type: "bearer" });
  assert.equal(explicitBearer.json.token_type, "Bearer");
});

test("the authorization code grant binds too", async () => {
  const { verifier, challenge } = pkce();
  const final = new URL(await signInOverHttp(authorizeUrl(authority, { challenge }), { ca: authority.ca, ...ada }));
  const res = await redeem(authority, { code: final.searchParams.get("code"), verifier, extra: bound });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.token_type, "pop");
  assert.deepEqual(decodeJwt(res.json.access_token).payload.cnf, { kid: KID });
});

test("a PoP request without a usable req_cnf, or an unknown token_type, is invalid_request", async () => {
  for (const extra of [
    { token_type: "pop" },
    { token_type: "pop", req_cnf: "%%%" },
    { token_type: "pop", req_cnf: reqCnf({ jwk: {} }) },
    { token_type: "pop", req_cnf: reqCnf({ kid: "short" }) },
    { token_type: "pop", req_cnf: reqCnf({ kid: `${KID}/../` }) },
    { token_type: "ssh-cert", req_cnf: reqCnf({ kid: KID }) },
  ]) {
    const res = await token({ grant_type: "password", ...ada, ...extra });
    assert.equal(res.status, 400, `${JSON.stringify(extra)}: ${res.text}`);
    assert.equal(res.json.error, "invalid_request");
    assert.match(res.json.error_description, /token_type|req_cnf/);
  }
});
