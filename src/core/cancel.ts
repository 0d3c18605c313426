/**
 * Cancellation (a cancelled workflow run: SIGINT, then SIGTERM 7.5 s later; Ctrl-C in the CLI). The
 * runtime turns the signal into an AbortSignal on the RunContext; the command running at that moment
 * is killed, sleeps end early, and domain code checks at each step, then undoes what it did.
 */
import type { Clock } from './clock.js';
import { OperationalError } from './errors.js';

export class CancelledError extends OperationalError {
  override readonly name = 'CancelledError';
  constructor(what = 'the run') {
    super(`${what} was cancelled`, 'nothing more was started; see the log above for what was undone');
  }
}

/** Throws CancelledError when the run has been cancelled. */
export function checkCancelled(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw new CancelledError(what);
}

export function isCancelled(error: unknown, signal?: AbortSignal): boolean {
  return error instanceof CancelledError || Boolean(signal?.aborted);
}

/** A clock whose sleeps end at once when the run is cancelled. */
export function cancellableClock(clock: Clock, signal: AbortSignal): Clock {
  return {
    now: () => clock.now(),
    sleep: (ms) =>
      signal.aborted
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(timer);
              signal.removeEventListener('abort', done);
              resolve();
            };
            const timer = setTimeout(done, ms);
            signal.addEventListener('abort', done, { once: true });
          }),
  };
}
