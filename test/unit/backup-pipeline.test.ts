import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { backupDir } from '../../harness/services/backup.js';
import { listBackups } from '../../src/backup/catalog.js';
import { type Compression, openStream, sealStream } from '../../src/backup/pipeline.js';
import { localTarget } from '../../src/storage/local.js';

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('seal and open streams', () => {
  it.each<Compression>(['zstd', 'gzip'])(
    '%s: the digest is the sha256 and size of the stored bytes, and opening gives the dump back',
    async (compression) => {
      const dump = Buffer.concat([randomBytes(300_000), Buffer.alloc(2_000_000, 'a')]);
      const sealed = sealStream(
        Readable.from([dump.subarray(0, 1000), dump.subarray(1000)]),
        { compression, recipients: [] },
        Promise.resolve(),
      );
      const [stored] = await Promise.all([collect(sealed.output), sealed.done]);
      expect(stored.length).toBeLessThan(dump.length);
      expect(sealed.digest.size).toBe(stored.length);
      expect(sealed.digest.sha256).toBe(createHash('sha256').update(stored).digest('hex'));

      const opened = openStream(Readable.from([stored]), { compression });
      const [back] = await Promise.all([collect(opened.output), opened.done]);
      expect(back.equals(dump)).toBe(true);
      expect(opened.digest.sha256).toBe(sealed.digest.sha256);
    },
  );

  it("fails when the source fails, with the source's error", async () => {
    const sealed = sealStream(
      Readable.from([Buffer.from('partial dump')]),
      { compression: 'gzip', recipients: [] },
      Promise.reject(new Error('pg_dump failed with exit code 1')),
    );
    const consumed = collect(sealed.output).catch(() => Buffer.alloc(0));
    await expect(sealed.done).rejects.toThrow('pg_dump failed with exit code 1');
    await consumed;
  });

  it('fails on garbage instead of restoring it', async () => {
    const opened = openStream(Readable.from([Buffer.from('not zstd at all')]), { compression: 'zstd' });
    const consumed = collect(opened.output).catch(() => Buffer.alloc(0));
    await expect(opened.done).rejects.toThrow(/zstd -d failed/);
    await consumed;
  });
});

describe('listing backups', () => {
  it('counts only objects that have a manifest, newest first, with tags', async () => {
    const dir = backupDir();
    mkdirSync(join(dir, 'p/shop'), { recursive: true });
    for (const name of [
      '20240101T000000Z.sql.gz',
      '20240102T000000Z-pre-restore.sql.gz',
      '20240103T000000Z.sql.gz',
      '20240104T000000Z.sql.gz.partial',
      'notes.txt',
    ])
      writeFileSync(join(dir, 'p/shop', name), 'x');
    for (const name of ['20240101T000000Z.sql.gz', '20240102T000000Z-pre-restore.sql.gz', '20240105T000000Z.sql.gz'])
      writeFileSync(join(dir, 'p/shop', `${name}.manifest.json`), '{}');
    const backups = await listBackups(localTarget(dir), 'p', 'shop');
    expect(backups.map((b) => [b.key, b.tag])).toEqual([
      ['p/shop/20240102T000000Z-pre-restore.sql.gz', 'pre-restore'],
      ['p/shop/20240101T000000Z.sql.gz', undefined],
    ]);
  });
});
