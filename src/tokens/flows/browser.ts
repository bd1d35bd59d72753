import type { AuthenticationResult } from "@azure/msal-node";
import type { LoopbackServerOptions } from "../../browser/loopbackServer";
import type { OpenBrowser } from "../../browser/openBrowser";
import { AbortError, CredentialUnavailableError } from "../../errors";
import type { FlowRequest } from "./types";

export interface BrowserFlowOptions extends LoopbackServerOptions {
  openBrowser: OpenBrowser;
  prompt?: string;
}

/**
 * Authorization code with PKCE (S256) through the system browser and our loopback server:
 * we make the verifier and the state, so a forged callback is refused and the wait goes on.
 */
export async function acquireWithBrowser(request: FlowRequest, options: BrowserFlowOptions): Promise<AuthenticationResult> {
  const { app, scopes, authority, claims, signal } = request;
  if (signal.aborted) throw new AbortError();
  // Loaded when a browser sign-in starts: importing the package needs neither HTTP server nor crypto.
  const [{ createHash, randomBytes }, { LoopbackRedirectServer }] = await Promise.all([
    import("node:crypto"),
    import("../../browser/loopbackServer"),
  ]);
  const pkce = pkceCodes(createHash, randomBytes);
  const state = randomBytes(24).toString("base64url");
  const server = await LoopbackRedirectServer.start(options);
  try {
    const url = await app.getAuthCodeUrl({
      scopes,
      authority,
      claims,
      redirectUri: server.redirectUri,
      codeChallenge: pkce.challenge,
      codeChallengeMethod: "S256",
      state,
      prompt: options.prompt ?? (request.loginHint ? "login" : "select_account"),
      loginHint: request.loginHint,
      account: request.account,
      extraQueryParameters: request.extraQueryParameters,
    });
    const reply = server.waitForCode(state, signal, request.timeoutMs);
    await Promise.race([open(options.openBrowser, url), reply]);
    const { code } = await reply;
    return await app.acquireTokenByCode({
      code,
      scopes,
      authority,
      claims,
      redirectUri: server.redirectUri,
      codeVerifier: pkce.verifier,
      state,
    });
  } finally {
    server.close();
  }
}

/** The app's opener failing means no browser here: CredentialUnavailableError, so a chain moves on. */
async function open(openBrowser: OpenBrowser, url: string): Promise<void> {
  try {
    await openBrowser(url);
  } catch (error) {
    if (error instanceof CredentialUnavailableError) throw error;
    throw new CredentialUnavailableError(`The browser could not be opened: ${(error as Error)?.message ?? error}`, {
      cause: error,
      code: "BROWSER_UNAVAILABLE",
    });
  }
}

/** RFC 7636 S256: a 43-character verifier from 32 random bytes, its SHA-256 as the challenge. */
function pkceCodes(
  createHash: typeof import("node:crypto").createHash,
  randomBytes: typeof import("node:crypto").randomBytes,
): {
  verifier: string;
  challenge: string;
} {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}
