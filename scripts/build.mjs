// Compiles src/ to CommonJS in dist/ and writes thin ESM entry points over it, so that ESM and
// CommonJS users share one copy of every class (no dual-package hazard for `instanceof`). Then the
// devtools workspace (devtools/src to devtools/dist, CommonJS only), which builds on entra-broker's.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
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
lazyReExports(path.join(dist, "index.js"));

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

/**
 * `require("entra-broker")` loads a credential's modules when the app first touches that export,
 * not every credential's at import: tsc's `var m_1 = require("./m")` re-exports become a require on
 * first access (the getters tsc writes stay, typings are untouched). src/index.ts holds re-exports
 * only; any other line in its output stops the build rather than ship a half-lazy index.
 */
function lazyReExports(file) {
  const modules = new Set();
  const lines = readFileSync(file, "utf8")
    .split("\n")
    .map((line) => {
      const load = /^var (\w+_1) = require\("(\.\/[^"]+)"\);$/.exec(line);
      if (load) {
        modules.add(load[1]);
        return `let ${load[1]}_loaded;\nconst ${load[1]} = () => (${load[1]}_loaded ??= require("${load[2]}"));`;
      }
      const get =
        /^(Object\.defineProperty\(exports, "\w+", \{ enumerable: true, get: function \(\) \{ return )(\w+_1)(\.\w+; \} \}\);)$/.exec(line);
      if (get && modules.has(get[2])) return `${get[1]}${get[2]}()${get[3]}`;
      if (
        /^("use strict";|Object\.defineProperty\(exports, "__esModule", \{ value: true \}\);|exports\.[\w.= ]+ = void 0;|\s*(\/\/.*|\/?\*.*)?)$/.test(
          line,
        )
      )
        return line;
      throw new Error(`build: dist/index.js has a line that is not a re-export, so it cannot be made lazy: ${line}`);
    });
  writeFileSync(file, lines.join("\n"));
}
