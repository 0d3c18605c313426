import { describe, expect, it } from 'vitest';

import type { Clock } from '../../src/core/clock.js';
import { pollUntil } from '../../src/core/retry.js';
import { waitFor, WaitTimeoutError } from '../../src/core/wait.js';

/** A clock whose sleep advances time at once; it records every wait. */
function fakeClock(start = 1_000_000): Clock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

/** Answers the given states in order, then the last one forever; a string starting with "!" is thrown. */
function states(...sequence: string[]): () => Promise<{ state: string; n: number }> {
  let n = 0;
  return async () => {
    const state = sequence[Math.min(n, sequence.length - 1)]!;
    n += 1;
    if (state.startsWith('!')) throw new Error(state.slice(1));
    return { state, n };
  };
}

describe('waitFor', () => {
  it('returns the value that ended the wait, reporting each new state once', async () => {
    const clock = fakeClock();
    const changes: string[] = [];
    const result = await waitFor({
      what: 'the deploy',
      timeoutMs: 60_000,
      clock,
      read: states('queued', 'building', 'building', '!connection reset', 'building', 'live'),
      state: (v) => v.state,
      initial: 'queued',
      ended: (state) => state === 'live',
      onChange: (v, state) => changes.push(`${state}@${v.n}`),
    });
    expect(result.value).toEqual({ state: 'live', n: 6 });
    expect(result.attempts).toBe(6);
    // queued was already known; a failed read changes no state.
    expect(changes).toEqual(['building@2', 'live@6']);
    expect(clock.sleeps).toHaveLength(5);
  });

  it('ends on a failed end state too: the caller decides what it means', async () => {
    const clock = fakeClock();
    const result = await waitFor({
      what: 'x',
      timeoutMs: 10_000,
      clock,
      read: states('BUILDING', 'ERROR'),
      state: (v) => v.state,
      ended: (state) => state === 'READY' || state === 'ERROR',
    });
    expect(result.value.state).toBe('ERROR');
  });

  it('at the deadline throws WaitTimeoutError with the last value, state and reason, after a last read there', async () => {
    const clock = fakeClock();
    const start = clock.now();
    const error = (await waitFor({
      what: 'Render deploy dep-1 to go live',
      timeoutMs: 20_000,
      clock,
      read: states('created', 'build_in_progress'),
      state: (v) => v.state,
      ended: (state) => state === 'live',
      reason: (state) => `status ${state}`,
    }).catch((e: unknown) => e)) as WaitTimeoutError<{ state: string; n: number }>;
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.lastState).toBe('build_in_progress');
    expect(error.last?.n).toBe(error.attempts);
    expect(error.lastReason).toBe('status build_in_progress');
    expect(error.message).toBe(
      `Render deploy dep-1 to go live did not succeed within 20s after ${error.attempts} attempts; last result: status build_in_progress`,
    );
    expect(clock.now() - start).toBeCloseTo(20_000, 2);
  });

  it('a timeout after reads that all failed has no last state, and the error message as reason', async () => {
    const clock = fakeClock();
    const error = (await waitFor({
      what: 'x',
      timeoutMs: 1000,
      clock,
      read: states('!ECONNREFUSED'),
      state: (v) => v.state,
      ended: () => true,
    }).catch((e: unknown) => e)) as WaitTimeoutError;
    expect(error.lastState).toBeUndefined();
    expect(error.last).toBeUndefined();
    expect(error.lastReason).toBe('ECONNREFUSED');
  });

  it('a fatal error ends the wait at once, as thrown', async () => {
    const clock = fakeClock();
    const error = await waitFor({
      what: 'x',
      timeoutMs: 300_000,
      clock,
      read: states('starting', '!machine destroyed'),
      state: (v) => v.state,
      ended: (state) => state === 'started',
      isFatal: (e) => (e as Error).message === 'machine destroyed',
    }).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(WaitTimeoutError);
    expect((error as Error).message).toBe('machine destroyed');
    expect(clock.sleeps).toHaveLength(1);
  });

  it('backs off from initialDelayMs, doubling up to maxDelayMs', async () => {
    const clock = fakeClock();
    await waitFor({
      what: 'x',
      timeoutMs: 600_000,
      clock,
      initialDelayMs: 1000,
      maxDelayMs: 4000,
      read: states('a', 'a', 'a', 'a', 'b'),
      state: (v) => v.state,
      ended: (state) => state === 'b',
    });
    [1000, 2000, 4000, 4000].forEach((nominal, i) => {
      expect(clock.sleeps[i]).toBeGreaterThanOrEqual(nominal * 0.8);
      expect(clock.sleeps[i]).toBeLessThanOrEqual(nominal * 1.2);
    });
  });

  it('is what pollUntil runs: its timeout is a WaitTimeoutError with the last reason', async () => {
    const clock = fakeClock();
    const error = (await pollUntil({ what: 'the lock', timeoutMs: 5000, clock }, async () => ({ done: false, reason: 'held' })).catch(
      (e: unknown) => e,
    )) as WaitTimeoutError;
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.lastReason).toBe('held');
    expect(error.message).toMatch(/^the lock did not succeed within 5s after \d+ attempts; last result: held$/);
  });
});
