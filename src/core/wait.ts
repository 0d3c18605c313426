/**
 * The one wait loop: read a value until it reaches an end state or the deadline passes, with
 * exponential backoff and jitter. Each new state is reported once (onChange); at the deadline the
 * wait fails with WaitTimeoutError, which carries the last value and state so the caller can say
 * where it stopped and undo what it started (cancel a vendor deployment, put a Machine back).
 */
import type { Clock } from './clock.js';
import { errorMessage, OperationalError } from './errors.js';

export interface Wait<T> {
  /** What is being waited for, for the timeout message. */
  what: string;
  timeoutMs: number;
  clock: Clock;
  /** First pause (500 ms), doubled after each attempt up to maxDelayMs (5 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** One look; a thrown error counts as a failed attempt (its message the reason) unless isFatal. */
  read(): Promise<T>;
  /** The value's state ("live", "BUILDING"): onChange fires when it differs from the one before. */
  state(value: T): string;
  /** The state before the first read, when the caller already saw one (no onChange for it). */
  initial?: string;
  /** True ends the wait and returns the value (success or a failed end state: the caller decides). */
  ended(state: string, value: T): boolean;
  onChange?(value: T, state: string): void;
  /** Why an attempt did not end the wait, for the timeout message (`state <state>` unless given). */
  reason?(state: string, value: T): string;
  onAttempt?(attempt: number, reason: string): void;
  /** Errors that end the wait at once, as thrown (a broken connection, a Machine that died). */
  isFatal?(error: unknown): boolean;
}

export interface WaitResult<T> {
  value: T;
  attempts: number;
  elapsedMs: number;
}

/** The deadline passed: what was last seen (no value or state when every read failed). */
export class WaitTimeoutError<T = unknown> extends OperationalError {
  override readonly name = 'WaitTimeoutError';
  constructor(
    what: string,
    readonly timeoutMs: number,
    readonly attempts: number,
    readonly lastReason: string,
    readonly last?: T,
    readonly lastState?: string,
  ) {
    super(`${what} did not succeed within ${Math.round(timeoutMs / 1000)}s after ${attempts} attempts; last result: ${lastReason}`);
  }
}

type Look<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Reads until `ended`, or throws WaitTimeoutError at the deadline after one last read there. */
export async function waitFor<T>(wait: Wait<T>): Promise<WaitResult<T>> {
  const { clock, timeoutMs } = wait;
  const started = clock.now();
  const deadline = started + timeoutMs;
  let delay = wait.initialDelayMs ?? 500;
  const maxDelay = wait.maxDelayMs ?? 5000;
  let seen = wait.initial;
  let last: T | undefined;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const look = await wait.read().then(
      (value): Look<T> => ({ ok: true, value }),
      (error: unknown): Look<T> => {
        if (wait.isFatal?.(error)) throw error;
        return { ok: false, reason: errorMessage(error) };
      },
    );
    let reason: string;
    if (look.ok) {
      const state = wait.state(look.value);
      last = look.value;
      if (state !== seen) wait.onChange?.(look.value, state);
      seen = state;
      if (wait.ended(state, look.value)) return { value: look.value, attempts, elapsedMs: clock.now() - started };
      reason = wait.reason ? wait.reason(state, look.value) : `state ${state}`;
    } else reason = look.reason;
    wait.onAttempt?.(attempts, reason);
    const remaining = deadline - clock.now();
    if (remaining <= 0) throw new WaitTimeoutError(wait.what, timeoutMs, attempts, reason, last, seen);
    const jittered = delay * (0.8 + Math.random() * 0.4);
    await clock.sleep(Math.min(jittered, remaining));
    delay = Math.min(delay * 2, maxDelay);
  }
}
