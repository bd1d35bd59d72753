// The real peers against the dev authority's client_credentials grant: @azure/identity's own
// ClientSecretCredential, ClientCertificateCredential (PEM, with and without the chain),
// ClientAssertionCredential and WorkloadIdentityCredential, and msal-node's
// ConfidentialClientApplication. Each runs in a child that trusts the CA (NODE_EXTRA_CA_CERTS).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { DevAuthority, makeClientCertificate } from "entra-broker-devtools";

const SECRET_APP = "a0a0a0a0-1111-4222-8333-444444444444";
const CERT_APP = "b0b0b0b0-1111-4222-8333-444444444444";
const FED_APP = "c0c0c0c0-1111-4222-8333-444444444444";
const SECRET = "dev~secret.value-1";
const SUBJECT = "system:serviceaccount:default:worker";
let authority;
let tenantId;
let dir;
let cert;

before(async () => {
  cert = await makeClientCertificate();
  authority = await DevAuthority.start({
    clients: [
      { clientId: SECRET_APP, clientSecret: SECRET, roles: ["Data.Read"] },
      { clientId: CERT_APP, certificates: [cert.certPem] },
      { clientId: FED_APP, federatedCredentials: [{ issuer: "default", subject: SUBJECT }] },
    ],
  });
  tenantId = authority.tenants[0].tenantId;
  dir = mkdtempSync(path.join(tmpdir(), "svc-interop-"));
  writeFileSync(path.join(dir, "cert.pem"), cert.keyPem + cert.certPem, { mode: 0o600 });
  writeFileSync(path.join(dir, "chain.pem"), cert.keyPem + cert.certPem + cert.caPem, { mode: 0o600 });
});
after(async () => {
  await authority.close();
  rmSync(dir, { recursive: true, force: true });
});

// The child prints one JSON line: the claims of each token it got (never a token), or the error.
const CHILD = `
import * as identity from "@azure/identity";
import { ConfidentialClientApplication } from "@azure/msal-node";
const input = JSON.parse(process.env.INPUT);
const claims = (t) => JSON.parse(Buffer.from(t.split(".")[1], "base64url").toString());
const common = { authorityHost: input.url, disableInstanceDiscovery: true };
function credential() {
  switch (input.kind) {
    case "secret": return new identity.ClientSecretCredential(input.tenantId, input.clientId, input.secret, common);
    case "certificate": return new identity.ClientCertificateCredential(input.tenantId, input.clientId, { certificatePath: input.certificatePath }, { ...common, sendCertificateChain: input.chain });
    case "assertion": return new identity.ClientAssertionCredential(input.tenantId, input.clientId, async () => input.assertion, common);
    case "workload": return new identity.WorkloadIdentityCredential({ ...common, tenantId: input.tenantId, clientId: input.clientId, tokenFilePath: input.tokenFilePath });
  }
}
try {
  const out = [];
  if (input.kind === "msal") {
    const app = new ConfidentialClientApplication({
      auth: { clientId: input.clientId, authority: input.url + "/" + input.tenantId, knownAuthorities: [new URL(input.url).host], clientCertificate: input.clientCertificate },
    });
    for (const scope of input.scopes) out.push(claims((await app.acquireTokenByClientCredential({ scopes: [scope], skipCache: true })).accessToken));
  } else {
    const cred = credential();
    for (const scope of input.scopes) out.push(claims((await cred.getToken(scope)).token));
  }
  console.log(JSON.stringify({ claims: out }));
} catch (e) {
  console.log(JSON.stringify({ error: { name: e.name, statusCode: e.statusCode, error: e.errorResponse?.error, message: String(e.message).slice(0, 600) } }));
}
`;

function child(input) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--input-type=module", "-e", CHILD], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: authority.caPath, INPUT: JSON.stringify({ url: authority.url, tenantId, ...input }) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => p.kill(), 60_000);
    p.on("exit", (code) => {
      clearTimeout(timer);
      const last = out.trim().split("\n").pop();
      if (code === 0 && last) resolve(JSON.parse(last));
      else reject(new Error(`child exited ${code}: ${err}`));
    });
  });
}

const GRAPH = "https://graph.microsoft.com/.default";
const VAULT = "https://vault.azure.net/.default";

