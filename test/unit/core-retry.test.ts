import { describe, expect, it } from 'vitest';

import type { Clock } from '../../src/core/clock.js';
import { OperationalError } from '../../src/core/errors.js';
import { type Attempt, pollUntil } from '../../src/core/retry.js';

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

/** Answers "not yet" (with a numbered reason) until the given attempt. */
function readyAfter(n: number): () => Promise<Attempt<string>> {
  let calls = 0;
  return async () => {
    calls += 1;
    return calls >= n ? { done: true, value: `ready on ${calls}` } : { done: false, reason: `not yet (${calls})` };
  };
}

describe('pollUntil', () => {
  it.each([[1], [2], [5]])('returns the value once the check passes (attempt %d), sleeping between attempts', async (n) => {
    const clock = fakeClock();
    const seen: string[] = [];
    const result = await pollUntil(
      { what: 'the app', timeoutMs: 60_000, clock, onAttempt: (i, reason) => seen.push(`${i}: ${reason}`) },
      readyAfter(n),
    );
    expect(result.value).toBe(`ready on ${n}`);
    expect(result.attempts).toBe(n);
    expect(clock.sleeps).toHaveLength(n - 1);
    expect(result.elapsedMs).toBeCloseTo(
      clock.sleeps.reduce((a, b) => a + b, 0),
      2,
    );
    expect(seen).toEqual(Array.from({ length: n - 1 }, (_, i) => `${i + 1}: not yet (${i + 1})`));
  });

  it('backs off exponentially (with jitter) up to the maximum delay', async () => {
    const clock = fakeClock();
    await pollUntil({ what: 'x', timeoutMs: 600_000, clock, initialDelayMs: 1000, maxDelayMs: 8000 }, readyAfter(8));
    const nominal = [1000, 2000, 4000, 8000, 8000, 8000, 8000];
    expect(clock.sleeps).toHaveLength(nominal.length);
    clock.sleeps.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(nominal[i]! * 0.8);
      expect(ms).toBeLessThanOrEqual(nominal[i]! * 1.2);
    });
  });

  it('fails at the deadline with the last observed reason, checking once more at the deadline', async () => {
    const clock = fakeClock();
    const start = clock.now();
    let calls = 0;
    let lastCallAt = 0;
    const error = await pollUntil({ what: 'health check https://app.example.com/health', timeoutMs: 30_000, clock }, async () => {
      calls += 1;
      lastCallAt = clock.now();
      return { done: false, reason: `HTTP 503 (call ${calls})` };
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationalError);
    expect((error as Error).message).toBe(
      `health check https://app.example.com/health did not succeed within 30s after ${calls} attempts; last result: HTTP 503 (call ${calls})`,
    );
    // It never sleeps past the deadline, and the last check happens at the deadline itself.
    expect(lastCallAt - start).toBeCloseTo(30_000, 2);
    expect(clock.now() - start).toBeCloseTo(30_000, 2);
  });

  it('a thrown error counts as a failed attempt, its message the reason', async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await pollUntil({ what: 'x', timeoutMs: 10_000, clock }, async () => {
      calls += 1;
      if (calls < 3) throw new Error('connection reset');
      return { done: true, value: 'up' };
    });
    expect(result).toMatchObject({ value: 'up', attempts: 3 });
    const failure = (await pollUntil({ what: 'x', timeoutMs: 1000, clock }, async (): Promise<Attempt<string>> => {
      throw new Error('ECONNREFUSED');
    }).catch((e: unknown) => e)) as Error;
    expect(failure.message).toContain('last result: ECONNREFUSED');
  });

  it('a fatal error ends the wait at once, as it was thrown', async () => {
    const clock = fakeClock();
    const fatal = new Error('ssh: host key verification failed');
    let calls = 0;
    const error = await pollUntil({ what: 'the lock', timeoutMs: 300_000, clock, isFatal: (e) => e === fatal }, async () => {
      calls += 1;
      if (calls === 2) throw fatal;
      return { done: false, reason: 'held' };
    }).catch((e: unknown) => e);
    expect(error).toBe(fatal);
    expect(calls).toBe(2);
    expect(clock.sleeps).toHaveLength(1);
  });
});
