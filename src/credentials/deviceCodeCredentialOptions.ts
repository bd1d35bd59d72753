import type { DeviceCodePromptCallback } from "../tokens/flows/deviceCode";
import type { InteractiveCredentialOptions } from "./options";

export type { DeviceCodeInfo, DeviceCodePromptCallback } from "../tokens/flows/deviceCode";

/** Options of `DeviceCodeCredential`. */
export interface DeviceCodeCredentialOptions extends InteractiveCredentialOptions {
  /** Shows the code to the user; default prints `message` to the console. */
  userPromptCallback?: DeviceCodePromptCallback;
}
