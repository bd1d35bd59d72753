// Injected faults: the next N requests of an endpoint are delayed and/or answered with an error.
import type { DevEndpoint, InjectedFault } from "./types";

interface ActiveFault extends InjectedFault {
  remaining: number;
}

export class FaultTable {
  private faults: ActiveFault[] = [];

  add(fault: InjectedFault): void {
    const times = fault.times ?? 1;
    if (!(times > 0)) return;
    this.faults.push({ ...fault, remaining: times });
  }

  clear(): void {
    this.faults = [];
  }

  /** The fault that applies to this request (consuming one use of it), if any. */
  take(endpoint: DevEndpoint, grantType?: string): InjectedFault | undefined {
    const i = this.faults.findIndex((f) => f.endpoint === endpoint && (f.grantType === undefined || f.grantType === grantType));
    if (i < 0) return undefined;
    const f = this.faults[i];
    f.remaining -= 1;
    if (f.remaining <= 0) this.faults.splice(i, 1);
    return f;
  }
}

/** The HTTP status and OAuth error a fault answers with, or undefined when it only delays. */
export function faultReply(f: InjectedFault): { status: number; error: string; description: string; codes: number[] } | undefined {
  if (f.error === undefined && (f.status === undefined || f.status < 400)) return undefined;
  const status = f.status ?? 400;
  const error = f.error ?? (status >= 500 ? "temporarily_unavailable" : "invalid_request");
  const codes = f.errorCodes ?? [status >= 500 ? 90033 : 50000];
  const description =
    f.errorDescription ??
    (status >= 500
      ? `AADSTS${codes[0]}: A transient error has occurred. Please try again. (injected fault)`
      : `AADSTS${codes[0]}: Injected fault '${error}'.`);
  return { status, error, description, codes };
}
