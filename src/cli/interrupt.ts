let interrupted = false;

/** True once Ctrl+C (or SIGTERM) ended a command: its exit status is then 130. */
export function wasInterrupted(): boolean {
  return interrupted;
}

/**
 * A signal that Ctrl+C / SIGTERM abort, instead of killing the process, so that a sign-in closes
 * what it opened (the loopback server, the broker's window) before the CLI exits.
 */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => {
    interrupted = true;
    controller.abort();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
