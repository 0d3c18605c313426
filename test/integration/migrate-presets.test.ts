import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startBundle, waitFor } from '../../harness/services/bundle-process.js';
import { runBundle } from '../../harness/services/runner.js';
import { ensureUser, type SshServer, startSshd } from '../../harness/services/sshd.js';

const URL = 'postgres://app:preset-secret-pw@127.0.0.1:5/shop';

/** A Django project stand-in: manage.py answers migrate and showmigrations the way Django prints them. */
function djangoProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dk-django-'));
  writeFileSync(
    join(dir, 'manage.py'),
    `import os, sys
args = sys.argv[1:]
with open('ran.txt', 'a') as f:
    f.write(' '.join(args) + '|' + os.environ.get('DATABASE_URL', '') + '|' + os.getcwd() + '\\n')
if args[:2] == ['showmigrations', '--plan']:
    print('[X]  shop.0001_initial')
    print('[ ]  shop.0002_price')
elif args == ['migrate', '--noinput']:
    print('Operations to perform:')
    print('  Apply all migrations: shop')
    print('Running migrations:')
    print('  Applying shop.0002_price... OK')
else:
    sys.exit(2)
`,
  );
  return dir;
}

describe('migrate presets on the runner', () => {
  it('django runs manage.py migrate --noinput in working-directory with DATABASE_URL, and reports what it applied', async () => {
    const project = djangoProject();
    const run = await runBundle('migrate', { tool: 'django', 'database-url': URL, 'working-directory': project });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(readFileSync(join(project, 'ran.txt'), 'utf8')).toBe(`migrate --noinput|${URL}|${project}\n`);
    expect(run.outputs.applied).toBe('shop.0002_price');
    expect(run.summary).toContain('| shop.0002_price | applied |');
    expect(run.stdout).toContain('::add-mask::preset-secret-pw');
  });

  it('django plan runs showmigrations --plan and returns its output', async () => {
    const project = djangoProject();
    const run = await runBundle('migrate', { tool: 'django', plan: 'true', 'working-directory': project });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.plan).toBe('[X]  shop.0001_initial\n[ ]  shop.0002_price');
    expect(readFileSync(join(project, 'ran.txt'), 'utf8')).toContain('showmigrations --plan||');
  });

  it('a failing command fails the step with its exit code and last lines', async () => {
    const run = await runBundle('migrate', {
      tool: 'command',
      command: 'echo "applying 1"; echo "boom: relation missing" >&2; exit 3',
      'database-url': URL,
    });
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toContain('failed with exit code 3');
    expect(run.stdout).toContain('boom: relation missing');
  });

  it('a failing command still sets the outputs and writes the job summary', async () => {
    const run = await runBundle('migrate', { tool: 'command', command: 'echo "boom" >&2; exit 3' });
    expect(run.exitCode).not.toBe(0);
    expect(run.outputs).toMatchObject({ applied: '', pending: '' });
    expect(run.summary).toContain('deploy-kit migrate: command');
    expect(run.summary).toContain('Failed: the tool');
  });

  it.each([
    [{ tool: 'django', down: '1' }, 'input "down": only the built-in runner (tool: sql) rolls back'],
    [{ tool: 'command' }, 'input "command": expected the command to run'],
    [{ tool: 'django', command: 'x' }, 'input "command": only used with tool: command'],
    [{ tool: 'command', command: 'true', plan: 'true' }, 'input "plan": tool: command has no plan mode'],
    [{ tool: 'sql', where: 'ssh', 'database-url': URL }, 'input "where": ssh runs the app\'s own tool on the host'],
    [{ tool: 'sql' }, 'input "database-url": empty, but tool: sql connects with it'],
    [{ tool: 'django', where: 'ssh' }, 'input "path": expected the deploy root on the host'],
    [{ tool: 'django', 'working-directory': 'no/such/dir' }, 'input "working-directory":'],
    [{ tool: 'sql', 'database-url': URL, 'lock-timeout': 'soon' }, 'input "lock-timeout": expected a duration'],
    [{ tool: 'django', where: 'ssh', path: '/srv/app', hosts: 'h', 'known-hosts': 'x', release: '../etc' }, 'input "release":'],
  ])('refuses %j before running anything', async (inputs, message) => {
    const run = await runBundle('migrate', inputs);
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toContain(message);
    expect(run.stdout).toContain('configuration error');
  });
});

describe('migrate where: ssh', () => {
  const USER = 'dkdeploy';
  let sshd: SshServer;
  let home: string;

  beforeAll(async () => {
    home = ensureUser(USER);
    sshd = await startSshd();
  });

  afterAll(async () => {
    await sshd?.stop();
  });

  it('runs the tool once in the given release on the host, with DATABASE_URL, under the deploy lock', async () => {
    const root = `mig-${process.pid}`;
    mkdirSync(join(home, root, 'releases', 'r1'), { recursive: true });
    execFileSync('chown', ['-R', `${USER}:`, join(home, root)]);
    const run = await runBundle(
      'migrate',
      {
        tool: 'command',
        command: 'printf "%s|%s\\n" "$(pwd -P)" "$DATABASE_URL" > ran.txt; echo "Applied 2 migrations"',
        'database-url': URL,
        where: 'ssh',
        release: 'r1',
        hosts: `${USER}@127.0.0.1:${sshd.port}`,
        'ssh-key': sshd.privateKey,
        'known-hosts': sshd.knownHosts,
        path: root,
      },
      { post: true },
    );
    expect(run.exitCode, run.stdout).toBe(0);
    expect(readFileSync(join(home, root, 'releases/r1/ran.txt'), 'utf8')).toBe(`${join(home, root, 'releases/r1')}|${URL}\n`);
    expect(run.stdout).toContain('Applied 2 migrations');
    expect(existsSync(join(home, root, '.deploy-kit/lock'))).toBe(false);
    expect(run.summary).toContain('on release r1');
  });

  it('a migrate killed while it holds the deploy lock: the post step releases the lock', async () => {
    const root = `mig-killed-${process.pid}`;
    mkdirSync(join(home, root, 'releases', 'r1'), { recursive: true });
    execFileSync('chown', ['-R', `${USER}:`, join(home, root)]);
    const lock = join(home, root, '.deploy-kit/lock');
    const step = startBundle('migrate', {
      tool: 'command',
      command: 'touch started; sleep 30',
      where: 'ssh',
      release: 'r1',
      hosts: `${USER}@127.0.0.1:${sshd.port}`,
      'ssh-key': sshd.privateKey,
      'known-hosts': sshd.knownHosts,
      path: root,
    });
    try {
      await waitFor('the migration to run under the lock', () => existsSync(join(home, root, 'releases/r1/started')));
      expect(existsSync(lock)).toBe(true);
      step.killTree();
      await step.done;
      expect(existsSync(lock)).toBe(true);
      const post = await step.runPost();
      expect(post.exitCode, post.stdout).toBe(0);
      expect(post.stdout).toContain('released the deploy lock this run still held');
      expect(existsSync(lock)).toBe(false);
    } finally {
      step.killTree();
      step.cleanup();
    }
  }, 120_000);

  it('fails clearly when the release does not exist on the host', async () => {
    const root = `mig-missing-${process.pid}`;
    const run = await runBundle('migrate', {
      tool: 'django',
      where: 'ssh',
      release: 'nope',
      hosts: `${USER}@127.0.0.1:${sshd.port}`,
      'ssh-key': sshd.privateKey,
      'known-hosts': sshd.knownHosts,
      path: root,
    });
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toMatch(/django in .*releases\/nope.* failed with exit code/);
  });
});
