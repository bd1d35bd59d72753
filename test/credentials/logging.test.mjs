// No secret, password, assertion, key or token in the logs: every service credential gets a token
// (and a refusal) in a child run with AZURE_LOG_LEVEL=verbose, and its whole stderr is searched.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DevAuthority } from "entra-broker-devtools";
import { APP, APP_SECRET, SUBJECT, appRegistration, makeCertificates } from "./helpers.mjs";

let authority, certs;
before(async () => {
  certs = makeCertificates();
  authority = await DevAuthority.start({ clients: [appRegistration(certs)] });
});
after(() => authority.close());

/** Runs every service credential once with a good and once with a bad credential; prints the tokens on stdout. */
const CHILD = `
const m = require("entra-broker");
const input = JSON.parse(process.argv[1]);
const o = { authorityHost: input.url, authorityCa: input.ca, loggingOptions: { enableUnsafeSupportLogging: true } };
const S = "https://graph.microsoft.com/.default";
const tokens = [];
const run = async (cred) => { try { tokens.push((await cred.getToken(S)).token); } catch (e) { console.error("refused:", e.name, e.code); } };
(async () => {
  await run(new m.ClientSecretCredential(input.tenant, input.app, input.secret, o));
  await run(new m.ClientSecretCredential(input.tenant, input.app, input.secret + "-wrong", o));
  await run(new m.ClientCertificateCredential(input.tenant, input.app, { certificatePath: input.encrypted, certificatePassword: input.pemPassword }, { ...o, sendCertificateChain: true }));
  await run(new m.ClientCertificateCredential(input.tenant, input.app, { certificatePath: input.encrypted, certificatePassword: "wrong-" + input.pemPassword }, o));
  await run(new m.ClientAssertionCredential(input.tenant, input.app, async () => input.assertion, o));
  await run(new m.WorkloadIdentityCredential({ ...o, tenantId: input.tenant, clientId: input.app, tokenFilePath: input.tokenFile }));
  await run(new m.UsernamePasswordCredential(input.tenant, input.publicApp, input.username, input.password, o));
  await run(new m.UsernamePasswordCredential(input.tenant, input.publicApp, input.username, input.password + "-wrong", o));
  process.env.AZURE_TENANT_ID = input.tenant; process.env.AZURE_CLIENT_ID = input.app; process.env.AZURE_CLIENT_SECRET = input.secret;
  await run(new m.EnvironmentCredential(o));
  console.log(JSON.stringify(tokens));
})();`;

test("AZURE_LOG_LEVEL=verbose (with unsafe support logging): no secret, password, assertion, private key or token in the output", async () => {
  const assertion = authority.issueFederatedToken({ subject: SUBJECT });
  const tokenFile = path.join(certs.dir, "federated-token");
  writeFileSync(tokenFile, assertion);
  const ada = authority.users[0];
  const input = {
    url: authority.url,
    ca: authority.ca,
    tenant: authority.tenants[0].tenantId,
    app: APP,
    secret: APP_SECRET,
    encrypted: certs.at("encrypted.pem"),
    pemPassword: "pem-password",
    assertion,
    tokenFile,
    publicApp: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
    username: ada.username,
    password: ada.password,
  };
  const child = spawn(process.execPath, ["-e", CHILD, JSON.stringify(input)], {
    env: { ...process.env, AZURE_LOG_LEVEL: "verbose" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  await new Promise((resolve) => child.on("exit", resolve));
  const tokens = JSON.parse(out.trim().split("\n").pop());
  assert.equal(tokens.length, 6, `six credentials got a token:\n${err.slice(-3000)}`);
  assert.ok(err.length > 10_000, "verbose logging was on");
  assert.match(err, /ClientSecretCredential =>/);
  assert.match(err, /WorkloadIdentityCredential =>/, "WorkloadIdentityCredential logs under its own name");
  assert.equal((err.match(/^refused:/gm) ?? []).length, 3, err.slice(-3000));
  const keyBody = readFileSync(certs.at("key.pem"), "utf8").split("\n")[1];
  const forbidden = {
    secret: APP_SECRET,
    password: ada.password,
    "PEM password": "pem-password",
    assertion,
    "assertion signature": assertion.split(".")[2],
    "private key": keyBody,
    ...Object.fromEntries(tokens.map((t, i) => [`token ${i}`, t.split(".")[2]])),
  };
  for (const [what, value] of Object.entries(forbidden)) assert.ok(!err.includes(value), `the ${what} was logged`);
  assert.doesNotMatch(err, /client_assertion=|client_secret=|PRIVATE KEY-----/);
});
