// Bad input to the service credentials is a typed error with a stable code, and nothing is sent:
// an empty secret, a certificate that is missing, not PEM/PFX, without a key, with the wrong key
// or password; an unusable assertion. Construction loads no msal-node.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { DevAuthority } from "entra-broker-devtools";
import {
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  CredentialUnavailableError,
  InvalidArgumentError,
  UsernamePasswordCredential,
} from "entra-broker";
import { hasNodeForge, makeCertificates, requestsSeen } from "./helpers.mjs";

const SCOPE = "https://graph.microsoft.com/.default";
const CLIENT = "5f3c0b6e-6f0a-4c8e-9d43-0b1a2c3d4e5f";
let authority, certs, tenant, opts;

before(async () => {
  authority = await DevAuthority.start();
  certs = makeCertificates();
  tenant = authority.tenants[0].tenantId;
  opts = { authorityHost: authority.url, authorityCa: authority.ca };
});
after(() => authority.close());

function throwsCode(fn, code) {
  assert.throws(fn, (e) => e instanceof InvalidArgumentError && e.code === code, `expected InvalidArgumentError ${code}`);
}

test("constructors refuse an empty secret, tenant, client id, assertion callback or certificate argument, synchronously", () => {
  throwsCode(() => new ClientSecretCredential(tenant, CLIENT, "", opts), "INVALID_CLIENT_SECRET");
  throwsCode(() => new ClientSecretCredential(tenant, CLIENT, "   ", opts), "INVALID_CLIENT_SECRET");
  throwsCode(() => new ClientSecretCredential("", CLIENT, "s", opts), "INVALID_TENANT_ID");
  throwsCode(() => new ClientSecretCredential("bad/tenant", CLIENT, "s", opts), "INVALID_TENANT_ID");
  throwsCode(() => new ClientSecretCredential(tenant, "", "s", opts), "INVALID_CLIENT_ID");
  throwsCode(() => new ClientSecretCredential(tenant, CLIENT, "s", { authorityHost: "http://example.test" }), "INVALID_AUTHORITY_HOST");
  throwsCode(() => new ClientAssertionCredential(tenant, CLIENT, "not a function", opts), "INVALID_CLIENT_ASSERTION");
  throwsCode(() => new ClientCertificateCredential(tenant, CLIENT, "", opts), "INVALID_CERTIFICATE");
  throwsCode(() => new ClientCertificateCredential(tenant, CLIENT, {}, opts), "INVALID_CERTIFICATE");
  throwsCode(
    () => new ClientCertificateCredential(tenant, CLIENT, { certificate: "x", certificatePath: "y" }, opts),
    "INVALID_CERTIFICATE",
  );
  throwsCode(() => new UsernamePasswordCredential(tenant, CLIENT, "ada@contoso.test", "", opts), "INVALID_ARGUMENT");
  assert.equal(requestsSeen(authority), 0);
});

async function rejectsCertificate(config, expected, options = {}) {
  const before = requestsSeen(authority);
  const cred = new ClientCertificateCredential(tenant, CLIENT, config, { ...opts, ...options });
  await assert.rejects(cred.getToken(SCOPE), (e) => {
    assert.equal(e.constructor.name, expected.type.name, `${e.name}: ${e.message}`);
    assert.ok(e instanceof expected.type);
    assert.equal(e.code, expected.code, e.message);
    return true;
  });
  assert.equal(requestsSeen(authority), before, "nothing was sent to the authority");
}

test("certificate files: missing, not a certificate, no key, no certificate, a key of another certificate", async () => {
  const unavailable = (code) => ({ type: CredentialUnavailableError, code });
  const invalid = (code) => ({ type: InvalidArgumentError, code });
  await rejectsCertificate(certs.at("does-not-exist.pem"), unavailable("CERTIFICATE_UNREADABLE"));
  await rejectsCertificate(certs.dir, unavailable("CERTIFICATE_UNREADABLE"));
  await rejectsCertificate(certs.at("not-a-certificate.pem"), invalid("INVALID_CERTIFICATE"));
  await rejectsCertificate(certs.at("cert.pem"), invalid("INVALID_CERTIFICATE_KEY"));
  await rejectsCertificate({ certificate: certs.key }, invalid("INVALID_CERTIFICATE"));
  await rejectsCertificate(certs.at("wrong-key.pem"), invalid("INVALID_CERTIFICATE_KEY"));
});

