import type { RunContext } from '../core/action.js';
import { errorMessage } from '../core/errors.js';
import type { DumpEngine } from '../db/dump/engine.js';
import type { DatabaseTarget } from '../db/dump/url.js';
import type { StorageTarget } from '../storage/target.js';
import { useAgeCli } from './age.js';
import { directory, type Manifest, MANIFEST_SUFFIX, objectKey, PARTIAL_SUFFIX, stamp, writeManifest } from './catalog.js';
import { type Compression, COMPRESSION_EXTENSION, type DumpSource, sealSource } from './pipeline.js';

export interface BackupOptions {
  db: DatabaseTarget;
  engine: DumpEngine;
  target: StorageTarget;
  prefix: string;
  compression: Compression;
  recipients: readonly string[];
  tag?: string;
  tags?: readonly string[];
  tools: Record<string, string>;
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
  const extension = `${engine.extension}.${COMPRESSION_EXTENSION[options.compression]}${options.recipients.length > 0 ? '.age' : ''}`;
  const { created, key } = await freshKey(options, extension, ctx);
  const upload = target.move ? `${key}${PARTIAL_SUFFIX}` : key;
  ctx.logger.info(`backing up ${engine.name} database ${db.database} to ${key} on ${target.label}`);
  const ageCli = options.ageCli ?? (await useAgeCli(ctx, { recipients: options.recipients }));
  const source = await (options.source ? options.source() : engineSource(engine, db, ctx));
  const sealed = sealSource(source, { compression: options.compression, recipients: options.recipients, ageCli });
  try {
    const [produced, stored] = await Promise.allSettled([
      sealed.done,
      target.put(upload, sealed.output).catch((error) => {
        sealed.output.destroy();
        throw error;
      }),
    ]);
    // A failed dump/zstd/age explains the upload's "premature close", so it is reported first.
    if (produced.status === 'rejected') throw produced.reason;
    if (stored.status === 'rejected') throw stored.reason;
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
    size: sealed.digest.size,
    sha256: sealed.digest.sha256,
    compression: options.compression,
    encrypted: options.recipients.length > 0,
    created: created.toISOString(),
    ...(options.tag ? { tag: options.tag } : {}),
    tags: [...new Set([...(options.tags ?? []), ...(options.tag ? [options.tag] : [])])],
    tools: options.tools,
    ...options.manifestExtra?.(),
  };
  await writeManifest(target, manifest, ctx.logger);
  ctx.logger.info(`stored ${key}: ${manifest.size} bytes, sha256 ${manifest.sha256}`);
  return manifest;
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
