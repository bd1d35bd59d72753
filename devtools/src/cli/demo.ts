// entra-broker's public API only, as an app would use it.
import { brokerStatus, InteractiveBrowserBrokerCredential, type OpenBrowser } from "entra-broker";
import { headlessChromiumAvailable, launchChromium, signInWithChromium } from "../chromium/headlessChromium";
import { DevAuthority } from "../devAuthority/index";
import { startPrivateBus, type PrivateBus } from "../standInBroker/privateBus";
import { StandInBroker } from "../standInBroker/service";
import { parseCommandArgs, type Command } from "./args";

const USAGE = `Usage: entra-broker-devtools demo [--interactive] [--stand-in-broker]

Starts the offline dev authority, signs a user in, prints the account, the token's expiry and
claims (never the token itself), then shows a second getToken served from memory. The sign-in goes
through the OS broker when there is one, else the browser: on a machine without a display the
sign-in page is driven by headless Chromium when it is installed; --interactive always waits for
you to sign in by hand.

  --stand-in-broker   start a private D-Bus bus (dbus-daemon) with the stand-in Linux identity
                      broker on it, signing in against the same dev authority, and sign in
                      through it (Linux)`;

const SCOPE = "https://graph.microsoft.com/.default";

export const runDemo: Command = async (argv) => {
  const args = parseCommandArgs("demo", argv, { interactive: { type: "boolean" }, "stand-in-broker": { type: "boolean" } }, USAGE);
  if (!args) return 0;
  const authority = await DevAuthority.start();
  const user = authority.users[0];
  let bus: PrivateBus | undefined;
  let broker: StandInBroker | undefined;
  try {
    process.stderr.write(`dev authority: ${authority.url}\n`);
    if (args["stand-in-broker"]) {
      bus = await startPrivateBus();
      broker = await StandInBroker.start({ busAddress: bus.address, authority: { url: authority.url, ca: authority.ca }, user });
      process.env.DBUS_SESSION_BUS_ADDRESS = bus.address; // before the first broker call: the addon reads it then
      process.stderr.write(`stand-in broker on a private bus: ${bus.address}\n`);
    }
    const credential = new InteractiveBrowserBrokerCredential({
      authorityHost: authority.url,
      authorityCa: authority.ca,
      tenantId: authority.tenants[0].tenantId,
      openBrowser: chooseBrowser(!!args.interactive, user, authority.ca),
    });
    const started = performance.now();
    const record = await credential.authenticate(SCOPE);
    const status = brokerStatus();
    const via = status.available ? `the ${status.broker} broker` : `the browser (no broker: ${status.reason?.split("\n")[0]})`;
    process.stderr.write(`signed in through ${via} (${Math.round(performance.now() - started)} ms)\n`);
    const token = await credential.getToken(SCOPE);
    // Measured, not assumed: the same token, and neither the authority nor the broker was asked.
    const requests = () =>
      Object.values(authority.counters).reduce<number>((n, v) => n + (typeof v === "number" ? v : 0), 0) + (broker?.calls.length ?? 0);
    const before = requests();
    const t0 = performance.now();
    const second = await credential.getToken(SCOPE);
    const cachedMicros = (performance.now() - t0) * 1000;
    const servedFrom = second.token === token.token && requests() === before ? "memory" : "a new request";
    const claims = JSON.parse(Buffer.from(token.token.split(".")[1], "base64url").toString("utf8")) as Record<string, unknown>;
    const shown = Object.fromEntries(
      ["aud", "scp", "tid", "oid", "preferred_username", "name", "iat", "exp"].filter((k) => k in claims).map((k) => [k, claims[k]]),
    );
    process.stdout.write(
      `${JSON.stringify(
        {
          account: {
            username: record.username,
            homeAccountId: record.homeAccountId,
            tenantId: record.tenantId,
            authority: record.authority,
          },
          token: { tokenType: token.tokenType, expiresOn: new Date(token.expiresOnTimestamp).toISOString(), claims: shown },
          secondGetToken: { servedFrom, microseconds: Math.round(cachedMicros * 10) / 10 },
        },
        null,
        2,
      )}\n`,
    );
    return 0;
  } finally {
    await broker?.stop();
    await bus?.stop();
    await authority.close();
  }
};

/** The system browser (the credential's default) where there is a display; headless Chromium, or instructions, where not. */
function chooseBrowser(interactive: boolean, user: { username: string; password: string }, ca: string): OpenBrowser | undefined {
  const hasDisplay = process.platform !== "linux" || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY;
  if (!interactive && !hasDisplay && headlessChromiumAvailable()) {
    return async (url) => {
      process.stderr.write("no display: signing in with headless Chromium as " + user.username + "\n");
      const browser = await launchChromium({ ca });
      try {
        await signInWithChromium(browser, url, user);
      } finally {
        await browser.close();
      }
    };
  }
  if (hasDisplay) return undefined;
  return (url) => {
    process.stderr.write(
      `No display and no headless Chromium here. Open this URL in a browser on this machine to finish\n(user ${user.username}, password ${user.password}):\n\n${url}\n\n`,
    );
    return Promise.resolve();
  };
}