test("an encrypted PEM key: without or with a wrong certificatePassword it is refused, nothing sent", async () => {
  const invalid = { type: InvalidArgumentError, code: "INVALID_CERTIFICATE_PASSWORD" };
  await rejectsCertificate({ certificatePath: certs.at("encrypted.pem") }, invalid);
  await rejectsCertificate({ certificatePath: certs.at("encrypted.pem"), certificatePassword: "wrong" }, invalid);
});

test("PKCS#12: with node-forge a wrong or missing password is refused; without it, a typed PKCS12_UNSUPPORTED", async () => {
  if (await hasNodeForge()) {
    const invalid = { type: InvalidArgumentError, code: "INVALID_CERTIFICATE_PASSWORD" };
    await rejectsCertificate({ certificatePath: certs.at("with-password.pfx"), certificatePassword: "wrong" }, invalid);
    await rejectsCertificate({ certificatePath: certs.at("with-password.pfx") }, invalid);
  } else {
    const unavailable = { type: CredentialUnavailableError, code: "PKCS12_UNSUPPORTED" };
    await rejectsCertificate({ certificatePath: certs.at("with-password.pfx"), certificatePassword: "pfx-password" }, unavailable);
    await rejectsCertificate(certs.at("no-password.pfx"), unavailable);
  }
});

test("an assertion callback resolving to nothing is refused before the token request", async () => {
  const before = authority.counters.token;
  const cred = new ClientAssertionCredential(tenant, CLIENT, async () => "", opts);
  await assert.rejects(cred.getToken(SCOPE), (e) => e instanceof InvalidArgumentError && e.code === "INVALID_CLIENT_ASSERTION");
  assert.equal(authority.counters.token, before);
});

test("importing and constructing every service credential loads no msal-node", () => {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const report = `process.on("exit",()=>process.stderr.write("\\n@@"+JSON.stringify(Object.keys(require.cache))))`;
  const script = `const m=require("./dist");const t="contoso.test",c="${CLIENT}";
new m.ClientSecretCredential(t,c,"s");new m.ClientCertificateCredential(t,c,"/nope.pem");new m.ClientAssertionCredential(t,c,async()=>"a");
new m.UsernamePasswordCredential(t,c,"u","p");new m.EnvironmentCredential();new m.WorkloadIdentityCredential();`;
  const run = spawnSync(process.execPath, ["-e", `${report};${script}`], { cwd: root, encoding: "utf8", timeout: 30_000 });
  const at = run.stderr.lastIndexOf("@@");
  assert.ok(at >= 0, run.stderr);
  const loaded = JSON.parse(run.stderr.slice(at + 2));
  assert.ok(loaded.some((f) => f.endsWith("dist/credentials/clientCertificateCredential.js")));
  assert.deepEqual(
    loaded.filter((f) => /msal-node|node-forge/.test(f)),
    [],
  );
});

test("PKCS#12 where node-forge cannot be loaded (an app that did not install it): PKCS12_UNSUPPORTED, nothing sent", async () => {
  // The child resolves node-forge as a missing module, as in an app whose install left it out.
  const hide = `const M=require("module");const r=M._resolveFilename;M._resolveFilename=function(req,...a){if(req==="node-forge"){const e=new Error("Cannot find module 'node-forge'");e.code="MODULE_NOT_FOUND";throw e;}return r.call(this,req,...a);};`;
  const script = `${hide}const m=require("entra-broker");const i=JSON.parse(process.argv[1]);
new m.ClientCertificateCredential(i.tenant,i.client,{certificatePath:i.pfx,certificatePassword:"pfx-password"},{authorityHost:i.url,authorityCa:i.ca})
.getToken("${SCOPE}").then(()=>console.log("token"),(e)=>console.log(JSON.stringify({name:e.name,code:e.code,message:e.message})));`;
  const before = requestsSeen(authority);
  const input = { tenant, client: CLIENT, pfx: certs.at("with-password.pfx"), url: authority.url, ca: authority.ca };
  const run = spawnSync(process.execPath, ["-e", script, JSON.stringify(input)], { encoding: "utf8", timeout: 30_000 });
  const result = JSON.parse(run.stdout.trim().split("\n").pop());
  assert.equal(result.name, "CredentialUnavailableError", run.stdout + run.stderr);
  assert.equal(result.code, "PKCS12_UNSUPPORTED");
  assert.match(result.message, /npm install node-forge/);
  assert.equal(requestsSeen(authority), before);
});
