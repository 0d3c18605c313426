import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';

import { afterEach, describe, expect, it } from 'vitest';

import { recordingLogger } from '../../harness/services/recording-logger.js';
import { redactedJson, redactValues, textStream, writeTextFile } from '../../src/core/file-sinks.js';
import type { Logger } from '../../src/core/logger.js';
import { SecretRegistry } from '../../src/core/secrets.js';

const SECRET = 'tok"en\\with/=:%2f-0001';

function loggerWith(secret: string): Logger {
  const secrets = new SecretRegistry();
  secrets.add(secret);
  return { ...recordingLogger(), redact: (t) => secrets.redact(t) };
}

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

describe('file sinks', () => {
  it('redacts every string of a record, keys included, and keeps other values', () => {
    const record = { reason: `refused ${SECRET}`, nested: [{ [SECRET]: 'x' }], size: 3, ok: true, none: null };
    expect(redactValues(loggerWith(SECRET), record)).toEqual({
      reason: 'refused ***',
      nested: [{ '***': 'x' }],
      size: 3,
      ok: true,
      none: null,
    });
  });

  it('writes JSON that stays valid whatever the secret holds (quotes, backslashes)', () => {
    const json = redactedJson(loggerWith(SECRET), { line: `a ${SECRET} b`, quoted: JSON.stringify(SECRET) }, 2);
    expect(json).not.toContain('tok');
    expect(JSON.parse(json)).toEqual({ line: 'a *** b', quoted: '"***"' });
  });

  it('writes files and storage bodies redacted, with the mode asked for', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dk-file-sinks-'));
    const file = join(dir, 'report.json');
    writeTextFile(loggerWith(SECRET), file, `{"token": ${JSON.stringify(SECRET)}}`, 0o640);
    expect(readFileSync(file, 'utf8')).toBe('{"token": "***"}');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(await text(textStream(loggerWith(SECRET), `manifest ${Buffer.from(SECRET).toString('base64')}`))).toBe('manifest ***');
  });

  it('leaves text as it is for a logger without a redaction (unit-test loggers)', () => {
    expect(redactValues(recordingLogger(), { a: SECRET })).toEqual({ a: SECRET });
  });
});
