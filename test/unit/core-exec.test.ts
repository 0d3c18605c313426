import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { utcStamp } from '../../src/core/clock.js';
import { CommandError, errorMessage, OperationalError, tail, ToolNotFoundError } from '../../src/core/errors.js';
import { processExecutor, runChecked } from '../../src/core/exec.js';
import { describeFailure } from '../../src/runtime/errors.js';

let dir: string;
beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'dk-exec-')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('processExecutor', () => {
  it('passes each argument as is, never through a shell', async () => {
    const args = ['$(touch pwned)', '; rm -rf /', "it's", 'a b', '*'];
    const result = await processExecutor.run(['printf', '%s\\n', ...args], { cwd: dir });
    expect(result).toEqual({ exitCode: 0, stdout: `${args.join('\n')}\n`, stderr: '' });
  });

  it.each([
    ['a string', 'line 1\nline 2\n'],
    ['a Buffer', Buffer.from('bytes\n')],
    ['a stream', Readable.from(['chunk 1\n', 'chunk 2\n'])],
  ])('feeds stdin from %s', async (_what, stdin) => {
    const expected = typeof stdin === 'string' ? stdin : Buffer.isBuffer(stdin) ? stdin.toString() : 'chunk 1\nchunk 2\n';
    expect((await processExecutor.run(['cat'], { stdin })).stdout).toBe(expected);
  });

  it('runs in cwd with the environment plus the given variables, and returns a failing exit code with stderr', async () => {
    const result = await processExecutor.run(['bash', '-c', 'echo "$PWD $DK_TEST ${PATH:+has-path}"; echo oops >&2; exit 3'], {
      cwd: dir,
      env: { DK_TEST: 'x y' },
    });
    expect(result).toEqual({ exitCode: 3, stdout: `${dir} x y has-path\n`, stderr: 'oops\n' });
  });

  it('says which program is missing', async () => {
    await expect(processExecutor.run(['dk-no-such-program', '--version'])).rejects.toThrow(
      'dk-no-such-program is not installed or not on PATH',
    );
    await expect(processExecutor.run([])).rejects.toThrow('empty command');
  });

  it('reports a missing tool as an operational failure whose hint names the package to install', async () => {
    const error = await processExecutor.run(['rsync-not-here']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationalError);
    const rsync = new ToolNotFoundError('rsync');
    expect(rsync).toBeInstanceOf(OperationalError);
    expect(rsync.hint).toContain('apt-get install -y rsync');
    expect(describeFailure('backend', rsync)).not.toContain('unexpected error');
  });

  it('kills a command that outlives its timeout', async () => {
    const result = await processExecutor.run(['sleep', '30'], { timeoutMs: 200 });
    expect(result.exitCode).toBe(137);
  });
});

describe('runChecked', () => {
  it('returns the result on success and throws a CommandError with the exit code and last lines on failure', async () => {
    expect((await runChecked(processExecutor, 'echo', ['echo', 'hi'])).stdout).toBe('hi\n');
    const script = 'for i in $(seq 1 30); do echo "out $i"; done; echo "fatal: no space left" >&2; exit 2';
    const error = await runChecked(processExecutor, 'building the image', ['bash', '-c', script]).then(
      () => undefined,
      (e: unknown) => e as CommandError,
    );
    expect(error).toBeInstanceOf(CommandError);
    expect(error!.exitCode).toBe(2);
    expect(error!.message.split('\n')).toEqual([
      'building the image failed with exit code 2:',
      ...Array.from({ length: 19 }, (_, i) => `out ${i + 12}`),
      'fatal: no space left',
    ]);
  });
});

describe('small helpers', () => {
  it.each([
    ['a\n\n b \n\nc\n', 2, ' b \nc'],
    ['only', 20, 'only'],
    ['\n \n', 5, ''],
  ])('tail(%j, %d) keeps the last non-empty lines', (text, count, expected) => {
    expect(tail(text, count)).toBe(expected);
  });

  it('errorMessage reads errors and anything thrown', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('text')).toBe('text');
    expect(errorMessage(42)).toBe('42');
  });

  it('utcStamp is the sortable UTC stamp of release ids', () => {
    expect(utcStamp(new Date('2026-03-01T04:05:06.789Z'))).toBe('20260301040506');
    expect(utcStamp(new Date('2026-12-31T23:59:59Z')) < utcStamp(new Date('2027-01-01T00:00:00Z'))).toBe(true);
  });
});
