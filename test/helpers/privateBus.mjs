// A private D-Bus session bus (and optionally a Secret Service on it) for tests, so that no test ever
// touches the user's real session bus. Debian: `dbus-daemon` (package dbus-daemon / dbus) and
// `gnome-keyring-daemon` (package gnome-keyring).
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { startPrivateBus, stopChild } from "entra-broker-devtools/stand-in-broker";

const require = createRequire(import.meta.url);
// The login keyring of a throw-away HOME; gnome-keyring does not create a login collection for an empty one.
const KEYRING_PASSWORD = "entra-broker-test";

/** A private session bus (devtools/src/standInBroker/privateBus.ts): `{ address, dir, serviceDir, stop() }`. */
export { startPrivateBus };

/** Waits until `name` has an owner on the bus at `address` (a plain dbus-next client). */
export async function waitForName(address, name, timeoutMs = 10_000) {
  const dbus = require("dbus-next");
  const bus = dbus.sessionBus({ busAddress: address });
  try {
    const proxy = await bus.getProxyObject("org.freedesktop.DBus", "/org/freedesktop/DBus");
    const iface = proxy.getInterface("org.freedesktop.DBus");
    const deadline = Date.now() + timeoutMs;
    while (!(await iface.NameHasOwner(name))) {
      if (Date.now() > deadline) throw new Error(`${name} has no owner on ${address} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    bus.disconnect();
  }
}

/**
 * Starts gnome-keyring's Secret Service (`org.freedesktop.secrets`) on the bus at `address`, with
 * HOME and the XDG folders in a fresh temporary directory, the login keyring created and unlocked
 * with a fixed test password fed on stdin. Returns `{ home, stop() }`.
 */
export async function startKeyring(address) {
  const home = mkdtempSync(path.join(tmpdir(), "entra-broker-keyring-"));
  const runtime = path.join(home, "run");
  for (const d of [runtime, path.join(home, ".local/share/keyrings"), path.join(home, ".cache"), path.join(home, ".config")]) {
    mkdirSync(d, { recursive: true, mode: 0o700 });
  }
  const env = {
    ...process.env,
    DBUS_SESSION_BUS_ADDRESS: address,
    HOME: home,
    XDG_RUNTIME_DIR: runtime,
    XDG_DATA_HOME: path.join(home, ".local/share"),
    XDG_CACHE_HOME: path.join(home, ".cache"),
    XDG_CONFIG_HOME: path.join(home, ".config"),
  };
  delete env.GNOME_KEYRING_CONTROL;
  const child = spawn("gnome-keyring-daemon", ["--foreground", "--unlock", "--components=secrets"], {
    stdio: ["pipe", "ignore", "pipe"],
    env,
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (c) => {
    stderr += c;
  });
  child.on("error", (e) => {
    stderr += String(e);
  });
  child.stdin.end(KEYRING_PASSWORD); // the password of the new login keyring
  try {
    await Promise.race([
      waitForName(address, "org.freedesktop.secrets"),
      new Promise((_, reject) => child.once("exit", (code) => reject(new Error(`gnome-keyring-daemon exited (${code}): ${stderr}`)))),
    ]);
  } catch (error) {
    await stopChild(child);
    rmSync(home, { recursive: true, force: true });
    throw error;
  }
  return {
    home,
    env: {
      HOME: home,
      XDG_RUNTIME_DIR: runtime,
      XDG_DATA_HOME: env.XDG_DATA_HOME,
      XDG_CACHE_HOME: env.XDG_CACHE_HOME,
      XDG_CONFIG_HOME: env.XDG_CONFIG_HOME,
    },
    process: child,
    async stop() {
      await stopChild(child);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * Locks the default collection (the login keyring) of the Secret Service on the bus at `address`,
 * as a screen lock or `secret-tool lock` would. Unlocking it again needs a prompt, which headless
 * runs cannot show: writes then fail with "Cannot create an item in a locked collection".
 */
export async function lockKeyring(address) {
  const dbus = require("dbus-next");
  const bus = dbus.sessionBus({ busAddress: address });
  try {
    const proxy = await bus.getProxyObject("org.freedesktop.secrets", "/org/freedesktop/secrets");
    const service = proxy.getInterface("org.freedesktop.Secret.Service");
    const collection = await service.ReadAlias("default");
    if (collection === "/") throw new Error("the Secret Service has no default collection to lock");
    const [locked] = await service.Lock([collection]);
    if (!locked.includes(collection)) throw new Error(`the Secret Service did not lock ${collection}`);
  } finally {
    bus.disconnect();
  }
}

/**
 * Owns `org.freedesktop.secrets` on the bus at `address` and never answers: a Secret Service that
 * hangs (OpenSession, libsecret's first call, gets no reply). Returns `{ stop() }`.
 */
export async function startSilentSecretService(address) {
  const dbus = require("dbus-next");
  const bus = dbus.sessionBus({ busAddress: address });
  class Silent extends dbus.interface.Interface {
    OpenSession() {
      return new Promise(() => {});
    }
  }
  Silent.configureMembers({ methods: { OpenSession: { inSignature: "sv", outSignature: "vo" } } });
  bus.export("/org/freedesktop/secrets", new Silent("org.freedesktop.Secret.Service"));
  await bus.requestName("org.freedesktop.secrets", 0);
  return { stop: () => bus.disconnect() };
}

/**
 * The authority the broker tests sign in against: the project's dev authority (built to
 * devtools/dist by `npm run build`). Returns it with `stop()` (its `close()`).
 */
export async function startTestAuthority(options = {}) {
  let mod;
  try {
    mod = require("entra-broker-devtools");
  } catch (error) {
    throw new Error(`the dev authority is not built (run npm run build first): ${error.message}`);
  }
  const authority = await mod.DevAuthority.start(options);
  authority.stop = () => authority.close();
  return authority;
}

/**
 * A minimal HTTPS token endpoint (ROPC and refresh grants) that records every request and can be
 * told to fail the next ones: `failNext({ status, body })`. Used where a test must see exactly what
 * reached the authority's token endpoint, or script its answers.
 */
export async function startFakeAuthority() {
  const { execFileSync } = await import("node:child_process");
  const { readFileSync } = await import("node:fs");
  const https = await import("node:https");
  const { createHash, randomUUID } = await import("node:crypto");
  const dir = mkdtempSync(path.join(tmpdir(), "entra-broker-fake-authority-"));
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "-keyout",
      path.join(dir, "key.pem"),
      "-out",
      path.join(dir, "cert.pem"),
    ],
    { stdio: "ignore" },
  );
  const cert = readFileSync(path.join(dir, "cert.pem"), "utf8");
  const key = readFileSync(path.join(dir, "key.pem"), "utf8");
  const guid = (s) => {
    const h = createHash("sha256").update(s).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  const tenantId = guid("tenant:contoso");
  const users = [
    { username: "ada@contoso.example", password: "ada-password", displayName: "Ada Lovelace" },
    { username: "grace@contoso.example", password: "grace-password", displayName: "Grace Hopper" },
  ].map((u) => ({ ...u, objectId: guid(`user:${u.username}`), homeTenantId: tenantId }));
  const counters = { token: 0, tokenByGrant: {} };
  const requests = [];
  const failures = [];
  const refreshTokens = new Map();
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const jwt = (claims) => `${b64({ alg: "RS256", typ: "JWT" })}.${b64(claims)}.c2ln`;
  const server = https.createServer({ cert, key }, (req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const send = (status, json) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(json));
      };
      const m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(req.url);
      if (req.method !== "POST" || !m) return send(404, { error: "not_found" });
      const form = Object.fromEntries(new URLSearchParams(body));
      requests.push({ tenant: m[1], form });
      counters.token++;
      const failure = failures.shift();
      if (failure) return send(failure.status, failure.body ?? {});
      counters.tokenByGrant[form.grant_type] = (counters.tokenByGrant[form.grant_type] ?? 0) + 1;
      let user;
      if (form.grant_type === "password") {
        user = users.find((u) => u.username === form.username && u.password === form.password);
        if (!user) return send(400, { error: "invalid_grant", error_description: "AADSTS50126: bad credentials", error_codes: [50126] });
      } else if (form.grant_type === "refresh_token") {
        user = refreshTokens.get(form.refresh_token);
        if (!user) return send(400, { error: "invalid_grant", error_description: "AADSTS70000: bad refresh token", error_codes: [70000] });
      } else return send(400, { error: "unsupported_grant_type" });
      const tid = m[1].includes("-") ? m[1] : user.homeTenantId;
      const now = Math.floor(Date.now() / 1000);
      const scopes = form.scope.split(" ").filter((s) => !["openid", "profile", "offline_access"].includes(s));
      const rt = randomUUID();
      refreshTokens.set(rt, user);
      const base = {
        iss: `https://127.0.0.1/${tid}/v2.0`,
        iat: now,
        nbf: now,
        exp: now + 3600,
        tid,
        oid: user.objectId,
        sub: user.objectId,
        name: user.displayName,
        preferred_username: user.username,
      };
      send(200, {
        token_type: "Bearer",
        scope: scopes.join(" "),
        expires_in: 3600,
        ext_expires_in: 3600,
        access_token: jwt({ ...base, aud: form.client_id, scp: scopes.join(" "), ...(form.claims ? { xms_cc_claims: form.claims } : {}) }),
        refresh_token: rt,
        id_token: jwt({ ...base, aud: form.client_id }),
        client_info: b64({ uid: user.objectId, utid: user.homeTenantId }),
      });
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const url = `https://127.0.0.1:${server.address().port}`;
  return {
    url,
    ca: cert,
    caPath: path.join(dir, "cert.pem"),
    users,
    counters,
    requests,
    failNext(failure) {
      failures.push(failure);
    },
    async stop() {
      server.closeAllConnections?.();
      await new Promise((r) => server.close(r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The broker tests' world: a private bus made this process's session bus, the dev authority, and
 * (unless `standIn: false`) the in-process stand-in broker signing its first user in. Fails when
 * the addon is not built. `stop()` tears it down and restores DBUS_SESSION_BUS_ADDRESS.
 */
export async function startBrokerWorld({ standIn = true } = {}) {
  const { loadNativeBroker } = require("../../dist/internal.js");
  const load = loadNativeBroker();
  if (!load.addon) throw new Error(`the native addon is not built (npm run build:native): ${load.error}`);
  const savedBus = process.env.DBUS_SESSION_BUS_ADDRESS;
  const bus = await startPrivateBus();
  const authority = await startTestAuthority();
  process.env.DBUS_SESSION_BUS_ADDRESS = bus.address;
  const { StandInBroker } = require("entra-broker-devtools/stand-in-broker");
  const broker = standIn
    ? await StandInBroker.start({ busAddress: bus.address, authority: { url: authority.url, ca: authority.ca }, user: authority.users[0] })
    : undefined;
  return {
    bus,
    authority,
    broker,
    async stop() {
      await broker?.stop();
      await authority.stop();
      await bus.stop();
      if (savedBus === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
      else process.env.DBUS_SESSION_BUS_ADDRESS = savedBus;
    },
  };
}
