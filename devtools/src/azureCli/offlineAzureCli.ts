// The real Azure CLI, signed in offline against a dev authority: its own config dir, a cloud that
// points at the authority and the resource-manager stand-in, the discovery proxy, and a CA bundle.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { makeCertificates } from "../devAuthority/certs";
import { offlineAzEnv } from "./azEnv";
import { ArmStandIn, MANAGEMENT_RESOURCE, type ArmDirectory } from "./armStandIn";
import { DISCOVERY_HOST, DiscoveryProxy } from "./discoveryProxy";
import { AzCommandError, runAz, type AzRun } from "./runAz";

export interface OfflineAzureCliOptions {
  /** The dev authority az signs in to (a `DevAuthority`). */
  authority: ArmDirectory;
  /** The az executable; default `az` from PATH. */
  azPath?: string;
  /** Time limit of each az command; default 60 s. */
  timeoutMs?: number;
  /** Name of the cloud registered in az; default `EntraBrokerDev`. */
  cloudName?: string;
}

/** One timed step (the az command it ran, secrets masked). */
export interface AzStep {
  step: string;
  ms: number;
  /** False when az failed, timed out or was stopped. */
  ok: boolean;
}

/** An account as `az login` / `az account list` print it. */
export interface AzAccount {
  id: string;
  tenantId: string;
  name: string;
  isDefault: boolean;
  user: { name: string; type: "user" | "servicePrincipal" };
  [key: string]: unknown;
}

/** `az account get-access-token --output json` (az 2.45: no `expires_on`). */
export interface AzAccessToken {
  accessToken: string;
  expiresOn: string;
  expires_on?: number;
  tenant: string;
  subscription?: string;
  tokenType: string;
}

/** Shows the device-code page a code: the test's "person" (e.g. an HTTP form driver or Chromium). */
export type ApproveDeviceCode = (verificationUri: string, userCode: string) => Promise<unknown>;

const DEVICE_MESSAGE = /open the page (https:\/\/\S+) and enter the code (\S+) to authenticate/;

export class OfflineAzureCli {
  /** Timed steps so far, in order. */
  readonly steps: AzStep[] = [];
  private closed?: Promise<void>;

  private constructor(
    /** `AZURE_CONFIG_DIR`: every file az writes; removed by `close()`. */
    readonly configDir: string,
    /** The PEM bundle az trusts (`REQUESTS_CA_BUNDLE`): the authority's CA and the stand-ins' CA. */
    readonly caBundlePath: string,
    readonly proxy: DiscoveryProxy,
    readonly arm: ArmStandIn,
    /** The environment a child process needs to run this az (complete on its own, PATH included). */
    readonly env: Record<string, string>,
    private readonly azPath: string,
    private readonly timeoutMs: number,
  ) {}

