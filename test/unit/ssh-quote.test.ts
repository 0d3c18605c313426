import { execFileSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { shellCommand, shellQuote } from '../../src/core/shell.js';

/** What bash makes of a command line: each argument it passes to printf, NUL-separated. */
function bashArgs(commandLine: string): string[] {
  const out = execFileSync('bash', ['--noprofile', '--norc', '-c', `printf '%s\\0' ${commandLine}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const HOSTILE = [
  '',
  ' ',
  'plain',
  'two words',
  "it's",
  "''",
  '"double"',
  '$(touch /tmp/dk-pwned)',
  '`id`',
  '$HOME',
  '${PATH}',
  'a\nb',
  '\n',
  'line1\r\nline2\t tab',
  '-rf',
  '--delete',
  '; rm -rf /',
  'a && b || c',
  '| cat',
  '> /etc/passwd',
  '*',
  '~',
  '!!',
  '\\',
  "'\\''",
  '#comment',
  'ünïcødé ✓',
  '%h:%p',
  'x=$(y)',
];

describe('shellQuote', () => {
  it.each(HOSTILE.map((value) => [value]))('%j reaches bash as exactly itself', (value) => {
    expect(bashArgs(shellQuote(value))).toEqual([value]);
  });

  it('runs nothing hidden in a value', () => {
    expect(bashArgs(shellQuote('$(echo injected)`echo too`'))).toEqual(['$(echo injected)`echo too`']);
  });

  it.each([
    ['/srv/app', '/srv/app'],
    ['deploy@web1:2222', 'deploy@web1:2222'],
    ['', "''"],
    ['a b', "'a b'"],
    ["it's", "'it'\\''s'"],
  ])('leaves plain words readable: %j → %s', (value, quoted) => {
    expect(shellQuote(value)).toBe(quoted);
  });
});

describe('shellCommand', () => {
  it('keeps every argument separate, however hostile', () => {
    expect(bashArgs(shellCommand(HOSTILE))).toEqual(HOSTILE);
  });

  it('quotes an argv the way ssh runs a remote command', () => {
    expect(shellCommand(['bash', '--noprofile', '--norc', '-s'])).toBe('bash --noprofile --norc -s');
    expect(shellCommand(['sh', '-c', 'mkdir -p "$1"', 'sh', '/srv/my app'])).toBe(`sh -c 'mkdir -p "$1"' sh '/srv/my app'`);
  });
});
