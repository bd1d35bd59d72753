// One dev authority and one PATH of stand-in tools (az, pwsh, azd) per test file; PATH is this
// process's, so the credentials find the stand-ins as they would find the real tools.
import { before, after, beforeEach } from "node:test";
import { DevAuthority, StandInTools } from "entra-broker-devtools";

export const SCOPE = "https://management.azure.com/.default";
export const world = {};

export function useStandInTools(tools) {
  const originalPath = process.env.PATH;
  before(async () => {
    world.authority = await DevAuthority.start();
    const user = world.authority.users[0];
    world.user = user;
    world.tenants = world.authority.tenants.map((t) => t.tenantId);
    world.tools = new StandInTools({
      authority: world.authority,
      username: user.username,
      password: user.password,
      tenantId: world.tenants[0],
      tools,
    });
    process.env.PATH = world.tools.pathWith();
  });
  beforeEach(() => world.tools.setMode("signed-in"));
  after(async () => {
    process.env.PATH = originalPath;
    world.tools.close();
    await world.authority.close();
  });
  return world;
}

/** The payload of a JWT, for the claims a test checks (tid, aud). */
export function claimsOf(token) {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));
}
