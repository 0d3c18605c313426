import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { releaseRoot } from '../../harness/services/release-root.js';
import { runBundle } from '../../harness/services/runner.js';
import { type HealthServer, makeSource, startHealthServer } from '../../harness/services/versioned-app.js';

let app: HealthServer;
let root = '';

beforeAll(async () => {
  // The app serves <root>/current/VERSION, and 503 while that says "broken".
  app = await startHealthServer(() => join(root, 'current'));
});

afterAll(async () => {
  await app?.close();
});

/** A good release r1 then a broken r2, deployed with the backend bundle on the runner's own disk. */
async function deployGoodThenBroken(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'dk-smoke-rb-'));
  for (const [id, version] of [
    ['r1', 'v1'],
    ['r2', 'broken'],
  ] as const) {
    const run = await runBundle('backend', { transport: 'local', path: dir, source: makeSource({ VERSION: version }), 'release-id': id });
    expect(run.exitCode, run.stdout).toBe(0);
  }
  expect(releaseRoot(dir).current()).toBe('releases/r2');
  return dir;
}

describe('smoke on-failure: rollback', () => {
  it('switches back to the previous release when a check fails, records it, and still fails the step', async () => {
    root = await deployGoodThenBroken();
    const run = await runBundle('smoke', {
      url: app.url,
      expect: '200 "status":"ok"',
      deadline: '1s',
      'on-failure': 'rollback',
      transport: 'local',
      path: root,
    });
    expect(run.exitCode).toBe(1);
    expect(releaseRoot(root).current()).toBe('releases/r1');
    expect(run.outputs).toMatchObject({ passed: 'false', 'rolled-back-to': 'r1' });
    expect(releaseRoot(root).history().at(-1)).toMatchObject({ event: 'rollback', release: 'r1', previous: 'r2' });
    expect(run.stdout).toContain('Rolled back from r2 to r1');
    expect(run.summary).toMatch(/### Rollback[\s\S]*\| local \| r2 \| r1 \| rolled back \|/);
  });

  it('leaves the hosts alone when the checks pass', async () => {
    root = await deployGoodThenBroken();
    const good = await runBundle('backend', { transport: 'local', path: root, source: makeSource({ VERSION: 'v3' }), 'release-id': 'r3' });
    expect(good.exitCode, good.stdout).toBe(0);
    const run = await runBundle('smoke', { url: app.url, deadline: '5s', 'on-failure': 'rollback', transport: 'local', path: root });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(releaseRoot(root).current()).toBe('releases/r3');
    expect(run.outputs['rolled-back-to']).toBeUndefined();
  });

  it('names the SSH input that is missing before any request', async () => {
    const run = await runBundle('smoke', { url: app.url, 'on-failure': 'rollback', deadline: '1s' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('input "path"');
    expect(run.outputs.report).toBeUndefined();
  });
});
