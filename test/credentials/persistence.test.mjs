// tokenCachePersistenceOptions on a confidential credential: the app token one process got is in
// the OS secret store (gnome-keyring on a private bus), and a fresh process gets it from there
// without asking the authority.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { DevAuthority } from "entra-broker-devtools";
import { startSecretService } from "../helpers/persistence.mjs";
import { APP, APP_SECRET, appRegistration, makeCertificates } from "./helpers.mjs";

let authority, secrets;
before(async () => {
  authority = await DevAuthority.start({ clients: [appRegistration(makeCertificates())] });
  secrets = await startSecretService();
});
after(async () => {
  await secrets?.stop();
  await authority.close();
});

const CHILD = `
const { ClientSecretCredential } = require("entra-broker");
const i = JSON.parse(process.argv[1]);
new ClientSecretCredential(i.tenant, i.app, i.secret, { authorityHost: i.url, authorityCa: i.ca, tokenCachePersistenceOptions: { enabled: true, name: "svc-creds-test" } })
  .getToken("https://graph.microsoft.com/.default")
  .then((t) => console.log(JSON.stringify({ token: t.token })), (e) => console.log(JSON.stringify({ error: e.name + ": " + e.message })));`;

function run() {
  const input = { url: authority.url, ca: authority.ca, tenant: authority.tenants[0].tenantId, app: APP, secret: APP_SECRET };
  const child = spawn(process.execPath, ["-e", CHILD, JSON.stringify(input)], {
    env: { ...process.env, ...secrets.env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  return new Promise((resolve) => child.on("exit", () => resolve(JSON.parse(out.trim().split("\n").pop()))));
}

test("a fresh process gets the app token from the persisted cache, no token request", async () => {
  authority.resetCounters();
  const first = await run();
  assert.ok(first.token, first.error);
  assert.equal(authority.counters.token, 1);
  const second = await run();
  assert.equal(second.token, first.token, second.error);
  assert.equal(authority.counters.token, 1, "the second process did not ask the authority");
});
