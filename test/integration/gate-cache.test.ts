import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type CacheDouble, startCacheDouble } from '../../harness/doubles/actions-cache.js';
import { freePort } from '../../harness/services/ports.js';
import { ROOT, runBundle } from '../../harness/services/runner.js';

let cache: CacheDouble;

beforeAll(async () => {
  cache = await startCacheDouble();
});

afterAll(async () => {
  await cache?.close();
});

/** A node project whose tests pass, and a HOME of its own so ~/.npm is small and ours. */
function project(): { ws: string; home: string } {
  const ws = mkdtempSync(join(tmpdir(), 'dk-gate-cache-'));
  cpSync(join(ROOT, 'test/fixtures/gate/node-app'), ws, { recursive: true });
  writeFileSync(join(ws, 'test/cart.test.mjs'), "import { test } from 'node:test';\ntest('ok', () => {});\n");
  const home = mkdtempSync(join(tmpdir(), 'dk-gate-home-'));
  return { ws, home };
}

function seedNpmCache(home: string): void {
  mkdirSync(join(home, '.npm/_cacache'), { recursive: true });
  writeFileSync(join(home, '.npm/_cacache/marker'), 'downloaded packages');
}

const run = (ws: string, home: string, env: Record<string, string> = {}) =>
  runBundle(
    'gate',
    { preset: 'node' },
    { cwd: ws, env: { HOME: home, ACTIONS_CACHE_URL: cache.url, ACTIONS_RUNTIME_TOKEN: 'runtime-token', ...env } },
  );

describe('gate dependency cache (actions/cache)', () => {
  it('misses and saves on the first run, restores the same key on the next, and falls back to a restore key after the lockfile changes', async () => {
    const { ws, home } = project();
    seedNpmCache(home);
    const first = await run(ws, home);
    expect(first.exitCode, first.stdout).toBe(0);
    const key = /dependency cache key (deploy-kit-gate-\S+)/.exec(first.stdout)![1]!;
    expect(first.summary).toContain(`Dependency cache: miss ${key}.`);
    expect(cache.entries.find((e) => e.key === key)).toMatchObject({ committed: true });

    rmSync(join(home, '.npm'), { recursive: true, force: true });
    const before = cache.entries.length;
    const second = await run(ws, home);
    expect(second.exitCode, second.stdout).toBe(0);
    expect(second.summary).toContain(`Dependency cache: hit ${key}.`);
    expect(existsSync(join(home, '.npm/_cacache/marker'))).toBe(true);
    expect(cache.entries.length).toBe(before);

    writeFileSync(
      join(ws, 'package-lock.json'),
      JSON.stringify({
        name: 'node-app',
        version: '1.0.1',
        lockfileVersion: 3,
        requires: true,
        packages: { '': { name: 'node-app', version: '1.0.1' } },
      }),
    );
    const third = await run(ws, home);
    expect(third.exitCode, third.stdout).toBe(0);
    const newKey = /dependency cache key (deploy-kit-gate-\S+)/.exec(third.stdout)![1]!;
    expect(newKey).not.toBe(key);
    expect(third.summary).toContain(`Dependency cache: restored ${key}, will save ${newKey}.`);
    expect(cache.entries.find((e) => e.key === newKey)).toMatchObject({ committed: true });
  }, 120_000);

  it('a cache service that is down never fails the gate', async () => {
    const { ws, home } = project();
    seedNpmCache(home);
    const down = `http://127.0.0.1:${await freePort()}/`;
    const result = await run(ws, home, { ACTIONS_CACHE_URL: down });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.outputs.passed).toBe('true');
    expect(result.stdout).toMatch(/::warning::.*(restore|ECONNREFUSED)/i);
  }, 120_000); // @actions/cache retries each call with a delay before giving up
});
