/**
 * SIGINT/SIGTERM for both runtimes. GitHub cancels a step with SIGINT, then SIGTERM 7.5 s later, then
 * kills the process tree 2.5 s after that; Ctrl-C in a terminal is SIGINT. The first signal aborts
 * the run's AbortSignal: the command running then is killed, sleeps end, and the domain code undoes
 * what it did (partial release, lock, history line, revert). If that is not done within
 * `graceMs` the process exits anyway (the post step is the backstop); a second Ctrl-C exits at once.
 */
import { cancellableClock } from '../core/cancel.js';
import type { Clock } from '../core/clock.js';
import type { Executor } from '../core/exec.js';

export interface Cancellation {
  signal: AbortSignal;
  exec: Executor;
  clock: Clock;
  dispose(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export function handleCancelSignals(
  exec: Executor,
  clock: Clock,
  say: (message: string) => void,
  options: { graceMs?: number; exitOnSecond?: boolean } = {},
): Cancellation {
  const controller = new AbortController();
  const { signal } = controller;
  let count = 0;
  const onSignal = (name: string) => {
    count += 1;
    if (count === 1) {
      say(`received ${name}: cancelling, stopping the running command and undoing what this run started`);
      controller.abort();
      setTimeout(() => {
        say('cancellation cleanup did not finish in time; exiting (the post step releases what is left)');
        process.exit(1);
      }, options.graceMs ?? 6000).unref();
    } else if (options.exitOnSecond) {
      say(`received ${name} again: exiting now`);
      process.exit(130);
    }
  };
  for (const name of SIGNALS) process.on(name, onSignal);
  return {
    signal,
    // A command started after the cancellation is cleanup: it runs to its end.
    exec: { run: (argv, opts = {}) => exec.run(argv, signal.aborted ? opts : { ...opts, signal }) },
    clock: cancellableClock(clock, signal),
    dispose: () => {
      for (const name of SIGNALS) process.off(name, onSignal);
    },
  };
}
