// Shared by the real-az tests: whether az is installed (skip only then, and never in CI, which runs
// scripts/setup.sh), and the person who approves a device code.
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { completeDeviceCodeOverHttp } from "../helpers/devAuthorityBrowser.mjs";

/** The Azure CLI's own public client id (az signs users in with it). */
export const AZ_CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
export const MANAGEMENT = "https://management.core.windows.net/";
export const ADA = { username: "ada@contoso.example", password: "ada-password" };

function onPath(name) {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    try {
      accessSync(path.join(dir, name), constants.X_OK);
      return path.join(dir, name);
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** `{ skip }` for node:test: a reason when az is missing outside CI; in CI a missing az fails the test. */
export function azTestOptions() {
  if (onPath("az") || process.env.CI) return {};
  return { skip: "the Azure CLI (az) is not installed: run scripts/setup.sh (apt-get install azure-cli) to run these tests" };
}

/** Approves a device code on the dev authority's page as `user`, by HTTP form posts. */
export function approveAs(authority, user = ADA) {
  return (verificationUri, userCode) => completeDeviceCodeOverHttp(verificationUri, userCode, { ca: authority.ca, ...user });
}
