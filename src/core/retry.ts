import type { Clock } from './clock.js';
import { errorMessage, OperationalError } from './errors.js';

export type Attempt<T> = { done: true; value: T } | { done: false; reason: string };

export interface PollOptions {
  /** What is being waited for, for the error message. */
  what: string;
  timeoutMs: number;
  clock: Clock;
  initialDelayMs?: number;
  maxDelayMs?: number;
  onAttempt?: (attempt: number, reason: string) => void;
  /** Errors that end the wait at once instead of counting as a failed attempt (a broken connection). */
  isFatal?: (error: unknown) => boolean;
}

export interface PollResult<T> {
  value: T;
  attempts: number;
  elapsedMs: number;
}

/** Polls to a deadline with exponential backoff and jitter; fails with the last observed reason. */
export async function pollUntil<T>(options: PollOptions, attempt: () => Promise<Attempt<T>>): Promise<PollResult<T>> {
  const { clock, timeoutMs } = options;
  const started = clock.now();
  const deadline = started + timeoutMs;
  let delay = options.initialDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 5000;
  let count = 0;
  let lastReason: string;
  for (;;) {
    count += 1;
    const result = await attempt().catch((error: unknown): Attempt<T> => {
      if (options.isFatal?.(error)) throw error;
      return { done: false, reason: errorMessage(error) };
    });
    if (result.done) return { value: result.value, attempts: count, elapsedMs: clock.now() - started };
    lastReason = result.reason;
    options.onAttempt?.(count, lastReason);
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      throw new OperationalError(
        `${options.what} did not succeed within ${Math.round(timeoutMs / 1000)}s after ${count} attempts; last result: ${lastReason}`,
      );
    }
    const jittered = delay * (0.8 + Math.random() * 0.4);
    await clock.sleep(Math.min(jittered, remaining));
    delay = Math.min(delay * 2, maxDelay);
  }
}
