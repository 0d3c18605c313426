import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { pollUntil } from '../core/retry.js';
import type { Observation, Probe } from './probes.js';

export interface CheckResult {
  name: string;
  kind: Probe['kind'];
  url: string;
  passed: boolean;
  attempts: number;
  status?: number;
  latencyMs?: number;
  /** The last failure, or what the passing attempt found. */
  reason: string;
}

export interface RunOptions {
  deadlineMs: number;
  requestTimeoutMs: number;
  clock: Clock;
  logger: Logger;
  initialDelayMs?: number;
}

/** Runs one probe until it passes or the deadline passes; never throws. */
async function runProbe(probe: Probe, options: RunOptions): Promise<CheckResult> {
  let last: Observation = {};
  let attempts = 0;
  let lastReason = 'no attempt finished';
  const result = (passed: boolean, reason: string): CheckResult => ({
    name: probe.name,
    kind: probe.kind,
    url: probe.url,
    passed,
    attempts,
    status: last.status,
    latencyMs: last.latencyMs,
    reason,
  });
  try {
    await pollUntil(
      {
        what: probe.name,
        timeoutMs: options.deadlineMs,
        clock: options.clock,
        initialDelayMs: options.initialDelayMs ?? 250,
        maxDelayMs: 5000,
        onAttempt: (n, reason) => options.logger.debug(`${probe.name}: attempt ${n}: ${reason}`),
      },
      async () => {
        attempts += 1;
        try {
          last = await probe.attempt(options.requestTimeoutMs);
        } catch (error) {
          last = {};
          throw error;
        } finally {
          lastReason = last.failure ?? lastReason;
        }
        return last.failure ? { done: false, reason: last.failure } : { done: true, value: last };
      },
    );
    return result(true, last.note ?? 'ok');
  } catch (error) {
    // pollUntil's message carries the last reason thrown by a request (refused, timeout).
    const message = error instanceof Error ? error.message : String(error);
    const fromError = /last result: (.*)$/s.exec(message)?.[1];
    return result(false, fromError ?? lastReason);
  }
}

/** All probes at once, each to the same deadline. */
export async function runProbes(probes: readonly Probe[], options: RunOptions): Promise<CheckResult[]> {
  return Promise.all(probes.map((probe) => runProbe(probe, options)));
}
