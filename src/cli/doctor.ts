import { accessSync, constants } from "node:fs";
import * as path from "node:path";
import { probeBroker, type BrokerProbe } from "../broker/availability";
import { loadNativeBroker, WITHOUT_ADDON } from "../broker/native";
import { LINUX_REDIRECT_URI } from "../broker/linux";
import { macosRedirectUri } from "../broker/macos";
import { windowsRedirectUri } from "../broker/windows";
import { hasDisplay } from "../browser/openBrowser";
import { DEVELOPER_SIGN_ON_CLIENT_ID } from "../credentials/createTokenService";
import { checkClientId } from "../util/validation";
import { checkCacheName } from "../cache/persistence/locations";
import { CLI_CACHE_NAME } from "./accountOptions";
import { checkedArg, CliError, EXIT_CODES_HELP, parseCommandArgs, stringArg, type Command } from "./command";
import { EXIT } from "./exitCodes";
import { checkChainSources, formatChainSources } from "./doctorSources";
import { persistenceReport } from "./persistence";

const USAGE = `Usage: entra-broker doctor [--client-id ID] [--bundle-id ID] [--cache-name NAME] [--allow-unencrypted-cache] [--json]

Says what works on this machine and why not: the native addon, the OS broker, the token cache's
secret store and the browser opener, with what to install for each one missing, and the redirect
URIs to register on the app registration (client id ID; --bundle-id gives a signed macOS app's URI),
and each DefaultAzureCredential source (environment, managed identity, az, pwsh, azd, VS Code...):
whether it gives a token here and, if not, why and what to run.
Exits 0 when the addon, the broker and the secret store all work, 4 when one does not (sign-in
still works through the system browser then).

${EXIT_CODES_HELP}`;

interface Check {
  ok: boolean;
  /** The failure's stable code, when it has one (TROUBLESHOOTING.md). */
  code?: string;
  detail?: string;
  reason?: string;
  /** Where the addon was looked for. */
  looked?: string[];
  fix?: string;
}

const BUNDLE_ID = /^[A-Za-z0-9][A-Za-z0-9.-]{0,254}$/;

export const runDoctor: Command = async (argv) => {
  const args = parseCommandArgs(
    "doctor",
    argv,
    {
      "client-id": { type: "string" },
      "bundle-id": { type: "string" },
      "cache-name": { type: "string" },
      "allow-unencrypted-cache": { type: "boolean" },
      json: { type: "boolean" },
    },
    USAGE,
  );
  if (!args) return 0;
  const clientId = stringArg(args, "client-id") ?? DEVELOPER_SIGN_ON_CLIENT_ID;
  checkedArg("--client-id", () => checkClientId(clientId));
  const bundleId = stringArg(args, "bundle-id");
  if (bundleId !== undefined && !BUNDLE_ID.test(bundleId))
    throw new CliError(`--bundle-id: ${JSON.stringify(bundleId)} is not a bundle id such as com.contoso.app`, "CLI_INVALID_OPTION");
  const cacheName = stringArg(args, "cache-name") ?? CLI_CACHE_NAME;
  checkedArg("--cache-name", () => checkCacheName(cacheName));

  process.stderr.write("checking the addon, the broker and the secret store...\n");
  const addon = addonCheck();
  const probe = await probeBroker();
  const broker = brokerCheck(probe);
  const persistence = await persistenceCheck(cacheName, !!args["allow-unencrypted-cache"]);
  const browser = browserCheck();
  const defaultAzureCredential = await checkChainSources();
  const redirectUris = redirectUrisFor(clientId, bundleId);
  const ok = addon.ok && broker.ok && persistence.ok;
  const report = {
    ok,
    platform: process.platform,
    arch: process.arch,
    node: process.versions.node,
    clientId,
    addon,
    broker,
    persistence,
    browser,
    redirectUris,
    defaultAzureCredential,
  };

  if (args.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const lines = [`entra-broker doctor: ${process.platform}-${process.arch}, Node ${process.versions.node}`, ""];
    for (const [name, check] of Object.entries({ addon, broker, persistence, browser })) {
      lines.push(`${name.padEnd(12)} ${check.ok ? "ok     " : "MISSING"}  ${check.ok ? (check.detail ?? "") : (check.reason ?? "")}`);
      if (!check.ok && check.looked) lines.push(`${" ".repeat(22)}looked for: ${check.looked.join(", ")}`);
      if (!check.ok && check.fix) lines.push(`${" ".repeat(22)}fix: ${check.fix}`);
    }
    lines.push("", ...formatChainSources(defaultAzureCredential));
    lines.push("", `Redirect URIs to register for client id ${clientId} (platform "Mobile and desktop applications"):`);
    for (const r of redirectUris) lines.push(`  ${r.uri.padEnd(72)} ${r.for}`);
    if (clientId === DEVELOPER_SIGN_ON_CLIENT_ID)
      lines.push("  (the default client id is Microsoft's own app: these are already registered for it; register them on your own app)");
    lines.push(
      "",
      ok ? "Everything needed works here." : "Something is missing (see fix:); sign-in still works through the system browser.",
    );
    process.stdout.write(`${lines.join("\n")}\n`);
  }
  return ok ? EXIT.ok : EXIT.unavailable;
};

