import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { ConfigurationError } from '../../src/core/errors.js';
import {
  bool,
  choice,
  content,
  duration,
  integer,
  list,
  optionalText,
  parseDuration,
  parseInputs,
  pattern,
  required,
  text,
} from '../../src/core/inputs.js';

/** The message zod reports for a value the helper refuses, or undefined when it is accepted. */
function problem(schema: z.ZodType<unknown, string>, value: string): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error.issues.map((i) => i.message).join('; ');
}

describe('text, optionalText, content, required', () => {
  it.each([
    ['', 'dflt'],
    ['   ', 'dflt'],
    ['  value  ', 'value'],
    ['a b', 'a b'],
  ])('text("dflt") reads %j as %j', (input, expected) => {
    expect(text('dflt').parse(input)).toBe(expected);
  });

  it.each([
    ['', undefined],
    [' \n ', undefined],
    [' x ', 'x'],
  ])('optionalText reads %j as %j', (input, expected) => {
    expect(optionalText().parse(input)).toBe(expected);
  });

  it('content keeps multi-line values as they are, with CRLF turned into LF', () => {
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\r\nabc\r\n  indented\r\n-----END OPENSSH PRIVATE KEY-----\r\n';
    expect(content().parse(key)).toBe('-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n  indented\n-----END OPENSSH PRIVATE KEY-----\n');
    expect(content().parse('  \n')).toBeUndefined();
  });

  it('required refuses empty and blank values with the given wording, and trims the rest', () => {
    expect(problem(required(), '')).toBe('expected a value (it is required)');
    expect(problem(required('the deploy root'), '  ')).toBe('expected the deploy root');
    expect(required().parse(' /srv/app ')).toBe('/srv/app');
  });
});

describe('bool accepts only the YAML 1.2 core booleans', () => {
  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    [' true ', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
  ])('%j is %s', (input, expected) => {
    expect(bool(!expected).parse(input)).toBe(expected);
  });

  it.each([[true], [false]])('an empty value is the default (%s)', (dflt) => {
    expect(bool(dflt).parse('')).toBe(dflt);
  });

  it.each(['yes', 'no', 'on', 'off', '1', '0', 'tRuE', 'y', 'truee'])('%j is refused, naming the value', (input) => {
    expect(problem(bool(false), input)).toBe(`expected true or false, got "${input}"`);
  });
});

describe('list splits on commas and newlines', () => {
  it.each([
    ['', []],
    ['a', ['a']],
    ['a,b', ['a', 'b']],
    ['a, b ,c', ['a', 'b', 'c']],
    ['a\nb\n', ['a', 'b']],
    ['a,\n\n,b', ['a', 'b']],
    [' web1.example.com:2222 ,\n deploy@web2 ', ['web1.example.com:2222', 'deploy@web2']],
  ])('%j → %j', (input, expected) => {
    expect(list().parse(input)).toEqual(expected);
  });
});

describe('integer', () => {
  const keep = integer(5, 2, 1000);
  it.each([
    ['', 5],
    ['2', 2],
    [' 1000 ', 1000],
    ['007', 7],
  ])('%j → %d', (input, expected) => {
    expect(keep.parse(input)).toBe(expected);
  });

  it.each([
    ['1', 'expected a number from 2 to 1000, got 1'],
    ['1001', 'expected a number from 2 to 1000, got 1001'],
    ['-3', 'expected a whole number, got "-3"'],
    ['2.5', 'expected a whole number, got "2.5"'],
    ['five', 'expected a whole number, got "five"'],
    ['1e3', 'expected a whole number, got "1e3"'],
  ])('%j is refused: %s', (input, message) => {
    expect(problem(keep, input)).toBe(message);
  });
});

describe('duration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['90', 90_000],
    ['1.5s', 1500],
    [' 2m ', 120_000],
  ])('parseDuration(%j) = %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['', '5 m', '5min', '-5s', '1d', 'ms', 's5', '1h30m'])('parseDuration(%j) is not a duration', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  it('an empty input takes the default, and a bad one names the value', () => {
    expect(duration('5m').parse('')).toBe(300_000);
    expect(duration('5m').parse('10s')).toBe(10_000);
    expect(problem(duration('5m'), 'soon')).toBe('expected a duration such as 30s, 5m or 1h, got "soon"');
  });
});

describe('choice', () => {
  const transport = choice(['ssh', 'local'] as const, 'ssh');
  it('accepts the listed values and defaults an empty one', () => {
    expect(transport.parse('local')).toBe('local');
    expect(transport.parse(' ssh ')).toBe('ssh');
    expect(transport.parse('')).toBe('ssh');
  });
  it('refuses anything else, listing the choices', () => {
    expect(problem(transport, 'SSH')).toBe('expected one of ssh, local, got "SSH"');
    expect(problem(choice(['a', 'b'] as const), '')).toBe('expected one of a, b, got ""');
  });
});

describe('pattern', () => {
  const user = pattern(/^[a-z]+$/, 'a lower-case name');
  it('accepts a match, treats empty as absent, and refuses the rest naming the value', () => {
    expect(user.parse(' deploy ')).toBe('deploy');
    expect(user.parse('')).toBeUndefined();
    expect(problem(user, 'root;id')).toBe('expected a lower-case name, got "root;id"');
  });
});

describe('parseInputs', () => {
  const schema = z.object({
    path: required('the deploy root'),
    'keep-releases': integer(5, 2, 100),
    'dry-run': bool(false),
    hosts: list(),
    timeout: duration('30s'),
  });

  it('returns the typed record with defaults applied', () => {
    expect(parseInputs(schema, { path: '/srv/app', 'keep-releases': '', 'dry-run': 'true', hosts: 'a,b', timeout: '' })).toEqual({
      path: '/srv/app',
      'keep-releases': 5,
      'dry-run': true,
      hosts: ['a', 'b'],
      timeout: 30_000,
    });
  });

  it('throws one ConfigurationError naming every bad input', () => {
    let caught: unknown;
    try {
      parseInputs(schema, { path: '', 'keep-releases': '1', 'dry-run': 'yes', hosts: '', timeout: 'later' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as Error).message.split('\n')).toEqual([
      'input "path": expected the deploy root',
      'input "keep-releases": expected a number from 2 to 100, got 1',
      'input "dry-run": expected true or false, got "yes"',
      'input "timeout": expected a duration such as 30s, 5m or 1h, got "later"',
    ]);
  });
});
