// ClientCertificateCredential against the dev authority, which verifies the private_key_jwt
// signature against the registered certificate, its thumbprint, and the x5c chain when sent:
// PEM by path, by {certificatePath} and as text; an encrypted key with its password; a chain
// listed CA first; PKCS#12 made with openssl (with node-forge installed); an unregistered certificate.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { DevAuthority } from "entra-broker-devtools";
import { ClientCertificateCredential } from "entra-broker";
import { loadClientCertificate } from "../../dist/internal.js";
import { APP, SCOPE, appRegistration, claimsOf, hasNodeForge, makeCertificates, refusedByAuthority } from "./helpers.mjs";

let authority, certs, tenant, opts;
before(async () => {
  certs = makeCertificates();
  authority = await DevAuthority.start({ clients: [appRegistration(certs)] });
  tenant = authority.tenants[0].tenantId;
  opts = { authorityHost: authority.url, authorityCa: authority.ca };
});
after(() => authority.close());

async function tokenWith(config, options = {}) {
  const before = authority.counters.tokenByClientAuth.certificate;
  const token = await new ClientCertificateCredential(tenant, APP, config, { ...opts, ...options }).getToken(SCOPE);
  assert.equal(claimsOf(token.token).appid, APP);
  assert.equal(authority.counters.tokenByClientAuth.certificate, before + 1, "authenticated by certificate");
  return token;
}

test("a PEM file (key and certificate) by path, as {certificatePath}, and as {certificate} text", async () => {
  await tokenWith(certs.at("both.pem"));
  await tokenWith({ certificatePath: certs.at("both.pem") });
  await tokenWith({ certificate: certs.both });
});

test("an encrypted PEM key with its certificatePassword", async () => {
  await tokenWith({ certificatePath: certs.at("encrypted.pem"), certificatePassword: "pem-password" });
});

test("sendCertificateChain: the chain goes as x5c, leaf first, though the file lists the CA first", async () => {
  await tokenWith(certs.at("chain-ca-first.pem"), { sendCertificateChain: true });
  await tokenWith(certs.at("chain-ca-first.pem"));
  const loaded = await loadClientCertificate({ certificatePath: certs.at("chain-ca-first.pem") }, true);
  const chain = loaded.x5c.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  assert.equal(chain.length, 2);
  assert.equal(new X509Certificate(chain[0]).subject, "CN=leaf app");
  assert.equal(loaded.thumbprintSha256, createHash("sha256").update(new X509Certificate(certs.leaf).raw).digest("hex").toUpperCase());
  assert.match(loaded.privateKey, /^-----BEGIN PRIVATE KEY-----/);
  assert.equal((await loadClientCertificate({ certificatePath: certs.at("both.pem") }, false)).x5c, undefined);
});

test(
  "PKCS#12 (openssl pkcs12 -export) with and without a password",
  { skip: !(await hasNodeForge()) && "node-forge is not installed (badInput.test.mjs checks PKCS12_UNSUPPORTED)" },
  async () => {
    await tokenWith({ certificatePath: certs.at("with-password.pfx"), certificatePassword: "pfx-password" });
    await tokenWith(certs.at("no-password.pfx"));
  },
);

test("a certificate the app does not have registered: the authority's invalid_client with status 401", async () => {
  const unregistered = `${readFileSync(certs.at("other-key.pem"), "utf8")}\n${readFileSync(certs.at("other-cert.pem"), "utf8")}`;
  await assert.rejects(
    new ClientCertificateCredential(tenant, APP, { certificate: unregistered }, opts).getToken(SCOPE),
    refusedByAuthority("invalid_client", 401),
  );
});