function addonCheck(): Check {
  const load = loadNativeBroker();
  if (load.addon) return { ok: true, detail: `${load.addon.backend} (${load.path})` };
  // The loader's own fixes fit the case (an installed package rebuilds with npm, a clone with its script).
  const solutions = (load.fix ?? []).filter((f) => f !== WITHOUT_ADDON);
  return {
    ok: false,
    code: "ADDON_NOT_LOADED",
    reason: load.reason,
    ...(load.looked ? { looked: load.looked } : {}),
    fix: ["reinstall entra-broker so that its prebuilt binary for this platform is present", ...solutions].join("; or "),
  };
}

function brokerCheck(probe: BrokerProbe): Check {
  if (probe.available) return { ok: true, detail: `${probe.kind}, version ${probe.version}` };
  return { ok: false, ...(probe.code ? { code: probe.code } : {}), reason: probe.reason, fix: brokerFix(probe) };
}

function brokerFix(probe: BrokerProbe): string {
  switch (process.platform) {
    case "linux":
      if (probe.code === "ADDON_NOT_LOADED") return "load the addon first (see addon)";
      if (probe.code === "LIBRARY_MISSING")
        return "install libdbus-1 (Debian/Ubuntu: apt install libdbus-1-3; Fedora/RHEL: dnf install dbus-libs)";
      if (probe.code === "BROKER_UNAVAILABLE" || probe.code === "NO_SESSION_BUS") {
        return "install the Microsoft Identity Broker (package microsoft-identity-broker from packages.microsoft.com, which Intune Company Portal (intune-portal) brings) and run in a desktop session with a D-Bus session bus (DBUS_SESSION_BUS_ADDRESS)";
      }
      return "the broker is installed but failing: restart it (systemctl --user restart microsoft-identity-broker) or reinstall it";
    case "win32":
      if (probe.code === "ADDON_NOT_LOADED") return "load the addon first (see addon)";
      return "WAM needs Windows 10 or later with the Web Account Manager (AAD Broker Plugin) in place: check `Get-AppxPackage Microsoft.AAD.BrokerPlugin` in PowerShell, and register the ms-appx-web redirect URI below";
    case "darwin":
      if (probe.code === "ADDON_NOT_LOADED") return "load the addon first (see addon)";
      return "the macOS broker is the Enterprise SSO extension: use it from Electron's main process (plain Node runs no Cocoa run loop) on a Mac with Intune Company Portal and an SSO extension profile from your MDM, and register the msauth redirect URI below";
    default:
      return "no OS broker exists on this platform; the browser flow is used";
  }
}

async function persistenceCheck(
  name: string,
  allowUnencrypted: boolean,
): Promise<Check & { backend: string | null; encrypted: boolean; location?: string }> {
  const report = await persistenceReport(name, allowUnencrypted);
  const detail = `${report.backend}${report.encrypted ? " (encrypted)" : " (NOT encrypted)"}${report.location ? ` at ${report.location}` : ""}`;
  return {
    ok: report.available,
    backend: report.backend,
    encrypted: report.encrypted,
    location: report.location,
    ...(report.available ? { detail } : { reason: report.reason, fix: report.fix ?? persistenceFix() }),
  };
}

function persistenceFix(): string {
  if (process.platform === "linux")
    return "install and unlock a Secret Service keyring (Debian/Ubuntu: apt install gnome-keyring libsecret-1-0), or pass --allow-unencrypted-cache";
  if (process.platform === "darwin") return "allow access to the login Keychain (it must be unlocked), or pass --allow-unencrypted-cache";
  if (process.platform === "win32") return "DPAPI needs a user profile: run as a signed-in user, or pass --allow-unencrypted-cache";
  return "no encrypted store exists on this platform: pass --allow-unencrypted-cache to keep the cache in a 0600 file";
}

/** The browser fallback's opener: xdg-open on Linux with a display; open / the URL handler elsewhere. */
function browserCheck(): Check {
  if (process.platform !== "linux")
    return { ok: true, detail: process.platform === "darwin" ? "open" : process.platform === "win32" ? "url.dll" : "system" };
  const opener = onPath("xdg-open");
  if (!opener)
    return {
      ok: false,
      reason: "xdg-open is not installed, so the browser cannot be opened",
      fix: "apt install xdg-utils (or use token --device-code)",
    };
  if (!hasDisplay()) {
    return {
      ok: false,
      reason: "no display (DISPLAY / WAYLAND_DISPLAY unset): the sign-in URL is printed for you to open",
      fix: "run in a desktop session, or use token --device-code",
    };
  }
  return { ok: true, detail: opener };
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, command);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** What an app registration needs for each way of signing in (SPEC section 3). */
function redirectUrisFor(clientId: string, bundleId: string | undefined): Array<{ uri: string; for: string }> {
  return [
    { uri: windowsRedirectUri(clientId), for: "broker on Windows (WAM)" },
    {
      uri: macosRedirectUri(bundleId),
      for: bundleId ? "broker on macOS (signed app)" : "broker on macOS (unsigned apps; signed: msauth.<bundle id>://auth)",
    },
    { uri: LINUX_REDIRECT_URI, for: "broker on Linux" },
    { uri: "http://localhost", for: "system browser (any port)" },
  ];
}
