// In-process age (age-encryption) on a multi-GiB stream: encrypt then decrypt, sha256 compared, with the
// node process's RSS growth (goal: flat, independent of the size) and throughput against the age CLI.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { ageKeyPair } from '../harness/services/backup.js';
import { ageDecryptStream, ageEncryptStream } from '../src/backup/age-stream.js';

const GIB = Number(process.env.BENCH_AGE_GIB ?? 2);

function blocks(count: number, block: Buffer): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < count; i += 1) yield block;
    })(),
  );
}

function sink(hash: ReturnType<typeof createHash>): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback();
    },
  });
}

export default async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dk-bench-age-'));
  try {
    const key = ageKeyPair();
    const identityFile = join(dir, 'identity');
    writeFileSync(identityFile, key.identity, { mode: 0o600 });
    const block = randomBytes(1 << 20);
    const count = GIB * 1024;

    const base = process.memoryUsage().rss;
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const started = performance.now();
    const out = createHash('sha256');
    await pipeline(blocks(count, block), ageEncryptStream([key.recipient]), ageDecryptStream(identityFile), sink(out));
    const libraryMs = performance.now() - started;
    clearInterval(sampler);
    const expected = createHash('sha256');
    for (let i = 0; i < count; i += 1) expected.update(block);
    if (out.digest('hex') !== expected.digest('hex')) throw new Error('in-process age changed the bytes');

    const cliStarted = performance.now();
    const encrypt = spawn('age', ['-r', key.recipient], { stdio: ['pipe', 'pipe', 'inherit'] });
    const decrypt = spawn('age', ['-d', '-i', identityFile], { stdio: [encrypt.stdout, 'pipe', 'inherit'] });
    await Promise.all([pipeline(blocks(count, block), encrypt.stdin), pipeline(decrypt.stdout, sink(createHash('sha256')))]);
    const cliMs = performance.now() - cliStarted;

    const mbps = (ms: number) => ((count * (1 << 20)) / 1e6 / (ms / 1000)).toFixed(0);
    console.log(
      `in-process age, encrypt + decrypt of ${GIB} GiB: ${(libraryMs / 1000).toFixed(1)} s, ${mbps(libraryMs)} MB/s; RSS growth ${((peak - base) / (1 << 20)).toFixed(0)} MiB (goal: flat)`,
    );
    console.log(
      `age CLI, encrypt | decrypt of ${GIB} GiB       : ${(cliMs / 1000).toFixed(1)} s, ${mbps(cliMs)} MB/s (the fast path when installed)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
