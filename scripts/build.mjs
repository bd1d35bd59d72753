// Compiles src/ to CommonJS in dist/ and writes thin ESM entry points over it, so that ESM and
// CommonJS users share one copy of every class (no dual-package hazard for `instanceof`). Then the
// devtools workspace (devtools/src to devtools/dist, CommonJS only), which builds on entra-broker's.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "dist");
const require = createRequire(import.meta.url);

function compile(project, outDir) {
  rmSync(outDir, { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", project], { stdio: "inherit" });
}

compile(path.join(root, "tsconfig.json"), dist);

const entries = { index: "../index.js" };
mkdirSync(path.join(dist, "esm"), { recursive: true });
for (const [name, target] of Object.entries(entries)) {
  const names = Object.keys(require(path.join(dist, "esm", target))).filter((n) => n !== "default" && n !== "__esModule");
  // ESM apps set the log level on the ESM build of @azure/logger: log through that one.
  writeFileSync(
    path.join(dist, "esm", `${name}.mjs`),
    `import { createClientLogger } from "@azure/logger";\nimport logging from "../logging.js";\nimport cjs from "${target}";\n` +
      `logging.useLoggerFactory(createClientLogger);\nexport const { ${names.join(", ")} } = cjs;\n`,
  );
  writeFileSync(path.join(dist, "esm", `${name}.d.mts`), `export * from "${target}";\n`);
}

compile(path.join(root, "devtools", "tsconfig.json"), path.join(root, "devtools", "dist"));
