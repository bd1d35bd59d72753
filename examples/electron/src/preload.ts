// The renderer gets two calls and nothing else: entra-broker never runs outside the main process.
import { contextBridge, ipcRenderer } from "electron";
import type { EntraApi } from "./shared";

const api: EntraApi = {
  signIn: () => ipcRenderer.invoke("entra:sign-in"),
  whoAmI: () => ipcRenderer.invoke("entra:whoami"),
};
contextBridge.exposeInMainWorld("entra", api);
