import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { releaseRoot } from '../../harness/services/release-root.js';
import { printed, runBundle } from '../../harness/services/runner.js';
import { makeSource } from '../../harness/services/versioned-app.js';

/**
 * Issue #18 item 5: `python-venv: requirements.txt` builds <release>/.venv before the switch, so
 * before-switch, migrations and the restart run with the release's own Python. No PyPI here: the
 * requirements file lists no packages, which still goes through `pip install -r`.
 */

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function root(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dk-venv-'));
  dirs.push(dir);
  return dir;
}

const PRINT_PREFIX = `python -c "import sys; print('prefix=' + sys.prefix)"`;

describe('backend python-venv', { timeout: 180_000 }, () => {
  it('creates <release>/.venv, installs the requirements and runs before-switch with it', async () => {
    const dir = root();
    const run = await runBundle('backend', {
      transport: 'local',
      path: dir,
      source: makeSource({ VERSION: 'v1', 'requirements.txt': '# standard library only\n' }),
      'release-id': 'r1',
      'python-venv': 'requirements.txt',
      'before-switch': PRINT_PREFIX,
      'restart-command': 'test -x .venv/bin/python && echo "restart sees $(pwd)/.venv"',
    });
    expect(run.exitCode, printed(run)).toBe(0);
    expect(printed(run)).toContain('python-venv: Python 3');
    expect(printed(run)).toContain(`prefix=${join(dir, 'releases/r1/.venv')}`);
    expect(printed(run)).toContain(`restart sees ${join(dir, 'current')}/.venv`);
    expect(existsSync(join(dir, 'releases/r1/.venv/bin/python'))).toBe(true);
    expect(releaseRoot(dir).current()).toBe('releases/r1');
  });

  it('fails before the switch, saying so, when the requirements file is not in the release', async () => {
    const dir = root();
    const run = await runBundle('backend', {
      transport: 'local',
      path: dir,
      source: makeSource({ VERSION: 'v1' }),
      'release-id': 'r1',
      'python-venv': 'requirements/prod.txt',
    });
    expect(run.exitCode).toBe(1);
    expect(printed(run)).toContain('python-venv: requirements/prod.txt is not in the release');
    expect(existsSync(join(dir, 'current'))).toBe(false);
  });

  it('refuses a requirements path outside the release before anything runs', async () => {
    const run = await runBundle('backend', {
      transport: 'local',
      path: root(),
      source: makeSource({ VERSION: 'v1' }),
      'python-venv': '../requirements.txt',
    });
    expect(run.exitCode).toBe(1);
    expect(printed(run)).toContain('input "python-venv"');
  });
});

describe('migrate where: ssh with the release venv', { timeout: 180_000 }, () => {
  it('runs tool: django with <release>/.venv first on PATH', async () => {
    const dir = root();
    // A stand-in for Django's manage.py: prints what `migrate` prints, and which Python ran it.
    const managePy = [
      'import sys',
      'print("Operations to perform:")',
      'print("  Applying shop.0001_initial... OK")',
      'print("prefix=" + sys.prefix)',
    ].join('\n');
    const deployed = await runBundle('backend', {
      transport: 'local',
      path: dir,
      source: makeSource({ 'manage.py': managePy, 'requirements.txt': '' }),
      'release-id': 'r1',
      'python-venv': 'requirements.txt',
    });
    expect(deployed.exitCode, printed(deployed)).toBe(0);
    const run = await runBundle('migrate', { tool: 'django', where: 'ssh', transport: 'local', path: dir, release: 'r1' });
    expect(run.exitCode, printed(run)).toBe(0);
    expect(run.outputs.applied).toBe('shop.0001_initial');
    expect(printed(run)).toContain(`prefix=${join(dir, 'releases/r1/.venv')}`);
  });
});
