// The environment of a child that runs DefaultAzureCredential "off Azure": nothing of this machine's
// own Azure set-up reaches it, so only what the test or bench sets (az, an IMDS on loopback) counts.
import { MANAGED_IDENTITY_ENV_VARS } from "entra-broker-devtools";

/** Variables by which this machine could sign the chain in itself: a service principal, a user, a workload, a chosen chain. */
const MACHINE_SIGN_IN = /^AZURE_(CLIENT|TENANT|USERNAME|PASSWORD|FEDERATED|TOKEN_CREDENTIALS)/;

/** A copy of `base` without this machine's sign-in variables, managed identity endpoints and session bus (no OS broker, no keyring). */
export function offAzureEnv(base) {
  const env = { ...base };
  for (const name of Object.keys(env)) if (MACHINE_SIGN_IN.test(name) || MANAGED_IDENTITY_ENV_VARS.includes(name)) delete env[name];
  delete env.DBUS_SESSION_BUS_ADDRESS;
  return env;
}
