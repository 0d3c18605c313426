import type { Clock } from './clock.js';
import { waitFor, type WaitResult } from './wait.js';

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

export type PollResult<T> = WaitResult<T>;

/**
 * Polls to a deadline with exponential backoff and jitter; fails with the last observed reason
 * (WaitTimeoutError). waitFor (src/core/wait.ts) for a check that answers done or why not.
 */
export async function pollUntil<T>(options: PollOptions, attempt: () => Promise<Attempt<T>>): Promise<PollResult<T>> {
  const result = await waitFor<Attempt<T>>({
    ...options,
    read: attempt,
    state: (a) => (a.done ? 'done' : a.reason),
    ended: (_state, a) => a.done,
    reason: (state) => state,
  });
  return { ...result, value: (result.value as { value: T }).value };
}
