// A child process of the persistence tests: one action from argv[2] (JSON), one JSON line on stdout.
// Each runs in its own process because libsecret keeps its first D-Bus connection for good, and
// because what persistence is about is what another process finds.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { completeDeviceCodeOverHttp } from "./devAuthorityBrowser.mjs";

const require = createRequire(import.meta.url);
const ours = require("../../dist/index.js");
const persistence = require("../../dist/internal.js");
const { acquireLock } = require("../../dist/internal.js");

const input = JSON.parse(process.argv[2]);
const ca = input.caPath ? readFileSync(input.caPath, "utf8") : undefined;
const persist = { enabled: true, ...input.persistence };

function credential(extra = {}) {
  return new ours.DeviceCodeCredential({
    authorityHost: input.url,
    authorityCa: ca,
    tenantId: input.tenant,
    tokenCachePersistenceOptions: persist,
    userPromptCallback: (info) => {
      const user = extra.user ?? input.user;
      completeDeviceCodeOverHttp(info.verificationUri, info.userCode, { ca, username: user.username, password: user.password }).catch(
        () => {},
      );
    },
    ...extra.options,
  });
}

/** A token's fingerprint: which token it is, without printing it. */
function hash(token) {
  return createHash("sha256").update(token).digest("hex").slice(0, 16);
}

