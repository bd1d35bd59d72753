import { DevAuthority } from "../devAuthority/index";
import { parseCommandArgs, UsageError, type Command } from "./args";

const USAGE = `Usage: entra-broker-devtools dev-authority [--port N] [--json]

Starts the offline Entra ID emulator on https://127.0.0.1 until interrupted. Prints its URL and the
path of its certificate authority (give both to a credential: authorityHost and authorityCa, or
NODE_EXTRA_CA_CERTS for other clients; on the entra-broker CLI: --authority-host URL --authority-ca PATH), then
the tenants and the users you can sign in as. --json prints all of it as one JSON line.`;

export const runDevAuthority: Command = async (argv) => {
  const args = parseCommandArgs("dev-authority", argv, { port: { type: "string" }, json: { type: "boolean" } }, USAGE);
  if (!args) return 0;
  const portText = args.port as string | undefined;
  const port = portText === undefined ? 0 : Number(portText);
  if (portText !== undefined && (!/^\d+$/.test(portText) || port > 65535)) {
    throw new UsageError(`--port: ${JSON.stringify(portText)} is not a port number (0-65535; 0 picks a free one)`);
  }
  const authority = await DevAuthority.start({ port });
  const users = authority.users.map((u) => ({ username: u.username, password: u.password }));
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ url: authority.url, caPath: authority.caPath, tenants: authority.tenants, users })}\n`);
  } else {
    process.stdout.write(`url: ${authority.url}\nca: ${authority.caPath}\n`);
    for (const t of authority.tenants) process.stdout.write(`tenant: ${t.tenantId} (${t.domain})\n`);
    for (const u of users) process.stdout.write(`user: ${u.username} / ${u.password}\n`);
  }
  process.stderr.write("dev authority running; Ctrl+C to stop.\n");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await authority.close();
  return 0;
};
