import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { pollUntil } from '../core/retry.js';
import type { Observation, Probe } from './probes.js';

export interface CheckResult {
  name: string;
  kind: Probe['kind'];
  url: string;
  passed: boolean;
  /** Passed, with findings that are reported but do not fail the step (security headers without strict). */
  warning?: boolean;
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
  const deadlineAt = options.clock.now() + options.deadlineMs;
  let last: Observation = {};
  let attempts = 0;
  let lastReason: string | undefined;
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
        onAttempt: (n, reason) => {
          lastReason = reason;
          options.logger.debug(`${probe.name}: attempt ${n}: ${reason}`);
        },
      },
      async () => {
        attempts += 1;
        last = {};
        // A hanging server must not hold the check long past its deadline.
        const timeoutMs = Math.max(1000, Math.min(options.requestTimeoutMs, deadlineAt - options.clock.now()));
        last = await probe.attempt(timeoutMs);
        return last.failure ? { done: false, reason: last.failure } : { done: true, value: last };
      },
    );
    const passed = last as Observation;
    if (passed.warning) return { ...result(true, passed.warning), warning: true };
    return result(true, passed.note ?? 'ok');
  } catch (error) {
    // onAttempt saw the last reason, whether a failed expectation or a request error.
    return result(false, lastReason ?? (error instanceof Error ? error.message : String(error)));
  }
}

/** All probes at once, each to the same deadline. */
export async function runProbes(probes: readonly Probe[], options: RunOptions): Promise<CheckResult[]> {
  return Promise.all(probes.map((probe) => runProbe(probe, options)));
}
