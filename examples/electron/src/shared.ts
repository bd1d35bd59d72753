// What crosses from the main process to the renderer: names and outcomes, never tokens.
export interface SignInResult {
  ok: true;
  username: string;
  tenantId?: string;
  /** The broker that signed the user in (`wam`, `macos-sso`, `linux-dbus`), or null for the browser. */
  broker: string | null;
}

export interface SignInFailure {
  ok: false;
  error: string;
  code?: string;
  message: string;
}

export interface EntraApi {
  signIn(): Promise<SignInResult | SignInFailure>;
  whoAmI(): Promise<SignInResult | SignInFailure>;
}
