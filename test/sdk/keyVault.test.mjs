// A real Azure SDK client (@azure/keyvault-secrets' SecretClient, with Key Vault's challenge-based
// authentication policy) reads a secret from a local HTTPS stand-in Key Vault, authenticated by our
// DeviceCodeCredential against the dev authority, and answers a CAE claims challenge with a new token.
// TLS: the SDK trusts the stand-in's CA through its own https.Agent, our credential trusts the dev
// authority's through `authorityCa`; nothing process-wide changes.
// The stand-in listens on 127.0.0.1, not on *.vault.azure.net, so the SDK's check that the
// challenge's resource matches the vault's host name is turned off (disableChallengeResourceVerification).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Agent } from "node:https";
import { SecretClient } from "@azure/keyvault-secrets";
import { DevAuthority, decodeJwtPayload } from "entra-broker-devtools";
import { DeviceCodeCredential } from "entra-broker";
import { codeEnteredBy } from "../helpers/devAuthorityBrowser.mjs";
import { KEY_VAULT_RESOURCE, KeyVaultStandIn } from "../helpers/keyVaultStandIn.mjs";

let authority;
let vault;
let tenantId;

before(async () => {
  authority = await DevAuthority.start();
  tenantId = authority.tenants[0].tenantId;
  vault = await KeyVaultStandIn.start({ authority, tenantId });
  vault.setSecret("db-password", "correct horse battery staple");
});
after(async () => {
  await vault?.close();
  await authority?.close();
});

/** Our credential, with every getToken call the SDK makes recorded (scopes and options as given). */
function recordedCredential() {
  const user = authority.users[0];
  const prompts = [];
  const credential = new DeviceCodeCredential({
    authorityHost: authority.url,
    authorityCa: authority.ca,
    tenantId,
    userPromptCallback: codeEnteredBy(user, { ca: authority.ca, prompts }),
  });
  const calls = [];
  const recorder = {
    getToken: (scopes, options) => {
      calls.push({ scopes, claims: options?.claims, enableCae: options?.enableCae, tenantId: options?.tenantId });
      return credential.getToken(scopes, options);
    },
  };
  return { recorder, calls, prompts };
}

function secretClient(credential) {
  return new SecretClient(vault.url, credential, {
    agent: new Agent({ ca: vault.ca }),
    disableChallengeResourceVerification: true,
    retryOptions: { maxRetries: 0 },
  });
}

test("SecretClient gets a secret with our credential, and a CAE claims challenge is answered with one new token", async () => {
  const { recorder, calls, prompts } = recordedCredential();
  const client = secretClient(recorder);

  // First call: the bearer challenge names the tenant and resource; the user signs in once.
  const first = await client.getSecret("db-password");
  assert.equal(first.value, "correct horse battery staple");
  assert.equal(prompts.length, 1, "one device code sign-in");
  assert.deepEqual(
    vault.requests.map((r) => [r.challenge ?? "ok", r.token?.valid ?? null]),
    [
      ["bearer", null],
      ["ok", true],
    ],
  );
  assert.deepEqual(calls, [{ scopes: [`${KEY_VAULT_RESOURCE}/.default`], claims: undefined, enableCae: true, tenantId }]);
  const firstToken = vault.requests[1].token.claims;
  assert.equal(firstToken.aud, KEY_VAULT_RESOURCE);
  assert.deepEqual(firstToken.xms_cc, ["cp1"], "a CAE-capable token (client capability cp1)");

  // CAE: the vault revokes the token; the SDK passes the challenge's claims to our credential,
  // which asks the authority for exactly one new token with them and the request is retried.
  authority.resetCounters();
  vault.requests.length = 0;
  vault.revokeTokens();
  const second = await client.getSecret("db-password");
  assert.equal(second.value, "correct horse battery staple");
  assert.deepEqual(
    vault.requests.map((r) => [r.challenge ?? "ok", r.token?.valid ?? null]),
    [
      ["cae", false],
      ["ok", true],
    ],
  );
  assert.equal(calls.length, 2, "the SDK's own token cycle served the revoked token; then one call with the claims");
  assert.deepEqual(calls[1], { scopes: [`${KEY_VAULT_RESOURCE}/.default`], claims: vault.claims, enableCae: true, tenantId });
  assert.equal(authority.counters.token, 1, "exactly one token request");
  assert.deepEqual(authority.counters.tokenByGrant, { refresh_token: 1 }, "silently, with the refresh token");
  assert.equal(prompts.length, 1, "no second sign-in");
  const renewed = vault.requests[1].token.claims;
  assert.notEqual(renewed.uti, firstToken.uti, "a new token");
  assert.ok(renewed.iat >= Number(JSON.parse(vault.claims).access_token.nbf.value), "issued after the revocation");

  // The new token is kept: the next call makes no token request and meets no challenge.
  vault.requests.length = 0;
  const third = await client.getSecret("db-password");
  assert.equal(third.value, "correct horse battery staple");
  assert.deepEqual(
    vault.requests.map((r) => r.challenge ?? "ok"),
    ["ok"],
  );
  assert.equal(authority.counters.token, 1);
  assert.equal(calls.length, 2);
});

