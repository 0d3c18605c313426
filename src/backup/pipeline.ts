import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Duplex, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';

import { spawnStreaming, type StreamProcess } from '../core/stream-process.js';

export type Compression = 'zstd' | 'gzip';

export const COMPRESSION_EXTENSION: Record<Compression, string> = { zstd: 'zst', gzip: 'gz' };

/** Counts bytes and hashes them as they pass; nothing is held beyond the current chunk. */
export class Digest extends Transform {
  size = 0;
  private readonly hash = createHash('sha256');

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    this.hash.update(chunk);
    callback(null, chunk);
  }

  get sha256(): string {
    return this.hash.copy().digest('hex');
  }
}

export function zstdArgv(decompress: boolean): string[] {
  return decompress ? ['zstd', '-q', '-d', '-c'] : ['zstd', '-q', '-c', '-3', '-T0'];
}

export function ageEncryptArgv(recipients: readonly string[]): string[] {
  return ['age', ...recipients.flatMap((r) => ['-r', r])];
}

export function ageDecryptArgv(identityFile: string): string[] {
  return ['age', '-d', '-i', identityFile];
}

interface Stage {
  stream: Duplex;
  process?: StreamProcess;
}

function processStage(what: string, argv: string[]): Stage {
  const proc = spawnStreaming(what, argv);
  return { stream: Duplex.from({ writable: proc.stdin, readable: proc.stdout }), process: proc };
}

function compressStage(compression: Compression, decompress: boolean): Stage {
  if (compression === 'zstd') return processStage(decompress ? 'zstd -d' : 'zstd', zstdArgv(decompress));
  return { stream: decompress ? createGunzip() : createGzip({ level: 6 }) };
}

export interface Chain {
  /** The transformed bytes, to be consumed by the caller. */
  output: Readable;
  digest: Digest;
  /** Settles when every stage and process has finished; rejects with the first failure (killing the rest). */
  done: Promise<void>;
}

/** Pipes `source` through the stages into a Digest whose readable side is the output; the digest sits where `digestAt` says. */
function chain(source: Readable, stages: Stage[], digestAt: 'start' | 'end', extra: Promise<void>[] = []): Chain {
  const digest = new Digest();
  const streams = digestAt === 'start' ? [digest, ...stages.map((s) => s.stream)] : [...stages.map((s) => s.stream), digest];
  const output = streams[streams.length - 1]!;
  const flow = pipeline([source, ...streams] as unknown as [Readable, Duplex]);
  // Every stream is destroyed, not only the processes killed: a pipeline only settles once each of its streams has closed.
  const stop = () => {
    for (const stage of stages) stage.process?.kill();
    for (const stream of [source, ...streams]) stream.destroy();
  };
  // The processes' exit codes explain a failure better than the broken pipe they cause, so they come first.
  const parts = [...extra, ...stages.flatMap((s) => (s.process ? [s.process.done] : [])), flow];
  for (const part of parts) part.catch(stop);
  const done = Promise.allSettled(parts).then((results) => {
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  });
  done.catch(() => undefined);
  return { output: output as unknown as Readable, digest, done };
}

/** dump → compress → (age) → digest: what is stored, with its size and sha256 counted on the way. */
export function sealStream(
  source: Readable,
  options: { compression: Compression; recipients: readonly string[] },
  sourceDone: Promise<void>,
): Chain {
  const stages = [compressStage(options.compression, false)];
  if (options.recipients.length > 0) stages.push(processStage('age encryption', ageEncryptArgv(options.recipients)));
  return chain(source, stages, 'end', [sourceDone]);
}

/** stored object → digest → (age -d) → decompress: the dump again, with the stored bytes' sha256. */
export function openStream(stored: Readable, options: { compression: Compression; identityFile?: string }): Chain {
  const stages: Stage[] = [];
  if (options.identityFile) stages.push(processStage('age decryption', ageDecryptArgv(options.identityFile)));
  stages.push(compressStage(options.compression, true));
  return chain(stored, stages, 'start');
}

/** Hashes a stream to the end (the check before a restore). */
export async function hashStream(stream: Readable): Promise<{ size: number; sha256: string }> {
  const digest = new Digest();
  await pipeline(stream, digest, async function* (source) {
    for await (const _chunk of source) yield* [];
  });
  return { size: digest.size, sha256: digest.sha256 };
}
