// @azure/identity and entra-broker against the same dev authority: records written by one are used
// by the other. @azure/identity trusts the authority through NODE_EXTRA_CA_CERTS in its own process.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { DevAuthority } from "entra-broker-devtools";
import { DeviceCodeCredential, serializeAuthenticationRecord, deserializeAuthenticationRecord } from "entra-broker";
import { completeDeviceCodeOverHttp } from "../helpers/devAuthorityBrowser.mjs";

const SCOPE = "https://graph.microsoft.com/.default";
let authority;

before(async () => {
  authority = await DevAuthority.start();
});
after(() => authority.close());

/**
 * Runs @azure/identity's DeviceCodeCredential in a child that trusts the CA; resolves with its
 * last stdout line. Asynchronous: the dev authority lives in this process and must keep answering.
 */
function identityChild(script, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: authority.caPath, INPUT: JSON.stringify(input) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out.trim().split("\n").pop());
      else reject(new Error(`@azure/identity child exited ${code}: ${err}`));
    });
  });
}

const SIGN_IN = `
import { DeviceCodeCredential, serializeAuthenticationRecord, deserializeAuthenticationRecord } from "@azure/identity";
import { completeDeviceCodeOverHttp } from "${new URL("../helpers/devAuthorityBrowser.mjs", import.meta.url).href}";
const input = JSON.parse(process.env.INPUT);
const cred = new DeviceCodeCredential({
  authorityHost: input.url, tenantId: input.tenant, disableInstanceDiscovery: true,
  authenticationRecord: input.record ? deserializeAuthenticationRecord(input.record) : undefined,
  userPromptCallback: (info) => { completeDeviceCodeOverHttp(info.verificationUri, info.userCode, { ca: input.ca, username: input.username, password: input.password }); },
});
const record = await cred.authenticate(input.scope);
console.log(serializeAuthenticationRecord(record));
`;

test("a record from @azure/identity is used by entra-broker, and ours by @azure/identity", async () => {
  const user = authority.users[0];
  const tenant = authority.tenants[0].tenantId;
  const input = { url: authority.url, tenant, ca: authority.ca, username: user.username, password: user.password, scope: SCOPE };
  const theirs = await identityChild(SIGN_IN, input);
  const record = deserializeAuthenticationRecord(theirs);
  assert.equal(record.username, user.username);

  const prompts = [];
  const cred = new DeviceCodeCredential({
    authorityHost: authority.url,
    authorityCa: authority.ca,
    tenantId: tenant,
    authenticationRecord: record,
    userPromptCallback: (info) => {
      prompts.push(info);
      completeDeviceCodeOverHttp(info.verificationUri, info.userCode, {
        ca: authority.ca,
        username: user.username,
        password: user.password,
      });
    },
  });
  const ours = await cred.authenticate(SCOPE);
  assert.equal(ours.homeAccountId, record.homeAccountId, "the same account");
  assert.equal(ours.clientId, record.clientId);

  const back = await identityChild(SIGN_IN, { ...input, record: serializeAuthenticationRecord(ours) });
  assert.equal(JSON.parse(back).homeAccountId, ours.homeAccountId);
});
