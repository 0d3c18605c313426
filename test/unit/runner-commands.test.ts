import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { parseFileCommands } from '../../harness/services/runner.js';
import * as commands from '../../src/runtime/runner-commands.js';

describe('workflow commands as the runner reads them', () => {
  let dir: string;
  let printed: string;
  const saved = { ...process.env };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dk-commands-'));
    for (const file of ['OUTPUT', 'STATE', 'STEP_SUMMARY']) {
      process.env[`GITHUB_${file}`] = join(dir, file);
      writeFileSync(join(dir, file), '');
    }
    printed = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed += String(chunk);
      return true;
    });
  });

  afterEach(() => {
    vi.restoreAllMocks();
    process.env = { ...saved };
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes outputs and state as heredoc blocks, multi-line values and "=" intact', () => {
    commands.setOutput('plan', 'line one\nkey=value\n');
    commands.setOutput('empty', '');
    commands.saveState('token', 'a=b');
    expect(parseFileCommands(readFileSync(join(dir, 'OUTPUT'), 'utf8'))).toEqual({ plan: 'line one\nkey=value\n', empty: '' });
    expect(parseFileCommands(readFileSync(join(dir, 'STATE'), 'utf8'))).toEqual({ token: 'a=b' });
    expect(readFileSync(join(dir, 'OUTPUT'), 'utf8')).toMatch(/^plan<<ghadelimiter_[0-9a-f-]{36}\n/);
  });

  it('falls back to the stdout command without the file, as older runners read it', () => {
    delete process.env.GITHUB_OUTPUT;
    commands.setOutput('url', 'https://x');
    expect(printed).toBe('::set-output name=url::https://x\n');
  });

  it('escapes messages and annotation properties so a message cannot start a command of its own', () => {
    commands.warning('50% done\n::add-mask::x', { title: 'a: b, c', file: 'src/a.ts', startLine: 3, startColumn: 7 });
    commands.error('plain');
    commands.setSecret('s3cr%t');
    expect(printed.split('\n')).toEqual([
      '::warning title=a%3A b%2C c,file=src/a.ts,line=3,col=7::50%25 done%0A::add-mask::x',
      '::error::plain',
      '::add-mask::s3cr%25t',
      '',
    ]);
  });

  it('reads inputs as the runner passes them, trimmed; state from STATE_*', () => {
    process.env['INPUT_SSH-KEY'] = '  key\n';
    process.env.STATE_isPost = 'true';
    expect(commands.getInput('ssh-key')).toBe('key');
    expect(commands.getInput('missing')).toBe('');
    expect(commands.getState('isPost')).toBe('true');
  });

  it('groups output and ends the group when the body throws; appends the summary as given', async () => {
    await expect(
      commands.group('deploy', async () => {
        throw new Error('x');
      }),
    ).rejects.toThrow('x');
    expect(printed).toBe('::group::deploy\n::endgroup::\n');
    commands.appendSummary('## one\n');
    commands.appendSummary('## two\n');
    expect(readFileSync(join(dir, 'STEP_SUMMARY'), 'utf8')).toBe('## one\n## two\n');
  });

  it('setFailed marks the step failed with an error annotation', () => {
    const before = process.exitCode;
    commands.setFailed('boom');
    expect(process.exitCode).toBe(1);
    expect(printed).toBe('::error::boom\n');
    process.exitCode = before;
  });
});
