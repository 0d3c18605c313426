import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect, it } from 'vitest';

import { releaseRoot } from '../../harness/services/release-root.js';
import { runBundle } from '../../harness/services/runner.js';
import { makeSource } from '../../harness/services/versioned-app.js';

it('deploys, hard-links unchanged files and rolls back on the runner’s own disk (transport: local)', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'dk-local-')), 'app');
  const layout = releaseRoot(path);
  const source = makeSource({ VERSION: 'v1', 'static/app.js': 'x'.repeat(100_000) });
  const first = await runBundle('backend', { transport: 'local', path, source, 'release-id': 'r1', 'shared-dirs': 'media' });
  expect(first.exitCode, first.stdout).toBe(0);
  expect(first.outputs.hosts).toBe('local');
  writeFileSync(join(source, 'VERSION'), 'v2');
  const second = await runBundle('backend', { transport: 'local', path, source, 'release-id': 'r2', 'shared-dirs': 'media' });
  expect(second.exitCode, second.stdout).toBe(0);
  expect(layout.current()).toBe('releases/r2');
  expect(statSync(join(path, 'releases/r2/static/app.js')).ino).toBe(statSync(join(path, 'releases/r1/static/app.js')).ino);

  const back = await runBundle('rollback', { transport: 'local', path });
  expect(back.exitCode, back.stdout).toBe(0);
  expect(readFileSync(join(path, 'current/VERSION'), 'utf8')).toBe('v1');
  expect(layout.history().map((h) => h.event)).toEqual(['deploy', 'deploy', 'rollback']);
});
