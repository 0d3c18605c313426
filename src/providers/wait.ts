import type { RunContext } from '../core/action.js';
import { errorMessage, OperationalError } from '../core/errors.js';
import { waitFor, WaitTimeoutError } from '../core/wait.js';
import type { PublishReport } from './host.js';

export interface StateWait<T> {
  what: string;
  timeoutMs: number;
  read(): Promise<{ state: string; value: T }>;
  ready: readonly string[];
  failed: readonly string[];
  /** Describes a failed state (the build's error message). */
  failure(state: string, value: T): string;
  /** Cancels what was started, on timeout. */
  cancel(): Promise<void>;
  onState?(state: string): void;
}

/**
 * Polls a vendor deployment to a ready state within the deadline. A failed state fails with the
 * vendor's message; on timeout the deployment is cancelled and the error says which state it was in.
 */
export async function waitForState<T>(wait: StateWait<T>, ctx: RunContext, pollMs = 1000): Promise<T> {
  let result: { state: string; value: T };
  try {
    ({ value: result } = await waitFor({
      what: wait.what,
      timeoutMs: wait.timeoutMs,
      clock: ctx.clock,
      initialDelayMs: Math.min(pollMs, 500),
      maxDelayMs: pollMs,
      read: () => wait.read(),
      state: (seen) => seen.state,
      initial: 'unknown',
      ended: (state) => wait.ready.includes(state) || wait.failed.includes(state),
      onChange: (_seen, state) => wait.onState?.(state),
    }));
  } catch (error) {
    let cancelled = 'cancelled it';
    try {
      await wait.cancel();
    } catch (cancelError) {
      cancelled = `could not cancel it: ${errorMessage(cancelError)}`;
    }
    const last = error instanceof WaitTimeoutError ? (error.lastState ?? 'unknown') : 'unknown';
    throw new OperationalError(
      `${wait.what} was still ${last} after ${Math.round(wait.timeoutMs / 1000)}s; ${cancelled}`,
      'raise "timeout" if builds are slow, or look at the deployment in the vendor dashboard',
    );
  }
  if (wait.failed.includes(result.state))
    throw new OperationalError(`${wait.what} ended ${result.state}: ${wait.failure(result.state, result.value)}`);
  return result.value;
}

/** waitForState for a publish: each new state is logged as "<what>: <state>" and kept in progress.state. */
export async function waitForPublish<T>(wait: Omit<StateWait<T>, 'onState'>, ctx: RunContext, progress: PublishReport): Promise<T> {
  return waitForState(
    {
      ...wait,
      onState: (state) => {
        progress.state = state;
        ctx.logger.info(`${wait.what}: ${state}`);
      },
    },
    ctx,
  );
}
