import http from "node:http";
import type { AddressInfo } from "node:net";
import { AbortError, AuthenticationError } from "../errors";
import { Failure } from "../failure";
import { badRequestPage, errorPage, successPage } from "./pages";

export interface LoopbackServerOptions {
  /** Port to listen on; 0 (the default) picks a random free port. */
  port?: number;
  /**
   * The host of the redirect URI sent to the authority: the one the app registered (Entra matches
   * loopback redirect URIs by host, not port). Default `localhost`. We listen on 127.0.0.1 either way.
   */
  redirectHost?: "localhost" | "127.0.0.1";
  successMessage?: string;
  errorMessage?: string;
}

export interface AuthorizationCodeReply {
  code: string;
}

const SECURITY_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
};

/**
 * The redirect target of the browser sign-in: listens on 127.0.0.1 only, accepts exactly one
 * callback carrying the expected `state`, answers anything else 400 and keeps waiting.
 */
export class LoopbackRedirectServer {
  /** Ends a pending wait (timer, abort listener) when the server is closed from outside. */
  private endWait?: () => void;

  private constructor(
    private readonly server: http.Server,
    readonly redirectUri: string,
    private readonly options: LoopbackServerOptions,
  ) {}

  static async start(options: LoopbackServerOptions = {}): Promise<LoopbackRedirectServer> {
    const server = http.createServer();
    server.requestTimeout = 10_000;
    server.headersTimeout = 10_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error) => reject(listenFailure(error, options.port ?? 0)));
      server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return new LoopbackRedirectServer(server, `http://${options.redirectHost ?? "localhost"}:${port}/`, options);
  }

  /** Resolves with the code of the callback whose `state` matches; closes the server either way. */
  waitForCode(state: string, signal: AbortSignal | undefined, timeoutMs: number): Promise<AuthorizationCodeReply> {
    return new Promise<AuthorizationCodeReply>((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | undefined, reply?: AuthorizationCodeReply) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.close();
        if (error) reject(error);
        else resolve(reply!);
      };
      const onAbort = () => finish(new AbortError("The sign-in was aborted."));
      this.endWait = () => finish(new AbortError("The sign-in ended before the browser came back."));
      const timer = setTimeout(
        () =>
          finish(
            new AuthenticationError(0, {
              error: "timed_out",
              error_description: `The browser sign-in did not complete within ${timeoutMs} ms.`,
            }),
          ),
        timeoutMs,
      );
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort);

      this.server.on("request", (req, res) => {
        // Any local process can reach this port: a request line that is no URL is refused, not thrown.
        const url = URL.canParse(req.url ?? "/", "http://localhost") ? new URL(req.url ?? "/", "http://localhost") : undefined;
        const params = url?.searchParams;
        if (settled || req.method !== "GET" || !url || !params || url.pathname !== "/" || params.get("state") !== state) {
          return respond(res, 400, badRequestPage());
        }
        const error = params.get("error");
        if (error) {
          const description = params.get("error_description") ?? undefined;
          respond(res, 200, errorPage(this.options.errorMessage, error, description));
          return finish(new AuthenticationError(400, { error, error_description: description ?? error }));
        }
        const code = params.get("code");
        if (!code) return respond(res, 400, badRequestPage());
        respond(res, 200, successPage(this.options.successMessage));
        finish(undefined, { code });
      });
    });
  }

  /** Stops listening; lets the last page reach the browser, then drops every connection. */
  close(): void {
    this.endWait?.();
    this.server.close();
    this.server.closeIdleConnections();
    setTimeout(() => this.server.closeAllConnections(), 1_000).unref();
  }
}

/** Stable codes of a redirect port we cannot listen on (listed in TROUBLESHOOTING.md). */
export type LoopbackFailureCode = "LOOPBACK_PORT_IN_USE" | "LOOPBACK_PORT_DENIED";

/** The redirect port taken by another program is this machine's state, not the authority's. */
function listenFailure(error: NodeJS.ErrnoException, port: number): Error {
  if (error.code !== "EADDRINUSE" && error.code !== "EACCES") return error;
  const inUse = error.code === "EADDRINUSE";
  const code: LoopbackFailureCode = inUse ? "LOOPBACK_PORT_IN_USE" : "LOOPBACK_PORT_DENIED";
  return new Failure(
    "unavailable",
    code,
    `The sign-in's redirect port 127.0.0.1:${port} ${inUse ? "is already in use by another program" : "may not be used by this user"}.`,
    {
      osError: error.code,
      osCode: error.errno,
      reason: inUse ? `port ${port} is in use` : `port ${port} is not permitted`,
      fix: [
        inUse ? "close the program that holds the port" : "choose a port above 1023",
        "give redirectUri another registered loopback port, or leave it out for a random free port",
      ],
      cause: error,
    },
  );
}

function respond(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, connection: "close" });
  res.end(body);
}
