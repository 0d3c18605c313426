// In-process age (the age-encryption package) against the real age CLI, both ways, and its memory on a
// stream far larger than any buffer: what a runner without the CLI (GitHub's ubuntu images) relies on.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';

import { afterAll, describe, expect, it } from 'vitest';

import { ageKeyPair } from '../../harness/services/backup.js';
import { ageDecryptStream, ageEncryptStream, libraryRecipientsOf } from '../../src/backup/age-stream.js';
import { openStream, sealStream } from '../../src/backup/pipeline.js';

const dir = mkdtempSync(join(tmpdir(), 'dk-age-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function identityFile(identity: string): string {
  const file = join(mkdtempSync(join(dir, 'id-')), 'identity');
  writeFileSync(file, identity, { mode: 0o600 });
  return file;
}

/** A dump-like payload: incompressible and compressible parts, not a multiple of age's 64 KiB chunk. */
const dump = Buffer.concat([randomBytes(200_001), Buffer.alloc(1_500_000, 'row data '), randomBytes(65_536)]);

describe('age in-process, read and written by the age CLI', () => {
  it('kit encrypts (no CLI) → age -d decrypts, with two X25519 recipients, either identity', async () => {
    const [one, two] = [ageKeyPair(), ageKeyPair()];
    const sealed = sealStream(
      Readable.from([dump]),
      { compression: 'zstd', recipients: [one.recipient, two.recipient], ageCli: false },
      Promise.resolve(),
    );
    const [stored] = await Promise.all([collect(sealed.output), sealed.done]);
    expect(stored.subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    expect(sealed.digest.sha256).toBe(createHash('sha256').update(stored).digest('hex'));
    for (const key of [one, two]) {
      const compressed = execFileSync('age', ['-d', '-i', identityFile(key.identity)], { input: stored, maxBuffer: 1 << 26 });
      expect(execFileSync('zstd', ['-q', '-d', '-c'], { input: compressed, maxBuffer: 1 << 26 }).equals(dump)).toBe(true);
    }
  });

  it('age encrypts → kit decrypts (no CLI), from an identity file with comments as age-keygen writes it', async () => {
    const key = ageKeyPair();
    expect(key.identity).toMatch(/^# created: /);
    const compressed = execFileSync('zstd', ['-q', '-c'], { input: dump, maxBuffer: 1 << 26 });
    const stored = execFileSync('age', ['-r', key.recipient], { input: compressed, maxBuffer: 1 << 26 });
    const opened = openStream(Readable.from([stored]), { compression: 'zstd', identityFile: identityFile(key.identity), ageCli: false });
    const [back] = await Promise.all([collect(opened.output), opened.done]);
    expect(back.equals(dump)).toBe(true);
    expect(opened.digest.sha256).toBe(createHash('sha256').update(stored).digest('hex'));
  });

  it('the CLI fast path and the library write the same format (CLI seal → library open, library seal → CLI open)', async () => {
    const key = ageKeyPair();
    const file = identityFile(key.identity);
    for (const [sealCli, openCli] of [
      [true, false],
      [false, true],
    ]) {
      const sealed = sealStream(
        Readable.from([dump]),
        { compression: 'gzip', recipients: [key.recipient], ageCli: sealCli },
        Promise.resolve(),
      );
      const [stored] = await Promise.all([collect(sealed.output), sealed.done]);
      const opened = openStream(Readable.from([stored]), { compression: 'gzip', identityFile: file, ageCli: openCli });
      const [back] = await Promise.all([collect(opened.output), opened.done]);
      expect(back.equals(dump)).toBe(true);
    }
  });

  it('the wrong identity fails the chain, naming age decryption', async () => {
    const stored = execFileSync('age', ['-r', ageKeyPair().recipient], { input: gzipSync(dump), maxBuffer: 1 << 26 });
    const opened = openStream(Readable.from([stored]), {
      compression: 'gzip',
      identityFile: identityFile(ageKeyPair().identity),
      ageCli: false,
    });
    const consumed = collect(opened.output).catch(() => Buffer.alloc(0));
    await expect(opened.done).rejects.toThrow(/age decryption failed: no identity matched/);
    await consumed;
  });

  it('a tampered byte in the payload fails instead of restoring altered data', async () => {
    const key = ageKeyPair();
    const stored = Buffer.from(execFileSync('age', ['-r', key.recipient], { input: gzipSync(dump), maxBuffer: 1 << 26 }));
    stored[stored.length - 1000] = stored[stored.length - 1000]! ^ 1;
    const opened = openStream(Readable.from([stored]), { compression: 'gzip', identityFile: identityFile(key.identity), ageCli: false });
    const consumed = collect(opened.output).catch(() => Buffer.alloc(0));
    await expect(opened.done).rejects.toThrow(/age decryption failed/);
    await consumed;
  });

  it("an identity's recipient without age-keygen", async () => {
    const key = ageKeyPair();
    expect(await libraryRecipientsOf(identityFile(key.identity))).toEqual([key.recipient]);
  });

  it('memory stays flat on a stream of hundreds of MiB (encrypt → decrypt in-process, sha256 equal)', async () => {
    // The bench streams several GiB the same way; here 256 MiB, 4096 times age's chunk and far more than any buffer.
    const key = ageKeyPair();
    const block = randomBytes(1 << 20);
    const blocks = 256;
    const expected = createHash('sha256');
    for (let i = 0; i < blocks; i += 1) expected.update(block);
    const actual = createHash('sha256');
    const base = process.memoryUsage().rss;
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
    try {
      await pipeline(
        Readable.from(
          (function* () {
            for (let i = 0; i < blocks; i += 1) yield block;
          })(),
        ),
        ageEncryptStream([key.recipient]),
        ageDecryptStream(identityFile(key.identity)),
        new Writable({
          write(chunk: Buffer, _encoding, callback) {
            actual.update(chunk);
            callback();
          },
        }),
      );
    } finally {
      clearInterval(sampler);
    }
    expect(actual.digest('hex')).toBe(expected.digest('hex'));
    // Generous: garbage collection is lazy; a buffered stream would grow by the whole 256 MiB.
    expect((peak - base) / (1 << 20)).toBeLessThan(96);
  }, 300_000);
});

describe('the age CLI is really there for these tests', () => {
  it('age --version runs', () => {
    expect(spawnSync('age', ['--version']).status).toBe(0);
  });
});
