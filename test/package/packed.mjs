// The package as users get it: `npm pack` of this repository, and a fresh project that installs the
// tarball with no network. The tarball's dependencies come from the npm cache that setup's `npm ci`
// filled: the fresh project gets a lockfile whose entries are copied from this repository's lockfile
// (same versions, same integrity hashes), so `npm ci --offline` finds every tarball in the cache by
// its hash and nothing is fetched.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const npmCli = path.join(path.dirname(realpathSync(process.execPath)), "..", "lib", "node_modules", "npm", "bin", "npm-cli.js");

/** Runs npm with this Node; returns its stdout (`all`: stdout and stderr); throws with both when it fails. */
export function npm(args, { cwd, env = process.env, all = false } = {}) {
  const result = spawnSync(process.execPath, [npmCli, ...args], { cwd, env, encoding: "utf8", maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`npm ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return all ? `${result.stdout}\n${result.stderr}` : result.stdout;
}

/** The devtools workspace (entra-broker-devtools), packed and published beside the main package. */
export const devtoolsRoot = path.join(root, "devtools");

/** `npm pack` of the package at `packageRoot` into a fresh folder; returns the tarball's path and the file list npm reports. */
export function pack(dir = mkdtempSync(path.join(tmpdir(), "entra-pack-")), packageRoot = root) {
  const [info] = JSON.parse(npm(["pack", "--json", "--pack-destination", dir], { cwd: packageRoot }));
  return { tarball: path.join(dir, info.filename), files: info.files.map((f) => f.path), size: info.size, unpackedSize: info.unpackedSize };
}

/** The paths in a tarball, without the leading `package/`. */
export function tarballEntries(tarball) {
  return execFileSync("tar", ["tzf", tarball], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean)
    .map((p) => p.replace(/^package\//, ""));
}

function parentOf(lockPath) {
  const i = lockPath.lastIndexOf("node_modules/");
  return i <= 0 ? "" : lockPath.slice(0, i - 1);
}

/** Where npm finds `name` from the package at `from` in this lockfile's tree (node's lookup order). */
function resolveIn(packages, from, name) {
  for (let base = from; ; base = parentOf(base)) {
    const candidate = `${base ? `${base}/` : ""}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
  }
}

function tarballUrl(name, version) {
  return `https://registry.npmjs.org/${name}/-/${name.split("/").pop()}-${version}.tgz`;
}

/** The lockfile entries the package needs at run time, copied from this repository's lockfile. */
function dependencyClosure(repoLock, pkg) {
  const packages = repoLock.packages;
  const out = {};
  const required = new Set();
  const queue = [];
  const visit = (from, deps, optional, skip = new Set()) => {
    for (const name of Object.keys(deps ?? {})) {
      if (skip.has(name)) continue;
      const at = resolveIn(packages, from, name);
      if (!at) {
        if (optional) continue;
        throw new Error(`${name} (needed by ${from || pkg.name}) is not in package-lock.json`);
      }
      if (!optional) required.add(at);
      if (!(at in out)) {
        out[at] = packages[at];
        queue.push(at);
      } else if (!optional && !required.has(at)) queue.push(at);
    }
  };
  visit("", pkg.dependencies, false);
  visit("", pkg.optionalDependencies, true);
  while (queue.length > 0) {
    const at = queue.shift();
    const e = packages[at];
    const isRequired = required.has(at);
    const optionalPeers = new Set(
      Object.entries(e.peerDependenciesMeta ?? {})
        .filter(([, m]) => m.optional)
        .map(([n]) => n),
    );
    visit(at, e.dependencies, !isRequired);
    visit(at, e.peerDependencies, !isRequired, optionalPeers);
    visit(at, e.optionalDependencies, true);
  }
  const entries = {};
  for (const [at, e] of Object.entries(out)) {
    const { dev, devOptional, optional, peer, ...rest } = e;
    const name = at.slice(at.lastIndexOf("node_modules/") + "node_modules/".length);
    entries[at] = { ...rest, resolved: rest.resolved ?? tarballUrl(name, rest.version), ...(required.has(at) ? {} : { optional: true }) };
  }
  return entries;
}

/** The lockfile entry of a package installed from its tarball at `file` (relative to the project). */
function tarballEntry(pkg, file, tarball) {
  return {
    version: pkg.version,
    resolved: file,
    integrity: `sha512-${createHash("sha512").update(readFileSync(tarball)).digest("base64")}`,
    ...(pkg.scripts?.install ? { hasInstallScript: true } : {}),
    license: pkg.license,
    dependencies: pkg.dependencies,
    optionalDependencies: pkg.optionalDependencies,
    peerDependencies: pkg.peerDependencies,
    peerDependenciesMeta: pkg.peerDependenciesMeta,
    bin: pkg.bin,
    engines: pkg.engines,
  };
}

/**
 * A new project folder that depends on the tarball (and on `devtools`, entra-broker-devtools'
 * tarball, when given), with a complete lockfile, ready for `npm ci --offline`. Returns its path.
 */
export function freshProject(tarball, { devtools } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "entra-fresh-"));
  const repoLock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8"));
  const installs = [{ pkgRoot: root, tarball }, ...(devtools ? [{ pkgRoot: devtoolsRoot, tarball: devtools }] : [])];
  const app = { name: "fresh-app", version: "1.0.0", private: true, dependencies: {} };
  const packages = {};
  for (const { pkgRoot, tarball: t } of installs) {
    const pkg = JSON.parse(readFileSync(path.join(pkgRoot, "package.json"), "utf8"));
    const file = `file:${path.relative(dir, t)}`;
    app.dependencies[pkg.name] = file;
    // A package one tarball needs and the other has only optionally stays required.
    for (const [at, entry] of Object.entries(dependencyClosure(repoLock, pkg))) {
      packages[at] = packages[at] && !packages[at].optional ? packages[at] : entry;
    }
    packages[`node_modules/${pkg.name}`] = tarballEntry(pkg, file, t);
  }
  const lock = {
    name: app.name,
    version: app.version,
    lockfileVersion: 3,
    requires: true,
    packages: { "": { name: app.name, version: app.version, dependencies: app.dependencies }, ...packages },
  };
  writeFileSync(path.join(dir, "package.json"), JSON.stringify(app, null, 2));
  writeFileSync(path.join(dir, "package-lock.json"), JSON.stringify(lock, null, 2));
  writeFileSync(path.join(dir, ".npmrc"), "fund=false\naudit=false\nupdate-notifier=false\n");
  return dir;
}

