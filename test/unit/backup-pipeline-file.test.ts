import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { afterEach, describe, expect, it } from 'vitest';

import { openStream } from '../../src/backup/pipeline.js';
import { sealToFile } from '../../src/backup/pipeline-file.js';
import { takeBackup } from '../../src/backup/run.js';
import type { RunContext } from '../../src/core/action.js';
import type { DumpEngine } from '../../src/db/dump/engine.js';
import { inOrder } from '../../src/db/dump/together.js';
import { localTarget } from '../../src/storage/local.js';

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

describe('the dump starts alongside the checks', () => {
  const logger = { info: () => undefined, warning: () => undefined, redact: (s: string) => s, mask: () => undefined };
  const ctx = { logger, clock: { now: () => Date.UTC(2026, 0, 2, 3, 4, 5), sleep: async () => undefined } } as unknown as RunContext;
  const db = { engine: 'postgres', database: 'app', host: '127.0.0.1', port: 5432, user: 'u', params: {} } as const;
  const engine = (argv: string[]): DumpEngine =>
    ({ name: 'postgres', extension: 'pgdump', dumpCommand: async () => ({ what: 'pg_dump', argv }) }) as unknown as DumpEngine;

  it.each([
    ['written by zstd (local)', (root: string) => localTarget(root)],
    ['streamed through node (put)', (root: string) => ({ ...localTarget(root), localPath: undefined })],
  ])('%s: a failed check stops the dump, leaves nothing on the target and is the error reported', async (_, make) => {
    const root = scratch();
    const started = Date.now();
    const backup = takeBackup(
      {
        db,
        engine: engine(['sh', '-c', 'echo partial; exec sleep 20']),
        target: make(root),
        prefix: '',
        compression: 'zstd',
        recipients: [],
        tools: () => new Promise((_, reject) => setTimeout(() => reject(new Error('pg_dump is version 14 but the server is 16')), 100)),
      },
      ctx,
    );
    await expect(backup).rejects.toThrow('pg_dump is version 14 but the server is 16');
    expect(Date.now() - started).toBeLessThan(10_000); // the dump was killed, not waited for
    expect(readdirSync(join(root, 'app'))).toEqual([]);
  });

  it('the manifest takes the tool versions once the check answers', async () => {
    const root = scratch();
    const manifest = await takeBackup(
      {
        db,
        engine: engine(['printf', 'dump bytes']),
        target: localTarget(root),
        prefix: '',
        compression: 'zstd',
        recipients: [],
        tools: () => new Promise((resolve) => setTimeout(() => resolve({ pg_dump: 'pg_dump (PostgreSQL) 16.1' }), 50)),
      },
      ctx,
    );
    expect(manifest.tools).toEqual({ pg_dump: 'pg_dump (PostgreSQL) 16.1' });
    expect(readdirSync(join(root, 'app')).sort()).toEqual([`${manifest.key.slice(4)}`, `${manifest.key.slice(4)}.manifest.json`]);
    expect(statSync(join(root, manifest.key)).size).toBe(manifest.size);
  });
});
