// Certificates made with openssl for the service credential tests, and the dev authority's request count.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AuthenticationError } from "entra-broker";
import { ENVIRONMENT_CREDENTIAL_VARIABLES } from "../../dist/internal.js";

/** A folder of test certificates: a self-signed RSA key pair as PEM (key + certificate), encrypted PEM, PKCS#12 with and without password. */
export function makeCertificates() {
  const dir = mkdtempSync(path.join(tmpdir(), "eb-certs-"));
  const at = (name) => path.join(dir, name);
  const openssl = (...args) => execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  /** A self-signed RSA certificate valid for two days, its key unencrypted. */
  const selfSigned = (key, cert, subject) =>
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", at(key), "-out", at(cert), "-days", "2", "-subj", subject);
  selfSigned("key.pem", "cert.pem", "/CN=entra-broker test app");
  selfSigned("other-key.pem", "other-cert.pem", "/CN=other");
  const key = readFileSync(at("key.pem"), "utf8");
  const cert = readFileSync(at("cert.pem"), "utf8");
  writeFileSync(at("both.pem"), `${key}\n${cert}`);
  writeFileSync(at("wrong-key.pem"), `${readFileSync(at("other-key.pem"), "utf8")}\n${cert}`);
  openssl("pkcs8", "-topk8", "-in", at("key.pem"), "-out", at("key-encrypted.pem"), "-passout", "pass:pem-password");
  writeFileSync(at("encrypted.pem"), `${readFileSync(at("key-encrypted.pem"), "utf8")}\n${cert}`);
  openssl(
    "pkcs12",
    "-export",
    "-inkey",
    at("key.pem"),
    "-in",
    at("cert.pem"),
    "-out",
    at("with-password.pfx"),
    "-passout",
    "pass:pfx-password",
  );
  openssl("pkcs12", "-export", "-inkey", at("key.pem"), "-in", at("cert.pem"), "-out", at("no-password.pfx"), "-passout", "pass:");
  writeFileSync(at("not-a-certificate.pem"), "hello, this is not a certificate\n");
  // A chain: a CA, and a leaf it signed; the file lists the CA first (the leaf is found by its key).
  selfSigned("ca-key.pem", "ca.pem", "/CN=test CA");
  openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", at("leaf-key.pem"), "-out", at("leaf.csr"), "-subj", "/CN=leaf app");
  openssl(
    "x509",
    "-req",
    "-in",
    at("leaf.csr"),
    "-CA",
    at("ca.pem"),
    "-CAkey",
    at("ca-key.pem"),
    "-CAcreateserial",
    "-out",
    at("leaf.pem"),
    "-days",
    "2",
  );
  const ca = readFileSync(at("ca.pem"), "utf8");
  const leaf = readFileSync(at("leaf.pem"), "utf8");
  writeFileSync(at("chain-ca-first.pem"), `${ca}\n${leaf}\n${readFileSync(at("leaf-key.pem"), "utf8")}`);
  return { dir, at, key, cert, ca, leaf, both: readFileSync(at("both.pem"), "utf8") };
}

/** Requests the dev authority has seen (token, metadata, discovery): 0 means nothing was sent. */
export function requestsSeen(authority) {
  const c = authority.counters;
  return c.token + c.openidConfiguration + c.instanceDiscovery;
}

/** True when the optional PKCS#12 reader is installed. */
export async function hasNodeForge() {
  try {
    await import("node-forge");
    return true;
  } catch {
    return false;
  }
}

/** The variables EnvironmentCredential and WorkloadIdentityCredential read: the credential's own list, and the token file. */
export const ENVIRONMENT_VARIABLES = [...ENVIRONMENT_CREDENTIAL_VARIABLES, "AZURE_FEDERATED_TOKEN_FILE"];

/** A credential made with exactly `vars` set among the variables it reads (restored afterwards). */
export function withEnvironment(vars, make) {
  const saved = Object.fromEntries(ENVIRONMENT_VARIABLES.map((v) => [v, process.env[v]]));
  for (const v of ENVIRONMENT_VARIABLES) delete process.env[v];
  Object.assign(process.env, vars);
  try {
    return make();
  } finally {
    for (const v of ENVIRONMENT_VARIABLES) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
  }
}

export const SCOPE = "https://graph.microsoft.com/.default";
/** The app registered at the dev authority by the service credential tests. */
export const APP = "aaaaaaaa-1111-4222-8333-444444444444";
export const APP_SECRET = "app-secret~value.Do-not-log";
export const SUBJECT = "system:serviceaccount:default:workload";

/** For `assert.rejects`: the authority's refusal passed through, AuthenticationError with its `error`, status and (when given) description. */
export function refusedByAuthority(code, statusCode, description) {
  return (e) => {
    assert.ok(e instanceof AuthenticationError, `${e.name}: ${e.message}`);
    assert.equal(e.code, code);
    assert.equal(e.statusCode, statusCode);
    if (description) assert.match(e.errorResponse.errorDescription, description);
    return true;
  };
}

/** The claims of a JWT (the signature is not checked). */
export function claimsOf(jwt) {
  return JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8"));
}

/** A claims challenge, as a resource sends it. */
export const CLAIMS = JSON.stringify({ access_token: { nbf: { essential: true, value: "1" } } });

/** The app registration: its secret, the test certificate, and trust in the authority's own federated issuer. */
export function appRegistration(certs) {
  return {
    clientId: APP,
    clientSecret: APP_SECRET,
    certificates: [certs.cert, certs.leaf],
    federatedCredentials: [{ issuer: "default", subject: SUBJECT }],
  };
}
