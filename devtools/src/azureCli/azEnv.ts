// The environment of an offline az: its own config dir, no telemetry, every HTTPS request through
// the discovery proxy except loopback, and trust in exactly the given CA bundle. Complete on its
// own (PATH included), so a child process needs nothing else from the parent.
export function offlineAzEnv(o: { configDir: string; caBundlePath: string; proxyUrl: string }): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: o.configDir,
    LANG: "C.UTF-8",
    // az 2.45 prints expiresOn in local time: the child must share the parent's time zone.
    ...(process.env.TZ ? { TZ: process.env.TZ } : {}),
    AZURE_CONFIG_DIR: o.configDir,
    AZURE_CORE_COLLECT_TELEMETRY: "false",
    AZURE_CORE_SURVEY_MESSAGE: "false",
    AZURE_EXTENSION_USE_DYNAMIC_INSTALL: "no",
    // Python's requests trusts only this bundle (SSL_CERT_FILE does not reach it).
    REQUESTS_CA_BUNDLE: o.caBundlePath,
    PYTHONUNBUFFERED: "1",
  };
  for (const name of ["HTTPS_PROXY", "HTTP_PROXY"]) env[name] = env[name.toLowerCase()] = o.proxyUrl;
  env.NO_PROXY = env.no_proxy = "127.0.0.1,localhost";
  return env;
}
