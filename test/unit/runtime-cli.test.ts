import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { type ActionDefinition, defineAction } from '../../src/core/action.js';
import { ConfigurationError, OperationalError } from '../../src/core/errors.js';
import { bool, optionalText, required } from '../../src/core/inputs.js';
import { parseFlags, runCli } from '../../src/runtime/cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dk-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KNOWN = ['hosts', 'path', 'ssh-key', 'dry-run'];

describe('parseFlags', () => {
  it.each<[string, string[], Record<string, string | undefined>, Record<string, string>]>([
    ['nothing given: every input empty', [], {}, { hosts: '', path: '', 'ssh-key': '', 'dry-run': '' }],
    ['--name value', ['--hosts', 'a,b', '--path', '/srv/app'], {}, { hosts: 'a,b', path: '/srv/app', 'ssh-key': '', 'dry-run': '' }],
    [
      '--name=value, keeping later "="',
      ['--path=/srv/app', '--hosts=a=b'],
      {},
      { hosts: 'a=b', path: '/srv/app', 'ssh-key': '', 'dry-run': '' },
    ],
    ['--name= gives an empty value', ['--path='], { DEPLOY_KIT_PATH: '/from/env' }, { hosts: '', path: '', 'ssh-key': '', 'dry-run': '' }],
    ['a bare flag is true', ['--dry-run'], {}, { hosts: '', path: '', 'ssh-key': '', 'dry-run': 'true' }],
    [
      'a bare flag before another flag is true',
      ['--dry-run', '--path', 'p'],
      {},
      { hosts: '', path: 'p', 'ssh-key': '', 'dry-run': 'true' },
    ],
    ['a value may start with a single dash', ['--path', '-x'], {}, { hosts: '', path: '-x', 'ssh-key': '', 'dry-run': '' }],
    [
      'a value may start with --, as a private key does (only a known flag ends a value)',
      ['--ssh-key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn=\n-----END OPENSSH PRIVATE KEY-----', '--dry-run'],
      {},
      {
        hosts: '',
        path: '',
        'ssh-key': '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn=\n-----END OPENSSH PRIVATE KEY-----',
        'dry-run': 'true',
      },
    ],
    [
      'a value may look like an unknown flag',
      ['--path', '--not-an-input'],
      {},
      { hosts: '', path: '--not-an-input', 'ssh-key': '', 'dry-run': '' },
    ],
    [
      'DEPLOY_KIT_<NAME> fills an input',
      [],
      { DEPLOY_KIT_SSH_KEY: 'KEY', DEPLOY_KIT_DRY_RUN: 'false' },
      { hosts: '', path: '', 'ssh-key': 'KEY', 'dry-run': 'false' },
    ],
    [
      'a flag wins over the environment',
      ['--hosts', 'cli'],
      { DEPLOY_KIT_HOSTS: 'env' },
      { hosts: 'cli', path: '', 'ssh-key': '', 'dry-run': '' },
    ],
  ])('%s', (_what, argv, env, expected) => {
    expect(parseFlags(argv, KNOWN, env)).toEqual(expected);
  });

  it('--<name>-file reads the value from a file, kept whole', () => {
    const keyFile = join(dir, 'id_ed25519');
    writeFileSync(keyFile, '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n');
    expect(parseFlags(['--ssh-key-file', keyFile], KNOWN, {})['ssh-key']).toBe(
      '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n',
    );
    expect(parseFlags([`--ssh-key-file=${keyFile}`], KNOWN, {})['ssh-key']).toContain('abc');
  });

  it.each([
    [['--nope', 'x'], 'unknown flag --nope; known: --hosts --path --ssh-key --dry-run'],
    [['--path-files', 'x'], 'unknown flag --path-files; known:'],
    [['backend'], 'unexpected argument at position 1 (not shown): inputs are given as --name value'],
    [['--path', 'a', 'b'], 'unexpected argument at position 3 (not shown)'],
    [['--ssh-key=x', '--pass=hunter2'], 'unknown flag --pass; known:'],
    [['--BEGIN KEY x'], 'unknown flag at position 1 (not shown: it is not a flag name)'],
    [['--ssh-key-file', '/nonexistent/dk-key'], '--ssh-key-file: cannot read /nonexistent/dk-key'],
  ])('%j is a configuration error: %s', (argv, message) => {
    let caught: unknown;
    try {
      parseFlags(argv, KNOWN, {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as Error).message).toContain(message);
  });
});

/** A tiny action: greets, sets outputs, fails on request, and records its cleanup. */
function demoAction(log: string[], options: { postThrows?: boolean } = {}): ActionDefinition {
  return defineAction({
    name: 'demo',
    schema: z.object({ name: required('a name'), token: optionalText(), fail: bool(false) }),
    secretInputs: ['token'],
    outputs: ['greeting', 'url'],
    async run(inputs, ctx) {
      ctx.outputs.set('greeting', `hello ${inputs.name}`);
      if (inputs.token) ctx.outputs.set('url', `https://api.example.com/?token=${inputs.token}`);
      ctx.logger.info(`calling the API with ${inputs.token}`);
      ctx.logger.info(`as base64: ${Buffer.from(inputs.token ?? '').toString('base64')}`);
      ctx.summary.heading('Demo').line(`greeted ${inputs.name}`);
      if (inputs.fail) throw new OperationalError(`the API refused ${inputs.token}`, 'check the token');
    },
    async post(ctx) {
      log.push('post');
      ctx.logger.info('cleaning up');
      if (options.postThrows) throw new Error('socket already gone');
    },
  });
}

async function cli(definition: ActionDefinition, argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(definition, { argv, env, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

const TOKEN = 'tok_9f8e7d6c5b4a';

describe('runCli', () => {
  it('prints outputs on stdout as name=value and logs and the summary on stderr, with secrets redacted', async () => {
    const log: string[] = [];
    const run = await cli(demoAction(log), ['--name', 'world', '--token', TOKEN]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('greeting=hello world\nurl=https://api.example.com/?token=***\n');
    expect(run.stderr).toContain('calling the API with ***\n');
    expect(run.stderr).toContain('as base64: ***\n');
    expect(run.stderr).toContain('## Demo\n\ngreeted world');
    expect(run.stderr).not.toContain(TOKEN);
    expect(run.stderr).not.toContain(Buffer.from(TOKEN).toString('base64'));
    expect(log).toEqual(['post']);
  });

  it('takes a secret from DEPLOY_KIT_<NAME> and redacts it too', async () => {
    const run = await cli(demoAction([]), ['--name', 'env'], { DEPLOY_KIT_TOKEN: TOKEN });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('url=https://api.example.com/?token=***');
    expect(run.stderr + run.stdout).not.toContain(TOKEN);
  });

  it('exits 1 on failure, saying what to do next, still printing the outputs set so far and running post', async () => {
    const log: string[] = [];
    const run = await cli(demoAction(log), ['--name', 'world', '--token', TOKEN, '--fail']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('demo: the API refused ***\nNext: check the token\n');
    expect(run.stderr).not.toContain(TOKEN);
    expect(run.stdout).toBe('greeting=hello world\nurl=https://api.example.com/?token=***\n');
    expect(log).toEqual(['post']);
  });

  it.each([
    [
      ['--token', TOKEN],
      'demo: configuration error:\ninput "name": expected a name\nFix the inputs above; nothing was changed on any host.',
    ],
    [['--name', 'x', '--fail', 'yes'], 'input "fail": expected true or false, got "yes"'],
    [['--name', 'x', '--colour', 'red'], 'unknown flag --colour; known: --name --token --fail'],
  ])('exits 1 on a bad command line %j, running post all the same', async (argv, message) => {
    const log: string[] = [];
    const run = await cli(demoAction(log), argv);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain(TOKEN);
    expect(run.stdout).toBe('');
    expect(log).toEqual(['post']);
  });

  it('issue #16 reproduction 1: a secret beginning with -- is read as the value, and an unknown flag beside it is named only', async () => {
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA=secretpart\n-----END OPENSSH PRIVATE KEY-----';
    const run = await cli(demoAction([]), ['--name', 'x', '--token', key, '--colour', 'red']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('unknown flag --colour; known:');
    expect(run.stderr).not.toContain('b3BlbnNzaC1rZXktdjEAAAAA');
    expect(run.stderr).not.toContain('BEGIN OPENSSH');
    const misplaced = await cli(demoAction([]), ['--name', 'x', key]);
    expect(misplaced.stderr).toContain('at position 3 (not shown');
    expect(misplaced.stderr).not.toContain('b3BlbnNzaC1rZXktdjEAAAAA');
  });

  it('a failing cleanup is a warning and does not change the exit code', async () => {
    const run = await cli(demoAction([], { postThrows: true }), ['--name', 'world']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('warning: cleanup: socket already gone');
  });
});