test("@azure/identity ClientSecretCredential gets app-only tokens; a wrong secret is refused with the server's AADSTS7000215", async () => {
  authority.resetCounters();
  const ok = await child({ kind: "secret", clientId: SECRET_APP, secret: SECRET, scopes: [GRAPH, VAULT] });
  assert.ok(ok.claims, JSON.stringify(ok.error));
  assert.deepEqual(
    ok.claims.map((c) => [c.aud, c.appid, c.idtyp, c.tid]),
    [
      ["https://graph.microsoft.com", SECRET_APP, "app", tenantId],
      ["https://vault.azure.net", SECRET_APP, "app", tenantId],
    ],
  );
  assert.deepEqual(ok.claims[0].roles, ["Data.Read"]);
  assert.equal(authority.counters.tokenByClientAuth.secret, 2);
  const bad = await child({ kind: "secret", clientId: SECRET_APP, secret: "wrong", scopes: [GRAPH] });
  assert.ok(bad.error, "refused");
  assert.match(bad.error.message, /AADSTS7000215/);
});

test("@azure/identity ClientCertificateCredential (PEM) gets tokens, without and with sendCertificateChain (x5c)", async () => {
  authority.resetCounters();
  for (const [file, chain] of [
    ["cert.pem", false],
    ["chain.pem", true],
  ]) {
    const res = await child({
      kind: "certificate",
      clientId: CERT_APP,
      certificatePath: path.join(dir, file),
      chain,
      scopes: [GRAPH, VAULT],
    });
    assert.ok(res.claims, `${file}: ${JSON.stringify(res.error)}`);
    assert.deepEqual(
      res.claims.map((c) => [c.appid, c.azpacr]),
      [
        [CERT_APP, "2"],
        [CERT_APP, "2"],
      ],
    );
  }
  assert.equal(authority.counters.tokenByClientAuth.certificate, 4, "two scopes each: msal's cached assertion is accepted again");
  authority.removeClient(CERT_APP);
  authority.addClient({ clientId: CERT_APP, certificates: [(await makeClientCertificate()).certPem] });
  try {
    const res = await child({
      kind: "certificate",
      clientId: CERT_APP,
      certificatePath: path.join(dir, "cert.pem"),
      chain: false,
      scopes: [GRAPH],
    });
    assert.ok(res.error, "a certificate no longer registered is refused");
    assert.match(res.error.message, /AADSTS700027/);
  } finally {
    authority.addClient({ clientId: CERT_APP, certificates: [cert.certPem] });
  }
});

test("@azure/identity ClientAssertionCredential and WorkloadIdentityCredential with a token of the authority's own issuer", async () => {
  authority.resetCounters();
  const assertion = authority.issueFederatedToken({ subject: SUBJECT });
  const a = await child({ kind: "assertion", clientId: FED_APP, assertion, scopes: [GRAPH] });
  assert.ok(a.claims, JSON.stringify(a.error));
  assert.equal(a.claims[0].appid, FED_APP);
  const tokenFilePath = path.join(dir, "federated-token");
  writeFileSync(tokenFilePath, assertion);
  const w = await child({ kind: "workload", clientId: FED_APP, tokenFilePath, scopes: [GRAPH, VAULT] });
  assert.ok(w.claims, JSON.stringify(w.error));
  assert.deepEqual(
    w.claims.map((c) => c.aud),
    ["https://graph.microsoft.com", "https://vault.azure.net"],
  );
  assert.equal(authority.counters.tokenByClientAuth.federated, 3);
  const wrong = await child({
    kind: "assertion",
    clientId: FED_APP,
    assertion: authority.issueFederatedToken({ subject: "other" }),
    scopes: [GRAPH],
  });
  assert.match(wrong.error?.message ?? "", /AADSTS700213/);
});

test("msal-node ConfidentialClientApplication with a certificate (SHA-256 thumbprint, x5c) gets tokens", async () => {
  const { createHash, X509Certificate } = await import("node:crypto");
  const der = new X509Certificate(cert.certPem).raw;
  /** msal-node's confidential client with the registered key, sending the chain `x5c`. */
  const withChain = (x5c, scopes) =>
    child({
      kind: "msal",
      clientId: CERT_APP,
      clientCertificate: { thumbprintSha256: createHash("sha256").update(der).digest("hex"), privateKey: cert.keyPem, x5c },
      scopes,
    });
  const res = await withChain(cert.certPem + cert.caPem, [GRAPH, VAULT]);
  assert.ok(res.claims, JSON.stringify(res.error));
  assert.deepEqual(
    res.claims.map((c) => c.aud),
    ["https://graph.microsoft.com", "https://vault.azure.net"],
  );
  // A chain whose first certificate is not the registered one is refused: x5c is checked.
  const reordered = await withChain(cert.caPem + cert.certPem, [GRAPH]);
  assert.match(reordered.error?.message ?? "", /AADSTS700027/);
});
