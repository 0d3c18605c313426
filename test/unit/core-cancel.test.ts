import { describe, expect, it } from 'vitest';

import { cancellableClock, CancelledError, checkCancelled, isCancelled } from '../../src/core/cancel.js';
import { systemClock } from '../../src/core/clock.js';
import { processExecutor } from '../../src/core/exec.js';

describe('cancellation', () => {
  it('a sleep ends when the run is cancelled, and later sleeps return at once', async () => {
    const controller = new AbortController();
    const clock = cancellableClock(systemClock, controller.signal);
    const sleeping = clock.sleep(60_000);
    controller.abort();
    await sleeping;
    await clock.sleep(60_000);
  });

  it('the running command is killed when the signal aborts; its result says so', async () => {
    const controller = new AbortController();
    const running = processExecutor.run(['sleep', '30'], { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const result = await running;
    expect(result.exitCode).toBe(137);
  });

  it('checkCancelled throws a CancelledError naming what was cancelled', () => {
    const controller = new AbortController();
    expect(() => checkCancelled(controller.signal, 'the deploy')).not.toThrow();
    controller.abort();
    expect(() => checkCancelled(controller.signal, 'the deploy')).toThrow(new CancelledError('the deploy'));
    expect(isCancelled(new Error('rsync failed'), controller.signal)).toBe(true);
    expect(isCancelled(new Error('rsync failed'), new AbortController().signal)).toBe(false);
  });
});
