// Install footprint: entra-broker's tarball and what installing it adds to node_modules, beside
// @azure/identity + @azure/identity-broker (the pair it replaces) installed from the npm registry.
// Every install is into a fresh folder with scripts off; sizes are the bytes of the files.
// entra-broker is installed from its tarball with no network (test/package/packed.mjs); the other
// pair needs the registry (or the npm cache).
import { lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freshProject, npm, pack } from "../test/package/packed.mjs";

const IDENTITY = "4.13.1"; // the version this repository compares with elsewhere (devDependencies)

/** Bytes of the files under `dir` (symlinks not followed) and how many packages it holds. */
function footprint(dir) {
  let bytes = 0;
  let packages = 0;
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) walk(full);
      else {
        bytes += lstatSync(full).size;
        if (entry.name === "package.json" && path.basename(path.dirname(path.dirname(full))).match(/^(node_modules|@.+)$/)) packages++;
      }
    }
  };
  walk(dir);
  return { bytes, packages };
}

/** The largest packages under node_modules, by bytes. */
function largest(nodeModules, n = 4) {
  const sizes = [];
  for (const name of readdirSync(nodeModules)) {
    if (name.startsWith(".")) continue;
    const names = name.startsWith("@") ? readdirSync(path.join(nodeModules, name)).map((s) => `${name}/${s}`) : [name];
    for (const pkg of names) sizes.push([pkg, footprint(path.join(nodeModules, pkg)).bytes]);
  }
  return sizes.sort((a, b) => b[1] - a[1]).slice(0, n);
}

const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
const kb = (b) => `${(b / 1e3).toFixed(0)} kB`;
const top = (list) => list.map(([n, b]) => `${n} ${mb(b)}`).join(", ");

function installOurs(tarball, omitOptional) {
  const project = freshProject(tarball);
  npm(["ci", "--offline", "--ignore-scripts", ...(omitOptional ? ["--omit=optional"] : [])], { cwd: project });
  const nm = path.join(project, "node_modules");
  const result = { ...footprint(nm), largest: largest(nm) };
  rmSync(project, { recursive: true, force: true });
  return result;
}

function installTheirs() {
  const project = mkdtempSync(path.join(tmpdir(), "entra-footprint-identity-"));
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "footprint", private: true }));
  npm(
    ["install", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline", `@azure/identity@${IDENTITY}`, "@azure/identity-broker"],
    { cwd: project },
  );
  const nm = path.join(project, "node_modules");
  const versions = ["@azure/identity", "@azure/identity-broker"].map(
    (p) => `${p}@${JSON.parse(npm(["ls", p, "--json", "--depth=0"], { cwd: project })).dependencies[p].version}`,
  );
  const result = { ...footprint(nm), largest: largest(nm), versions };
  rmSync(project, { recursive: true, force: true });
  return result;
}

function packedSize(spec) {
  const [info] = JSON.parse(npm(["pack", spec, "--dry-run", "--json", "--prefer-offline"], { cwd: tmpdir() }));
  return { size: info.size, unpackedSize: info.unpackedSize };
}

const ours = pack();
const withOptional = installOurs(ours.tarball, false);
const withoutOptional = installOurs(ours.tarball, true);
rmSync(path.dirname(ours.tarball), { recursive: true, force: true });
const theirs = installTheirs();
const identityPacked = packedSize(theirs.versions[0]);
const brokerPacked = packedSize(theirs.versions[1]);

console.log("\n| install footprint (scripts off) | entra-broker | @azure/identity + @azure/identity-broker |");
console.log("|---|---|---|");
console.log(
  `| tarball (packed / unpacked) | ${kb(ours.size)} / ${kb(ours.unpackedSize)} | ${kb(identityPacked.size + brokerPacked.size)} / ${kb(identityPacked.unpackedSize + brokerPacked.unpackedSize)} |`,
);
console.log(
  `| node_modules, everything installed | ${mb(withOptional.bytes)}, ${withOptional.packages} packages | ${mb(theirs.bytes)}, ${theirs.packages} packages |`,
);
console.log(
  `| node_modules, --omit=optional | ${mb(withoutOptional.bytes)}, ${withoutOptional.packages} packages | (no optional dependencies to leave out) |`,
);
console.log(`| largest packages | ${top(withOptional.largest)} | ${top(theirs.largest)} |`);
console.log(
  `\n(${theirs.versions.join(" + ")}; entra-broker's optional dependency is @azure/msal-node-extensions, for the persistent cache)`,
);
