// Certificates made with openssl for the service credential tests, and the dev authority's request count.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** A folder of test certificates: a self-signed RSA key pair as PEM (key + certificate), encrypted PEM, PKCS#12 with and without password. */
export function makeCertificates() {
  const dir = mkdtempSync(path.join(tmpdir(), "eb-certs-"));
  const at = (name) => path.join(dir, name);
  const openssl = (...args) => execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  openssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    at("key.pem"),
    "-out",
    at("cert.pem"),
    "-days",
    "2",
    "-subj",
    "/CN=entra-broker test app",
  );
  openssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    at("other-key.pem"),
    "-out",
    at("other-cert.pem"),
    "-days",
    "2",
    "-subj",
    "/CN=other",
  );
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
  return { dir, at, key, cert, both: readFileSync(at("both.pem"), "utf8") };
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

/** The variables EnvironmentCredential and WorkloadIdentityCredential read. */
export const ENVIRONMENT_VARIABLES = [
  "AZURE_TENANT_ID",
  "AZURE_CLIENT_ID",
  "AZURE_CLIENT_SECRET",
  "AZURE_CLIENT_CERTIFICATE_PATH",
  "AZURE_CLIENT_CERTIFICATE_PASSWORD",
  "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN",
  "AZURE_USERNAME",
  "AZURE_PASSWORD",
  "AZURE_AUTHORITY_HOST",
  "AZURE_ADDITIONALLY_ALLOWED_TENANTS",
  "AZURE_FEDERATED_TOKEN_FILE",
];

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
