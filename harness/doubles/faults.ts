import type { Recorded, Reply } from './server.js';

/**
 * Faults a test queues on a vendor double: the next matching requests get this status (a 429 with
 * Retry-After, a 5xx) instead of the route's answer, in the vendor's own error shape.
 */
export interface Fault {
  status: number;
  /** Which requests it hits (default every request); consumed once per hit. */
  method?: string;
  pathEndsWith?: string;
  /** How many matching requests get it (default 1). */
  times?: number;
  retryAfterSeconds?: number;
}

export interface FaultQueue {
  faults: Fault[];
  /** The reply for this request if a queued fault hits it. */
  take(req: Recorded, errorBody: (status: number) => unknown): Reply | undefined;
}

export function faultQueue(): FaultQueue {
  const faults: Fault[] = [];
  return {
    faults,
    take(req, errorBody) {
      const fault = faults.find(
        (f) => (!f.method || f.method === req.method) && (!f.pathEndsWith || req.path.replace(/\/+$/, '').endsWith(f.pathEndsWith)),
      );
      if (!fault) return undefined;
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) faults.splice(faults.indexOf(fault), 1);
      const headers: Record<string, string> =
        fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
      return { status: fault.status, body: errorBody(fault.status), headers };
    },
  };
}
