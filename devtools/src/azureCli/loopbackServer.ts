// What the offline az's own servers (the ARM stand-in, the discovery proxy) share: listening on
// loopback, and a close that ends every connection, tunnelled ones included.
import type { Server } from "node:net";
import type { Duplex } from "node:stream";

/** Listens on 127.0.0.1 at a free port and resolves to it; rejects when the server cannot listen. */
export async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return (server.address() as { port: number }).port;
}

/** Stops `server` listening and ends its connections, `sockets` too (the ones HTTP no longer tracks, such as CONNECT tunnels). */
export function closeServer(server: Server & { closeAllConnections(): void }, sockets: Iterable<Duplex>): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
    for (const s of sockets) s.destroy();
  });
}
