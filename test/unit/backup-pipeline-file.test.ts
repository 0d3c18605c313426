import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { afterEach, describe, expect, it } from 'vitest';

import { openStream } from '../../src/backup/pipeline.js';
import { sealToFile } from '../../src/backup/pipeline-file.js';
import { inOrder } from '../../src/db/dump/together.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dk-seal-file-'));
  dirs.push(dir);
  return dir;
}

describe('sealing straight into a file (local target)', () => {
  it('zstd writes the file itself (0600); the digest is its sha256 and size; opening gives the dump back', async () => {
    const dir = scratch();
    const dump = Buffer.concat([randomBytes(3_000_000), Buffer.alloc(5_000_000, 'a')]);
    writeFileSync(join(dir, 'dump'), dump);
    const file = join(dir, 'out.zst');
    const sealed = sealToFile(
      { command: { what: 'cat', argv: ['cat', join(dir, 'dump')] } },
      { compression: 'zstd', recipients: [] },
      file,
    );
    await sealed!.done;
    const stored = readFileSync(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(sealed!.digest.size).toBe(stored.length);
    expect(sealed!.digest.sha256).toBe(createHash('sha256').update(stored).digest('hex'));
    const opened = openStream(Readable.from([stored]), { compression: 'zstd' });
    const [back] = await Promise.all([collect(opened.output), opened.done]);
    expect(back.equals(dump)).toBe(true);
  });

  it('hands the secrets prelude (input) to the dump command on its stdin', async () => {
    const file = join(scratch(), 'out.zst');
    const sealed = sealToFile(
      { command: { what: 'cat', argv: ['cat'], input: 'first line\n' } },
      { compression: 'zstd', recipients: [] },
      file,
    );
    await sealed!.done;
    const opened = openStream(Readable.from([readFileSync(file)]), { compression: 'zstd' });
    const [back] = await Promise.all([collect(opened.output), opened.done]);
    expect(back.toString()).toBe('first line\n');
  });

  it("fails with the dump's own error (explained) when it fails", async () => {
    const file = join(scratch(), 'out.zst');
    const sealed = sealToFile(
      { command: { what: 'pg_dump', argv: ['sh', '-c', 'echo broken >&2; exit 3'], explain: (e) => new Error(`explained: ${String(e)}`) } },
      { compression: 'zstd', recipients: [] },
      file,
    );
    await expect(sealed!.done).rejects.toThrow(/explained: .*pg_dump.*broken/s);
  });

  it('leaves what must run in node (gzip, in-process age, a dump stream) to the streaming pipeline', () => {
    const file = join(scratch(), 'out');
    const command = { command: { what: 'cat', argv: ['cat', '/dev/null'] } };
    expect(sealToFile(command, { compression: 'gzip', recipients: [] }, file)).toBeUndefined();
    expect(sealToFile(command, { compression: 'zstd', recipients: ['age1x'], ageCli: false }, file)).toBeUndefined();
    expect(
      sealToFile({ stdout: Readable.from([]), done: Promise.resolve() }, { compression: 'zstd', recipients: [] }, file),
    ).toBeUndefined();
  });
});

describe('checks side by side', () => {
  it('reports the first failing check of the list, not the first to fail', async () => {
    const late = new Promise<string>((_, reject) => setTimeout(() => reject(new Error('pg_dump is not installed')), 30));
    const early = Promise.reject(new Error('connection refused'));
    await expect(inOrder([late, early])).rejects.toThrow('pg_dump is not installed');
    await expect(inOrder([Promise.resolve(1), Promise.resolve('a')])).resolves.toEqual([1, 'a']);
  });
});