test("a token for another tenant or audience is refused by the stand-in", async () => {
  const other = await vault.checkToken(`Bearer ${"x".repeat(10)}.${"y".repeat(10)}.z`);
  assert.equal(other.valid, false);
  // A real token of the dev authority for Graph: signed correctly, wrong audience.
  const { recorder } = recordedCredential();
  const graph = await recorder.getToken("https://graph.microsoft.com/.default");
  assert.equal(decodeJwtPayload(graph.token).aud, "https://graph.microsoft.com");
  const check = await vault.checkToken(`Bearer ${graph.token}`);
  assert.equal(check.valid, false);
  assert.match(check.reason, /^aud is https:\/\/graph\.microsoft\.com/);
  const tampered = graph.token.replace(
    /\.([^.]+)\./,
    (m, p) => `.${Buffer.from(JSON.stringify({ ...decodeJwtPayload(graph.token), aud: KEY_VAULT_RESOURCE })).toString("base64url")}.`,
  );
  assert.equal((await vault.checkToken(`Bearer ${tampered}`)).reason, "bad signature");
});

test("a step-up claims challenge (authentication context) makes the user do MFA once; the new token carries acrs", async () => {
  const stepUpVault = await KeyVaultStandIn.start({ authority, tenantId });
  stepUpVault.setSecret("payroll", "42");
  authority.stepUp = true;
  try {
    const { recorder, calls, prompts } = recordedCredential();
    const client = new SecretClient(stepUpVault.url, recorder, {
      agent: new Agent({ ca: stepUpVault.ca }),
      disableChallengeResourceVerification: true,
      retryOptions: { maxRetries: 0 },
    });
    assert.equal((await client.getSecret("payroll")).value, "42");
    assert.equal(prompts.length, 1);

    stepUpVault.requireAuthContext("c1");
    stepUpVault.requests.length = 0;
    authority.resetCounters();
    assert.equal((await client.getSecret("payroll")).value, "42");
    assert.deepEqual(
      stepUpVault.requests.map((r) => [r.challenge ?? "ok", r.token?.valid ?? null]),
      [
        ["cae", false],
        ["ok", true],
      ],
    );
    assert.equal(calls.length, 2);
    assert.equal(calls[1].claims, stepUpVault.claims, "the challenge's claims reached our credential");
    // The refresh token cannot satisfy acrs: the authority says interaction_required, and the user
    // signs in again (device code, with the MFA page) with the claims in the request.
    assert.equal(prompts.length, 2, "one more sign-in, for the step-up");
    assert.equal(authority.counters.tokenByGrant.refresh_token, 1, "one refresh with the claims, refused");
    assert.equal(authority.counters.devicecode, 1, "one new device code sign-in");
    assert.deepEqual(stepUpVault.requests[1].token.claims.acrs, ["c1"], "the new token carries the authentication context");
  } finally {
    authority.stepUp = false;
    await stepUpVault.close();
  }
});
