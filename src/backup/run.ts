import type { RunContext } from '../core/action.js';
import { errorMessage } from '../core/errors.js';
import type { DumpEngine } from '../db/dump/engine.js';
import type { DatabaseTarget } from '../db/dump/url.js';
import type { StorageTarget } from '../storage/target.js';
import { useAgeCli } from './age.js';
import { directory, type Manifest, MANIFEST_SUFFIX, objectKey, PARTIAL_SUFFIX, stamp, writeManifest } from './catalog.js';
import { type Compression, COMPRESSION_EXTENSION, type Digest, type DumpSource, type SealOptions, sealSource } from './pipeline.js';
import { sealToFile } from './pipeline-file.js';

export interface BackupOptions {
  db: DatabaseTarget;
  engine: DumpEngine;
  target: StorageTarget;
  prefix: string;
  compression: Compression;
  recipients: readonly string[];
  tag?: string;
  tags?: readonly string[];
  /**
   * The tool versions for the manifest, or the check that finds them: it is started right after the
   * dump (so the dump is not held up by it), and a failed check stops the dump, removes the upload
   * and is the error reported.
   */
  tools: Record<string, string> | (() => Promise<Record<string, string>>);
  /** More manifest fields known once the dump has streamed (a files backup's counts). */
  manifestExtra?: () => Record<string, unknown>;
  /**
   * Where the dump comes from, when not the engine on this runner (a dump source: over an SSH tunnel,
   * on the database host, in a container). Default: the engine's dump command, wired into zstd.
   */
  source?: () => Promise<DumpSource>;
  /** Encrypt with the age CLI; default: when it is installed. */
  ageCli?: boolean;
}

/** The engine's dump: a command when it has one (pg_dump, mariadb-dump: spawned by the pipeline, stdout into zstd), else its stream. */
export async function engineSource(engine: DumpEngine, db: DatabaseTarget, ctx: RunContext): Promise<DumpSource> {
  return engine.dumpCommand ? { command: await engine.dumpCommand(db, ctx) } : engine.dump(db, ctx);
}

/**
 * Streams one dump to the target: dump → compress → (age) → sha256/size → `<key>.partial` (only the
 * compressed bytes pass through node when the dump is a command and compression zstd), then
 * renamed to `<key>` (targets that publish atomically get `<key>` directly), and only then the
 * manifest is written. A failure at any point deletes the upload, so nothing incomplete ever
 * counts as a backup.
 */
export async function takeBackup(options: BackupOptions, ctx: RunContext): Promise<Manifest> {
  const { db, engine, target } = options;
  let checking: Promise<Record<string, string>> | undefined;
  const check = () => (checking ??= typeof options.tools === 'function' ? options.tools() : Promise.resolve(options.tools));
  const extension = `${engine.extension}.${COMPRESSION_EXTENSION[options.compression]}${options.recipients.length > 0 ? '.age' : ''}`;
  const { created, key, upload, source, ageCli } = await (async () => {
    const fresh = await freshKey(options, extension, ctx);
    ctx.logger.info(`backing up ${engine.name} database ${db.database} to ${fresh.key} on ${target.label}`);
    const cli = options.ageCli ?? (await useAgeCli(ctx, { recipients: options.recipients }));
    const dump = await (options.source ? options.source() : engineSource(engine, db, ctx));
    return { ...fresh, upload: target.move ? `${fresh.key}${PARTIAL_SUFFIX}` : fresh.key, source: dump, ageCli: cli };
  })().catch(async (error: unknown) => {
    await check(); // a failed check is the better explanation, as when it ran first
    throw error;
  });
  const writing = startUpload(target, upload, source, { compression: options.compression, recipients: options.recipients, ageCli });
  const checked = check().catch((error: unknown) => {
    writing.abort();
    throw error;
  });
  try {
    const [verified, written] = await Promise.allSettled([checked, writing.done]);
    // A failed check explains a failed dump (a missing or too old pg_dump), so it is reported first.
    if (verified.status === 'rejected') throw verified.reason;
    if (written.status === 'rejected') throw written.reason;
    await target.move?.(upload, key);
  } catch (error) {
    await target.delete(upload).catch((e) => ctx.logger.warning(`could not remove the partial upload ${upload}: ${errorMessage(e)}`));
    throw error;
  }
  const manifest: Manifest = {
    version: 1,
    key,
    engine: engine.name,
    database: db.database,
    size: writing.digest.size,
    sha256: writing.digest.sha256,
    compression: options.compression,
    encrypted: options.recipients.length > 0,
    created: created.toISOString(),
    ...(options.tag ? { tag: options.tag } : {}),
    tags: [...new Set([...(options.tags ?? []), ...(options.tag ? [options.tag] : [])])],
    tools: await checked,
    ...options.manifestExtra?.(),
  };
  await writeManifest(target, manifest, ctx.logger);
  ctx.logger.info(`stored ${key}: ${manifest.size} bytes, sha256 ${manifest.sha256}`);
  return manifest;
}

/**
 * Starts the dump into `upload`: on a local target the last program (zstd, age) writes the file itself
 * and no byte passes through node; elsewhere the sealed stream goes through the digest to target.put.
 */
function startUpload(
  target: StorageTarget,
  upload: string,
  source: DumpSource,
  seal: SealOptions,
): { digest: Digest; done: Promise<void>; abort(): void } {
  const file = target.localPath?.(upload);
  const direct = file === undefined ? undefined : sealToFile(source, seal, file);
  if (direct) return direct;
  const sealed = sealSource(source, seal);
  const stored = target.put(upload, sealed.output).catch((error: unknown) => {
    sealed.output.destroy();
    throw error;
  });
  // A failed dump/zstd/age explains the upload's "premature close", so it is reported first.
  const done = Promise.allSettled([sealed.done, stored]).then(([produced, put]) => {
    if (produced.status === 'rejected') throw produced.reason;
    if (put.status === 'rejected') throw put.reason;
  });
  done.catch(() => undefined);
  return { digest: sealed.digest, done, abort: () => sealed.output.destroy() };
}

/** Keys have one-second resolution: a second backup within the same second waits for the next one instead of replacing the first. */
async function freshKey(options: BackupOptions, extension: string, ctx: RunContext): Promise<{ created: Date; key: string }> {
  const taken = new Set(await options.target.list(directory(options.prefix, options.db.database)));
  for (;;) {
    const created = new Date(ctx.clock.now());
    const key = objectKey({ prefix: options.prefix, database: options.db.database, created, tag: options.tag, extension });
    if (!taken.has(key) && !taken.has(`${key}${MANIFEST_SUFFIX}`)) return { created, key };
    await ctx.clock.sleep(1000 - (created.getTime() % 1000));
  }
}

/** A database name derived from the original that is unique per run: `<db>_<what>_<yyyymmddthhmmss>`. */
export function scratchName(database: string, what: string, at: Date): string {
  return `${database}_${what}_${stamp(at).slice(0, 15).toLowerCase()}`;
}