/**
 * A folder holding only `node`, `npm` and `sh` (npm runs scripts with it): a PATH on which no
 * compiler, make or python is reachable.
 */
export function nodeOnlyPath() {
  const bin = mkdtempSync(path.join(tmpdir(), "entra-node-only-"));
  symlinkSync(realpathSync(process.execPath), path.join(bin, "node"));
  symlinkSync(realpathSync("/bin/sh"), path.join(bin, "sh"));
  const npmBin = path.join(bin, "npm");
  writeFileSync(npmBin, `#!/bin/sh\nexec "${path.join(bin, "node")}" "${npmCli}" "$@"\n`, { mode: 0o755 });
  return bin;
}

/** Is `command` found on `PATH` (as `sh -c 'command -v'` would)? */
export function onPath(command, PATH) {
  return spawnSync("/bin/sh", ["-c", `command -v ${command}`], { env: { PATH }, encoding: "utf8" }).status === 0;
}

/** Runs a script with the installed package in `project`; returns its JSON output. */
export function runIn(project, script, env = {}) {
  const out = execFileSync(process.execPath, ["-e", script], { cwd: project, encoding: "utf8", env: { ...process.env, ...env } });
  return JSON.parse(out.trim().split("\n").pop());
}

export function mkdirp(p) {
  mkdirSync(p, { recursive: true });
  return p;
}
