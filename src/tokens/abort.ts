import type { GetTokenOptions } from "@azure/core-auth";
import { AbortError } from "../errors";

/** A real AbortSignal for flows, following the caller's `AbortSignalLike` if any. */
export function toAbortSignal(signal: GetTokenOptions["abortSignal"]): AbortSignal {
  const controller = new AbortController();
  if (signal?.aborted) controller.abort();
  signal?.addEventListener("abort", () => controller.abort());
  return controller.signal;
}

/** Rejects with AbortError when `signal` fires first; the work itself is ended by whoever watches the signal. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new AbortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortError());
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
