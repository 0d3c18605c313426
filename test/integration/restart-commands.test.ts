import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { makeAppSource, START_COMMAND } from '../../harness/services/bluegreen-app.js';
import { killInstances } from '../../harness/services/bluegreen-instances.js';
import { startNginx } from '../../harness/services/nginx.js';
import { freePort } from '../../harness/services/ports.js';
import { releaseRoot } from '../../harness/services/release-root.js';
import { printed, runBundle } from '../../harness/services/runner.js';
import { makeSource } from '../../harness/services/versioned-app.js';

/** Issue #18 item 6: several restart commands (web, Celery worker, beat), each must succeed, each reported; also beside blue/green. */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function root(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dk-restarts-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Each line appends "<name> <release>" to <root>/restarts.log; the worker line fails for release r2 when asked. */
const RESTARTS = [
  'echo "web $DEPLOY_KIT_RELEASE" >> "$DEPLOY_KIT_ROOT/restarts.log"',
  'if [ -e FAIL_WORKER ]; then echo "celery worker did not start" >&2; exit 7; fi; \\',
  '  echo "worker $DEPLOY_KIT_RELEASE" >> "$DEPLOY_KIT_ROOT/restarts.log"',
  'echo "beat $DEPLOY_KIT_RELEASE" >> "$DEPLOY_KIT_ROOT/restarts.log"',
].join('\n');

const log = (dir: string) => readFileSync(join(dir, 'restarts.log'), 'utf8').trim().split('\n');

describe('restart-command: one command per line', { timeout: 180_000 }, () => {
  it('runs every line in order in current and lists each in the summary', async () => {
    const dir = root();
    const run = await runBundle('backend', {
      transport: 'local',
      path: dir,
      source: makeSource({ VERSION: 'v1' }),
      'release-id': 'r1',
      'restart-command': RESTARTS,
    });
    expect(run.exitCode, printed(run)).toBe(0);
    expect(log(dir)).toEqual(['web r1', 'worker r1', 'beat r1']);
    expect(run.summary).toContain('restarted: echo "web');
    expect(run.summary).toContain('restarted: if [ -e FAIL_WORKER ]');
    expect(run.summary).toContain('restarted: echo "beat');
  });

  it('stops at the first failing command, names it, and restarts the previous release with every command', async () => {
    const dir = root();
    const first = await runBundle('backend', {
      transport: 'local',
      path: dir,
      source: makeSource({ VERSION: 'v1' }),
      'release-id': 'r1',
      'restart-command': RESTARTS,
    });
    expect(first.exitCode, printed(first)).toBe(0);
    const second = await runBundle('backend', {
      transport: 'local',
      path: dir,
      source: makeSource({ VERSION: 'v2', FAIL_WORKER: '' }),
      'release-id': 'r2',
      'restart-command': RESTARTS,
    });
    expect(second.exitCode).toBe(1);
    expect(printed(second)).toMatch(/restart-command 2\/3 \(if \[ -e FAIL_WORKER \].*\) on local failed with exit code 7/);
    expect(printed(second)).toContain('celery worker did not start');
    // r2: web restarted, the worker failed, beat never ran; then r1 again, all three.
    expect(log(dir)).toEqual(['web r1', 'worker r1', 'beat r1', 'web r2', 'web r1', 'worker r1', 'beat r1']);
    expect(releaseRoot(dir).current()).toBe('releases/r1');
  });

  it('is accepted beside switch: blue-green and restarts the workers after nginx points at the new instance', async () => {
    const dir = root();
    const ports: [number, number] = [await freePort(), await freePort()];
    const nginx = await startNginx(ports[0]);
    cleanups.push(() => nginx.stop());
    cleanups.push(() => killInstances(dir));
    const workers = [
      'echo "worker $DEPLOY_KIT_RELEASE $(cat "$DEPLOY_KIT_ROOT/.deploy-kit/active-port")" >> "$DEPLOY_KIT_ROOT/restarts.log"',
      'echo "beat $DEPLOY_KIT_RELEASE" >> "$DEPLOY_KIT_ROOT/restarts.log"',
    ].join('\n');
    const inputs = {
      transport: 'local',
      path: dir,
      switch: 'blue-green',
      ports: ports.join(','),
      'start-command': START_COMMAND,
      'health-path': '/health',
      'health-timeout': '20s',
      'nginx-upstream-file': nginx.upstreamFile,
      'nginx-test-command': nginx.testCommand,
      'nginx-reload-command': nginx.reloadCommand,
      'drain-seconds': '0',
      'restart-command': workers,
    };
    const first = await runBundle('backend', { ...inputs, source: makeAppSource('v1'), 'release-id': 'r1' });
    expect(first.exitCode, printed(first)).toBe(0);
    const second = await runBundle('backend', { ...inputs, source: makeAppSource('v2'), 'release-id': 'r2' });
    expect(second.exitCode, printed(second)).toBe(0);
    expect(log(dir)).toEqual([`worker r1 ${ports[0]}`, 'beat r1', `worker r2 ${ports[1]}`, 'beat r2']);
    expect(second.summary).toContain('restarted: echo "worker');
    expect(await (await fetch(nginx.url)).text()).toBe('v2');
  });
});
