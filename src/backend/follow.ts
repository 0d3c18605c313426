import type { RunContext } from '../core/action.js';
import { errorMessage, OperationalError } from '../core/errors.js';
import { waitFor } from '../core/wait.js';

/** A vendor deployment followed to an end state (Render's status, App Platform's phase). */
export interface FollowedDeploy<T> {
  /** What the wait is for, as the timeout names it. */
  what: string;
  id: string;
  timeoutMs: number;
  initialDelayMs?: number;
  /** The vendor's word for the state: "status" or "phase". */
  word: string;
  read(): Promise<T>;
  state(value: T): string;
  ended(state: string): boolean;
  known(state: string): boolean;
  /** The warning for a state the kit does not know (it keeps waiting). */
  unknown(state: string): string;
  /** Called with each new state, and with the cancelled deployment. */
  onChange(value: T): void;
  cancel(): Promise<T>;
  /** The next step when the deadline passed. */
  hint: string;
}

/** Polls `start` to an end state and returns it; the deadline cancels the deployment and says how that went. */
export async function followDeploy<T>(follow: FollowedDeploy<T>, start: T, ctx: RunContext): Promise<T> {
  try {
    const { value } = await waitFor<T>({
      what: follow.what,
      timeoutMs: follow.timeoutMs,
      clock: ctx.clock,
      initialDelayMs: follow.initialDelayMs,
      maxDelayMs: 10_000,
      read: async () => {
        const current = await follow.read();
        const state = follow.state(current);
        if (!follow.ended(state) && !follow.known(state)) ctx.logger.warning(follow.unknown(state));
        return current;
      },
      state: (d) => follow.state(d),
      initial: follow.state(start),
      ended: (state) => follow.ended(state),
      onChange: (d, state) => {
        ctx.logger.info(`${follow.id}: ${state}`);
        follow.onChange(d);
      },
      reason: (state) => `${follow.word} ${state}`,
    });
    return value;
  } catch (error) {
    const cancel = await follow.cancel().then(
      (canceled) => {
        follow.onChange(canceled);
        return `canceled it (${follow.word} ${follow.state(canceled)})`;
      },
      (cancelError: unknown) => `could not cancel it: ${errorMessage(cancelError)}`,
    );
    throw new OperationalError(`${errorMessage(error)}; ${cancel}`, follow.hint);
  }
}
