import { describe, expect, it } from 'vitest';

import { type Logger, maskSecret, redact } from '../../src/core/logger.js';
import { Summary } from '../../src/core/summary.js';

/** A logger that only records what was masked, as the runtimes do. */
function masking(): Logger & { masked: Set<string>; show(text: string): string } {
  const masked = new Set<string>();
  return {
    masked,
    show: (text) => redact(text, masked),
    info: () => undefined,
    warning: () => undefined,
    error: () => undefined,
    debug: () => undefined,
    mask: (s) => void masked.add(s),
    group: (_name, fn) => fn(),
  };
}

const KEY = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
  'QyNTUxOQAAACDm1Nc6cHlHl2jGjVBq7YfQ1d8m3cVZx4Yp2o1X9yq9nQAAAJgS1v3XEtb9',
  '1wAAAAtzc2gtZWQyNTUxOQAAACDm1Nc6cHlHl2jGjVBq7YfQ1d8m3cVZx4Yp2o1X9yq9nQ',
  '-----END OPENSSH PRIVATE KEY-----',
].join('\n');

describe('maskSecret + redact', () => {
  it.each([
    ['the value itself', 'p@ss w/rd&x=1', (s: string) => `password is ${s}.`],
    [
      'the value as base64 (an Authorization: Basic header, a k8s secret)',
      'p@ss w/rd&x=1',
      (s: string) => `token ${Buffer.from(s).toString('base64')}`,
    ],
    ['the value URL-encoded (in a connection URL)', 'p@ss w/rd&x=1', (s: string) => `postgres://app:${encodeURIComponent(s)}@db/app`],
    ['surrounding whitespace trimmed', '  hunter22  ', () => 'login with hunter22 ok'],
  ])('hides %s', (_what, secret, leak) => {
    const logger = masking();
    maskSecret(logger, secret);
    const shown = logger.show(leak(secret));
    expect(shown).toContain('***');
    expect(shown).not.toContain(secret.trim());
    expect(shown).not.toContain(Buffer.from(secret.trim()).toString('base64'));
    expect(shown).not.toContain(encodeURIComponent(secret.trim()));
  });

  it('hides every line of a multi-line key on its own, as tools print them one by one', () => {
    const logger = masking();
    maskSecret(logger, `${KEY}\n`);
    for (const line of KEY.split('\n')) expect(logger.show(`debug: read "${line}"`)).toBe('debug: read "***"');
    expect(logger.show(`key:\n${KEY}\nend`)).toBe('key:\n***\nend');
  });

  it('does not mask short lines or empty secrets, which would blank out ordinary words', () => {
    const logger = masking();
    maskSecret(logger, 'line-one-long\nab\n');
    maskSecret(logger, '   ');
    expect(logger.masked.has('ab')).toBe(false);
    expect(logger.masked.has('')).toBe(false);
    expect(logger.show('ab cd line-one-long')).toBe('ab cd ***');
  });

  it('redact replaces longer secrets first, so no part of a longer one is left', () => {
    expect(redact('abcdef and abc', ['abc', 'abcdef'])).toBe('*** and ***');
    expect(redact('nothing to hide', [''])).toBe('nothing to hide');
    expect(redact('a.b.c a.b.c', ['a.b.c'])).toBe('*** ***');
  });
});

describe('Summary', () => {
  it('escapes | and newlines in table cells so a value cannot break the table', () => {
    const md = new Summary()
      .heading('Backend deploy')
      .table(['host', 'status', 'error'], [['web1|web2', 'failed', 'line 1\nline 2']])
      .toMarkdown();
    expect(md).toBe('## Backend deploy\n\n| host | status | error |\n| --- | --- | --- |\n| web1\\|web2 | failed | line 1<br>line 2 |\n');
  });

  it('leaves out a table without rows, and is empty until something is added', () => {
    const summary = new Summary();
    expect(summary.empty).toBe(true);
    expect(summary.table(['a'], []).toMarkdown()).toBe('');
    expect(summary.empty).toBe(true);
    expect(summary.heading('Rollback', 3).line('to r1').toMarkdown()).toBe('### Rollback\n\nto r1\n');
    expect(summary.empty).toBe(false);
  });
});