  /** Makes the config dir, starts the proxy and the stand-in, and registers and selects the cloud. */
  static async start(options: OfflineAzureCliOptions): Promise<OfflineAzureCli> {
    const { authority } = options;
    const configDir = mkdtempSync(path.join(tmpdir(), "entra-az-"));
    const proxies: { close(): Promise<void> }[] = [];
    try {
      const certs = await makeCertificates([DISCOVERY_HOST]);
      const tls = { keyPem: certs.keyPem, certPem: certs.certPem + certs.caPem };
      const caBundlePath = path.join(configDir, "ca-bundle.pem");
      writeFileSync(caBundlePath, authority.ca + certs.caPem, { mode: 0o644 });
      const proxy = await DiscoveryProxy.start(authority.url, tls);
      proxies.push(proxy);
      const arm = await ArmStandIn.start(authority, tls);
      proxies.push(arm);
      const env = offlineAzEnv({ configDir, caBundlePath, proxyUrl: proxy.url });
      const cli = new OfflineAzureCli(configDir, caBundlePath, proxy, arm, env, options.azPath ?? "az", options.timeoutMs ?? 60000);
      const cloud = options.cloudName ?? "EntraBrokerDev";
      await cli.run([
        "cloud",
        "register",
        "--name",
        cloud,
        "--endpoint-active-directory",
        authority.url,
        "--endpoint-active-directory-resource-id",
        MANAGEMENT_RESOURCE,
        "--endpoint-active-directory-graph-resource-id",
        "https://graph.windows.net/",
        "--endpoint-resource-manager",
        arm.url,
        "--endpoint-management",
        MANAGEMENT_RESOURCE,
      ]);
      await cli.run(["cloud", "set", "--name", cloud]);
      return cli;
    } catch (e) {
      await Promise.all(proxies.map((p) => p.close()));
      rmSync(configDir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Runs az with this environment (no shell, cwd = the config dir, time limit), timing it as a step. */
  async run(
    args: string[],
    extra: { secrets?: string[]; onStderr?: (chunk: string) => void; timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<AzRun> {
    const step = `az ${args.slice(0, 2).join(" ")}`;
    const started = performance.now();
    try {
      const r = await runAz(this.azPath, args, {
        env: this.env,
        cwd: this.configDir,
        timeoutMs: extra.timeoutMs ?? this.timeoutMs,
        secrets: extra.secrets,
        onStderr: extra.onStderr,
        signal: extra.signal,
      });
      this.steps.push({ step, ms: Math.round(r.ms), ok: true });
      return r;
    } catch (e) {
      this.steps.push({ step, ms: Math.round(performance.now() - started), ok: false });
      throw e;
    }
  }

  /** `az login --service-principal` (client_credentials with the secret) in `tenantId`. */
  async loginServicePrincipal(o: { clientId: string; clientSecret: string; tenantId: string }): Promise<AzAccount[]> {
    const r = await this.run(
      ["login", "--service-principal", "-u", o.clientId, "-p", o.clientSecret, "--tenant", o.tenantId, "--output", "json"],
      { secrets: [o.clientSecret] },
    );
    return parseJson<AzAccount[]>(r.stdout, "az login --service-principal");
  }

  /**
   * `az login --use-device-code [--tenant T]`: reads the code az prints and hands it to `approve`
   * (which signs in on the dev authority's device-code page), then waits for az to finish.
   */
  async loginDeviceCode(o: { approve: ApproveDeviceCode; tenantId?: string }): Promise<AzAccount[]> {
    let seen = "";
    let approval: Promise<void> | undefined;
    let refused: { error: unknown } | undefined;
    // A failed approval ends az at once instead of leaving it polling until its time limit.
    const stop = new AbortController();
    const args = ["login", "--use-device-code", "--output", "json", ...(o.tenantId ? ["--tenant", o.tenantId] : [])];
    const run = this.run(args, {
      signal: stop.signal,
      onStderr: (chunk) => {
        seen += chunk;
        const m = approval ? undefined : DEVICE_MESSAGE.exec(seen);
        if (!m) return;
        approval = Promise.resolve()
          .then(() => o.approve(m[1], m[2]))
          .then(
            () => undefined,
            (error: unknown) => {
              refused = { error };
              stop.abort();
            },
          );
      },
    });
    const r = await run.catch(async (e: unknown) => {
      await approval;
      throw refused ? new Error("approving the device code failed", { cause: refused.error }) : e;
    });
    if (!approval) throw new AzCommandError("az login --use-device-code printed no device code", "az login", 0, seen, false);
    await approval;
    if (refused) throw new Error("approving the device code failed", { cause: refused.error });
    return parseJson<AzAccount[]>(r.stdout, "az login --use-device-code");
  }

  /** `az account get-access-token --output json --resource R [--tenant T]`. */
  async getAccessToken(o: { resource: string; tenantId?: string }): Promise<AzAccessToken> {
    const args = [
      "account",
      "get-access-token",
      "--output",
      "json",
      "--resource",
      o.resource,
      ...(o.tenantId ? ["--tenant", o.tenantId] : []),
    ];
    return parseJson<AzAccessToken>((await this.run(args)).stdout, "az account get-access-token");
  }

  /** Stops the proxy and the stand-in and removes the config dir (tokens and secrets included). Idempotent. */
  close(): Promise<void> {
    this.closed ??= Promise.all([this.proxy.close(), this.arm.close()]).then(() =>
      rmSync(this.configDir, { recursive: true, force: true }),
    );
    return this.closed;
  }
}

function parseJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`${what} printed no JSON: ${text.slice(0, 200)}`);
  }
}

/** Options of {@link signInAzureCli}: the az set-up, then one login. */
export type SignInAzureCliOptions = OfflineAzureCliOptions &
  (
    | { servicePrincipal: { clientId: string; clientSecret: string; tenantId: string }; deviceCode?: undefined }
    | { deviceCode: { approve: ApproveDeviceCode; tenantId?: string }; servicePrincipal?: undefined }
  );

/** Starts an {@link OfflineAzureCli} and signs it in; close it when done. */
export async function signInAzureCli(options: SignInAzureCliOptions): Promise<OfflineAzureCli> {
  const cli = await OfflineAzureCli.start(options);
  try {
    if (options.servicePrincipal) await cli.loginServicePrincipal(options.servicePrincipal);
    else await cli.loginDeviceCode(options.deviceCode);
    return cli;
  } catch (e) {
    await cli.close();
    throw e;
  }
}
