import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ROOT } from '../../harness/services/runner.js';
import { actions } from '../../src/registry.js';

/** Runs the committed CLI bundle the way a user does: `node dist/cli/index.js ...`. */
function deployKit(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [join(ROOT, 'dist/cli/index.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH!, HOME: dir, ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dk-clibundle-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const names = Object.keys(actions);

describe('deploy-kit CLI bundle', () => {
  it.each([['--help'], ['-h']])('%s prints the usage with every action and exits 0', (flag) => {
    const run = deployKit([flag]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('usage: deploy-kit <action> --input value');
    expect(run.stdout).toContain(`actions: ${names.join(', ')}`);
  });

  it('without an action prints the usage on stderr and exits 2', () => {
    const run = deployKit([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('usage: deploy-kit');
    expect(run.stdout).toBe('');
  });

  it('an unknown action exits 2, listing the known ones', () => {
    const run = deployKit(['nope', '--path', '/srv/app']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`unknown action "nope"; known: ${names.join(', ')}\n`);
    expect(run.stdout).toBe('');
  });

  it.each(names.map((name) => [name]))('%s --help lists its inputs as flags', (name) => {
    const run = deployKit([name, '--help']);
    expect(run.code).toBe(0);
    for (const input of Object.keys(actions[name]!.schema.shape)) expect(run.stdout).toContain(`--${input}`);
  });

  it('a bad input exits 1 with a configuration error before touching anything', () => {
    const root = join(dir, 'refused');
    const run = deployKit(['backend', '--transport', 'local', '--path', `${root} x`, '--keep-releases', '1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('backend: configuration error:');
    expect(run.stderr).toContain('input "keep-releases": expected a number from 2 to 1000, got 1');
    expect(run.stdout).toBe('');
    expect(existsSync(root)).toBe(false);
  });

  it('an unreadable --<input>-file is a configuration error naming the flag', () => {
    const run = deployKit(['backend', '--ssh-key-file', join(dir, 'no-such-key')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`backend: configuration error:\n--ssh-key-file: cannot read ${join(dir, 'no-such-key')}`);
    expect(run.stderr).not.toContain('unexpected error');
  });

  it('deploys to a local root: outputs on stdout as name=value, logs and summary on stderr', () => {
    const source = join(dir, 'app');
    mkdirSync(source, { recursive: true });
    writeFileSync(join(source, 'VERSION'), 'v1');
    const root = join(dir, 'root');
    const run = deployKit(['backend', '--transport=local', '--source', source, '--release-id', 'r1'], { DEPLOY_KIT_PATH: root });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`release=r1\nrelease-path=${root}/releases/r1\nhosts=local\n`);
    expect(run.stderr).toContain('| local | deployed |');
    expect(readlinkSync(join(root, 'current'))).toBe('releases/r1');
    expect(readFileSync(join(root, 'current', 'VERSION'), 'utf8')).toBe('v1');
  });
});
