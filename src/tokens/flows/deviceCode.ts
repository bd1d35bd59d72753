import type { AuthenticationResult } from "@azure/msal-node";
import { AbortError } from "../../errors";
import { publicClient } from "../apps";
import type { FlowRequest } from "./types";

/** What the user needs to complete a device code sign-in on another device. */
export interface DeviceCodeInfo {
  /** The code to enter on the verification page. */
  userCode: string;
  /** The page to open, e.g. `https://microsoft.com/devicelogin`. */
  verificationUri: string;
  /** The authority's instruction, naming both. */
  message: string;
  /** When the code stops working (the authority's `expires_in` from now): the sign-in ends then. */
  expiresOn: Date;
}

/** Shows the device code to the user. */
export type DeviceCodePromptCallback = (info: DeviceCodeInfo) => void;

/** What msal hands the device code callback (its DeviceCodeResponse, in part). */
interface MsalDeviceCode {
  userCode: string;
  verificationUri: string;
  message: string;
  expiresIn: number;
}

/**
 * The device code flow; an abort stops msal's polling and answers at once. The wait lasts
 * `timeoutMs` when given, never longer than the code's own validity (`expires_in`), which is the
 * default: msal stops at whichever comes first.
 */
export async function acquireWithDeviceCode(
  request: FlowRequest,
  prompt: DeviceCodePromptCallback,
  timeoutMs?: number,
): Promise<AuthenticationResult> {
  const { scopes, authority, claims, signal } = request;
  if (signal.aborted) throw new AbortError();
  const app = publicClient(request.app, "device code flow");
  const deviceCodeRequest = {
    scopes,
    authority,
    claims,
    cancel: false,
    timeout: timeoutMs === undefined ? undefined : Math.ceil(timeoutMs / 1000),
    deviceCodeCallback: (r: MsalDeviceCode) =>
      prompt({
        userCode: r.userCode,
        verificationUri: r.verificationUri,
        message: r.message,
        expiresOn: new Date(Date.now() + r.expiresIn * 1000),
      }),
  };
  let onAbort: () => void = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      deviceCodeRequest.cancel = true;
      reject(new AbortError("The device code sign-in was aborted."));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
  const polling = app.acquireTokenByDeviceCode(deviceCodeRequest);
  polling.catch(() => {}); // an abort answers first; msal's own cancellation error is expected
  try {
    const result = await Promise.race([polling, aborted]);
    if (!result) throw new Error("The device code flow returned no result.");
    return result;
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}
