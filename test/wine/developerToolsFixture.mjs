// What the developer-tool tests under Wine share: the stand-in launcher (devtools/stand-in-tools/
// launcher.c) cross-built with mingw-w64, and stand-in tools in their Windows shape, signed in to a
// dev authority on the host's loopback (Windows Node under Wine reaches it there).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { StandInTools } from "entra-broker-devtools";
import { root, winPath } from "./wine.mjs";

const launcherSource = path.join(root, "devtools", "stand-in-tools", "launcher.c");

/** Builds the launcher to `output` (each test file its own copy, as the stand-in WAM is built). */
export function buildLauncher(output) {
  const cc = process.env.MINGW_CC || "x86_64-w64-mingw32-gcc";
  const result = spawnSync(cc, ["-Os", "-s", "-Wall", "-Wextra", "-Werror", "-DUNICODE", "-D_UNICODE", launcherSource, "-o", output], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (result.error || result.status !== 0)
    throw new Error(
      `building the stand-in launcher failed: ${result.error?.code === "ENOENT" ? `${cc} is not installed (apt install gcc-mingw-w64-x86-64)` : `exit ${result.status}`}`,
    );
  return output;
}

/** Stand-in tools as Windows finds them; `caPath` is handed to them as a Windows path. */
export function windowsTools(authority, launcher, { tools, folder, batch } = {}) {
  const user = authority.users[0];
  return new StandInTools({
    authority: { url: authority.url, caPath: winPath(authority.caPath) },
    username: user.username,
    password: user.password,
    tenantId: authority.tenants[0].tenantId,
    tools,
    folder,
    windows: { launcher, batch },
  });
}
