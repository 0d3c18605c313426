import { createHash } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { Duplex, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';

import { explained, type SourceCommand, spawnInto, spawnStreaming } from '../core/stream-process.js';
import { ageDecryptStream, ageEncryptStream } from './age-stream.js';

export type { SourceCommand };

export type Compression = 'zstd' | 'gzip';

export const COMPRESSION_EXTENSION: Record<Compression, string> = { zstd: 'zst', gzip: 'gz' };

/** Counts bytes and hashes them as they pass; nothing is held beyond the current chunk. */
export class Digest extends Transform {
  size = 0;
  private readonly hash = createHash('sha256');

  constructor() {
    // 1 MiB either side: fewer pauses of the producer (zstd blocks on a full pipe) than the 16 KiB default.
    super({ highWaterMark: 1 << 20 });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.update(chunk);
    callback(null, chunk);
  }

  /** Counts and hashes bytes that do not flow through the stream (a file another process writes). */
  update(chunk: Buffer): void {
    this.size += chunk.length;
    this.hash.update(chunk);
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

/**
 * What a backup reads (the hook every dump source plugs into): either a byte stream with the promise
 * of its producer, or a command whose stdout is the dump. A command is spawned by the pipeline with
 * its stdout connected straight to zstd's stdin, so the raw dump never passes through node.
 */
export type DumpSource = { stdout: Readable; done: Promise<void> } | { command: SourceCommand };

/** One step of a chain: a program (consecutive programs are wired stdout → stdin by the OS) or a node stream. */
type Stage = { command: SourceCommand } | { stream: Duplex };

interface Running {
  done: Promise<void>;
  kill(): void;
}

/** Spawns consecutive programs last first, each writing into the next one's stdin; `fed` says whether node writes the first one's stdin. */
function spawnRun(commands: SourceCommand[], fed: boolean): { stdin?: Writable; stdout: Readable; processes: Running[] } {
  const last = commands[commands.length - 1]!;
  const tail = spawnStreaming(last.what, last.argv, last.env);
  const processes: Running[] = [{ ...tail, done: explained(last, tail.done) }];
  let into: Writable | undefined = tail.stdin;
  if (commands.length === 1 && !fed) tail.stdin.end(last.input);
  for (let i = commands.length - 2; i >= 0; i -= 1) {
    const command = commands[i]!;
    const source = i === 0 && !fed;
    const wired = spawnInto(command.what, command.argv, into!, {
      env: command.env,
      stdin: source && command.input === undefined ? 'ignore' : 'pipe',
    });
    if (source) wired.stdin?.end(command.input);
    processes.unshift({ ...wired, done: explained(command, wired.done) });
    into = wired.stdin;
  }
  return { stdin: fed ? into : undefined, stdout: tail.stdout, processes };
}

/** Turns the source and stages into node streams: each run of programs becomes one stream (its first stdin, its last stdout). */
function assemble(source: Readable | SourceCommand, stages: Stage[]): { streams: (Readable | Duplex)[]; processes: Running[] } {
  const items: (Readable | Duplex)[] = [];
  const processes: Running[] = [];
  let run: SourceCommand[] = [];
  let fed = true;
  const flush = () => {
    if (run.length === 0) return;
    const spawned = spawnRun(run, fed);
    processes.push(...spawned.processes);
    items.push(fed ? Duplex.from({ writable: spawned.stdin!, readable: spawned.stdout }) : spawned.stdout);
    run = [];
    fed = true;
  };
  if ('argv' in source) {
    run.push(source);
    fed = false;
  } else items.push(source);
  for (const stage of stages) {
    if ('command' in stage) run.push(stage.command);
    else {
      flush();
      items.push(stage.stream);
    }
  }
  flush();
  return { streams: items, processes };
}

function compressStage(compression: Compression, decompress: boolean): Stage {
  if (compression === 'zstd') return { command: { what: decompress ? 'zstd -d' : 'zstd', argv: zstdArgv(decompress) } };
  return { stream: decompress ? createGunzip() : createGzip({ level: 6 }) };
}

export interface Chain {
  /** The transformed bytes, to be consumed by the caller. */
  output: Readable;
  digest: Digest;
  /** Settles when every stage and process has finished; rejects with the first failure (killing the rest). */
  done: Promise<void>;
}

/** Pipes `source` through the stages (the Digest is one of them); the last stream's readable side is the output. */
function chain(source: Readable | SourceCommand, stages: Stage[], digest: Digest, extra: Promise<void>[] = []): Chain {
  const { streams, processes } = assemble(source, stages);
  const output = streams[streams.length - 1]!;
  const flow = pipeline(streams as unknown as [Readable, Duplex]);
  // Every stream is destroyed, not only the processes killed: a pipeline only settles once each of its streams has closed.
  const stop = () => {
    for (const process of processes) process.kill();
    for (const stream of streams) stream.destroy();
  };
  // The processes' exit codes explain a failure better than the broken pipe they cause, so they come first.
  const parts = [...extra, ...processes.map((p) => p.done), flow];
  for (const part of parts) part.catch(stop);
  const done = Promise.allSettled(parts).then((results) => {
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  });
  done.catch(() => undefined);
  return { output: output as Readable, digest, done };
}

export interface SealOptions {
  compression: Compression;
  recipients: readonly string[];
  /** Encrypt with the age CLI (fast path, when installed) instead of in-process. */
  ageCli?: boolean;
}

/** source → compress → (age) → digest: what is stored, with its size and sha256 counted on the way. */
export function sealSource(source: DumpSource, options: SealOptions): Chain {
  const stages = [compressStage(options.compression, false)];
  if (options.recipients.length > 0)
    stages.push(
      options.ageCli
        ? { command: { what: 'age encryption', argv: ageEncryptArgv(options.recipients) } }
        : { stream: ageEncryptStream(options.recipients) },
    );
  const digest = new Digest();
  stages.push({ stream: digest });
  if ('command' in source) return chain(source.command, stages, digest);
  return chain(source.stdout, stages, digest, [source.done]);
}

/** dump → compress → (age) → digest, for a dump that is already a stream. */
export function sealStream(source: Readable, options: SealOptions, sourceDone: Promise<void>): Chain {
  return sealSource({ stdout: source, done: sourceDone }, options);
}

/** stored object → digest → (age -d) → decompress: the dump again, with the stored bytes' sha256. */
export function openStream(stored: Readable, options: { compression: Compression; identityFile?: string; ageCli?: boolean }): Chain {
  const digest = new Digest();
  const stages: Stage[] = [{ stream: digest }];
  if (options.identityFile)
    stages.push(
      options.ageCli
        ? { command: { what: 'age decryption', argv: ageDecryptArgv(options.identityFile) } }
        : { stream: ageDecryptStream(options.identityFile) },
    );
  stages.push(compressStage(options.compression, true));
  return chain(stored, stages, digest);
}

/** Hashes a stream to the end (the check before a restore). */
export async function hashStream(stream: Readable): Promise<{ size: number; sha256: string }> {
  const digest = new Digest();
  await pipeline(stream, digest, async function* (source) {
    for await (const _chunk of source) yield* [];
  });
  return { size: digest.size, sha256: digest.sha256 };
}