function isJson(s) {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

function errorOf(e) {
  return {
    name: e?.name,
    code: e?.code,
    message: String(e?.message ?? e),
    cause: e?.cause ? { name: e.cause.name, code: e.cause.code, message: String(e.cause.message) } : undefined,
  };
}

/** @azure/identity's DeviceCodeCredential with identity-cache-persistence, on the same authority and cache. */
async function identityCredential({ authenticationRecord, ...options }) {
  const identity = await import("@azure/identity");
  const { cachePersistencePlugin } = await import("@azure/identity-cache-persistence");
  identity.useIdentityPlugin(cachePersistencePlugin);
  const cred = new identity.DeviceCodeCredential({
    authorityHost: input.url,
    tenantId: input.tenant,
    disableInstanceDiscovery: true,
    tokenCachePersistenceOptions: { enabled: true, ...input.persistence },
    ...(authenticationRecord ? { authenticationRecord: identity.deserializeAuthenticationRecord(authenticationRecord) } : {}),
    ...options,
  });
  return { identity, cred };
}

const actions = {
  async status() {
    const started = Date.now();
    return { ...(await persistence.persistenceStatus(input.persistence)), elapsedMs: Date.now() - started };
  },
  async signIn() {
    const cred = credential();
    const record = await cred.authenticate(input.scope, { enableCae: !!input.enableCae });
    const token = await cred.getToken(input.scope, { enableCae: !!input.enableCae }); // the sign-in's, from memory
    return { record: ours.serializeAuthenticationRecord(record), tokenHash: hash(token.token) };
  },
  /** Signs in, then gets tokens for `input.otherScopes` in the same process with no interaction allowed. */
  async signInThenOtherScopes() {
    const cred = credential({ options: { disableAutomaticAuthentication: true } });
    await cred.authenticate(input.scope);
    const tokens = [];
    for (const scope of input.otherScopes) tokens.push((await cred.getToken(scope)).token.slice(0, 12));
    return { tokens };
  },
  /** getToken with a record and no interaction allowed: silent or an error. */
  async silent() {
    const cred = credential({
      options: {
        authenticationRecord: ours.deserializeAuthenticationRecord(input.record),
        disableAutomaticAuthentication: true,
        ...input.credentialOptions,
      },
    });
    const token = await cred.getToken(input.scope, { enableCae: !!input.enableCae, tenantId: input.tenantId });
    const { tid } = JSON.parse(Buffer.from(token.token.split(".")[1], "base64url").toString());
    return { expiresOnTimestamp: token.expiresOnTimestamp, token: token.token.slice(0, 12), tokenHash: hash(token.token), tid };
  },
  /** Signs each given user in, then refreshes in a loop through fresh credentials; reports failures. */
  async bulk() {
    const records = [];
    for (const user of input.users) records.push(await credential({ user }).authenticate(input.scope));
    const failures = [];
    for (let i = records.length; i < input.operations; i++) {
      const record = records[i % records.length];
      const cred = credential({ options: { authenticationRecord: record, disableAutomaticAuthentication: true } });
      try {
        await cred.getToken(input.scope);
      } catch (e) {
        failures.push(errorOf(e));
      }
    }
    return { records: records.map((r) => ours.serializeAuthenticationRecord(r)), failures };
  },
  /**
   * Counts the cache loads (keytar reads of cache entries; the probe's own are left out) around:
   * getToken, the same again (memory), another scope (msal's cache in memory, a refresh and a
   * save), a new credential (its first load), and after another process wrote (a reload); and
   * every keyring call of the first getToken, the probe's included.
   */
  async loads() {
    const keytar = require("keytar");
    const reads = [];
    const calls = [];
    for (const name of ["getPassword", "setPassword", "deletePassword"]) {
      const real = keytar[name];
      keytar[name] = (service, account, ...rest) => {
        calls.push(`${name} ${account.startsWith("probe-") ? "probe" : account}`);
        if (name === "getPassword" && !account.startsWith("probe-")) reads.push(account);
        return real.call(keytar, service, account, ...rest);
      };
    }
    const record = ours.deserializeAuthenticationRecord(input.record);
    const options = { authenticationRecord: record, disableAutomaticAuthentication: true };
    const counts = {};
    const cred = credential({ options });
    await cred.getToken(input.scope);
    counts.first = reads.length;
    counts.firstCalls = [...calls];
    await cred.getToken(input.scope);
    counts.again = reads.length;
    await cred.getToken(input.otherScope);
    counts.otherScope = reads.length;
    await credential({ options }).getToken(input.scope);
    counts.newCredential = reads.length;
    const { execFileSync } = await import("node:child_process");
    execFileSync(
      process.execPath,
      [new URL(import.meta.url).pathname, JSON.stringify({ ...input, action: "signIn", user: input.otherUser })],
      { env: process.env },
    );
    await cred.getToken(input.thirdScope);
    counts.afterOtherProcess = reads.length;
    return { counts };
  },
  /** @azure/identity with @azure/identity-cache-persistence signs in (NODE_EXTRA_CA_CERTS trusts the authority). */
  async identitySignIn() {
    const { identity, cred } = await identityCredential({
      userPromptCallback: (info) => {
        completeDeviceCodeOverHttp(info.verificationUri, info.userCode, {
          ca,
          username: input.user.username,
          password: input.user.password,
        }).catch(() => {});
      },
    });
    const record = await cred.authenticate(input.scope);
    return { record: identity.serializeAuthenticationRecord(record) };
  },
  /** @azure/identity gets a token silently from its persisted cache, with a record. */
  async identitySilent() {
    const { cred } = await identityCredential({ disableAutomaticAuthentication: true, authenticationRecord: input.record });
    const token = await cred.getToken(input.scope);
    return { expiresOnTimestamp: token.expiresOnTimestamp };
  },
  /** Signs in, then the Secret Service dies (`input.killPid`): what getToken does next. */
  async storeDies() {
    const cred = credential();
    await cred.authenticate(input.scope);
    process.kill(input.killPid, "SIGKILL");
    await new Promise((r) => setTimeout(r, 300));
    const outcome = async (scope) =>
      cred.getToken(scope).then(
        () => ({ ok: true }),
        (e) => ({ ok: false, error: errorOf(e) }),
      );
    return { cached: await outcome(input.scope), refreshed: await outcome(input.otherScope) };
  },
  /** The secret-store entries of @azure/identity's service: account and length of each. */
  async entries() {
    const keytar = require("keytar");
    const found = await keytar.findCredentials(input.service ?? "Microsoft.Developer.IdentityService");
    return {
      entries: found
        .map((c) => ({ account: c.account, length: c.password.length, json: isJson(c.password) }))
        .sort((a, b) => a.account.localeCompare(b.account)),
    };
  },
  /** Writes an entry's value as is (e.g. a truncated cache). */
  async setEntry() {
    await require("keytar").setPassword(input.service ?? "Microsoft.Developer.IdentityService", input.account, input.value);
    return {};
  },
  async getEntry() {
    return { value: await require("keytar").getPassword(input.service ?? "Microsoft.Developer.IdentityService", input.account) };
  },
  /** Takes the lock with `input.lockOptions`, then releases it. */
  async tryLock() {
    const started = Date.now();
    const held = await acquireLock(input.lockFile, input.lockOptions);
    await held.release();
    return { waitedMs: Date.now() - started };
  },
  /** `input.times` locked read-increment-write rounds of a counter file. */
  async count() {
    const { readFile, writeFile } = await import("node:fs/promises");
    for (let i = 0; i < input.times; i++) {
      const held = await acquireLock(input.lockFile);
      try {
        const n = Number(await readFile(input.counter, "utf8").catch(() => "0"));
        await new Promise((r) => setImmediate(r)); // let the others run while we hold it
        await writeFile(input.counter, String(n + 1));
      } finally {
        await held.release();
      }
    }
    return {};
  },
  /** Takes the cache lock and keeps it until killed. */
  async holdLock() {
    await acquireLock(input.lockFile);
    process.stdout.write(`${JSON.stringify({ locked: true })}\n`);
    await new Promise(() => setInterval(() => {}, 1 << 30));
  },
};

/** Whether msal-node-extensions or keytar was loaded in this process (persistence loads them on first use only). */
function loadedStores() {
  return Object.keys(require.cache).some((file) => /[/\\](msal-node-extensions|keytar)[/\\]/.test(file));
}

/** Whether @azure/msal-node was loaded (a token read from the persisted cache needs none of it). */
function loadedMsal() {
  return Object.keys(require.cache).some((file) => /[/\\]@azure[/\\]msal-node[/\\]/.test(file));
}

/** Whether @azure/msal-node-runtime (msal-node-extensions' broker, never ours to use) was loaded. */
function loadedRuntime() {
  return Object.keys(require.cache).some((file) => /[/\\]msal-node-runtime[/\\]/.test(file));
}

process.on("unhandledRejection", (e) => {
  process.stdout.write(`${JSON.stringify({ unhandledRejection: errorOf(e) })}\n`);
  process.exit(3);
});
try {
  const result = await actions[input.action]();
  process.stdout.write(
    `${JSON.stringify({ ok: true, ...result, calls: globalThis.__persistenceCalls, loaded: loadedStores(), runtimeLoaded: loadedRuntime(), msalLoaded: loadedMsal() })}\n`,
  );
} catch (e) {
  process.stdout.write(`${JSON.stringify({ ok: false, error: errorOf(e), loaded: loadedStores() })}\n`);
}
// Give late rejections a chance to show before exiting.
setTimeout(() => process.exit(0), 50);
