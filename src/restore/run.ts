import { recipientOf } from '../backup/age.js';
import { listBackups, type Manifest, manifestMismatch, readManifest } from '../backup/catalog.js';
import { checkObject, loadInto } from '../backup/load.js';
import { scratchName, takeBackup } from '../backup/run.js';
import type { RunContext } from '../core/action.js';
import { errorMessage, OperationalError } from '../core/errors.js';
import type { DumpEngine } from '../db/dump/engine.js';
import type { DatabaseTarget } from '../db/dump/url.js';
import type { StorageTarget } from '../storage/target.js';

export type RestoreMode = 'new-database-then-swap' | 'in-place';

export interface RestoreOptions {
  db: DatabaseTarget;
  engine: DumpEngine;
  target: StorageTarget;
  prefix: string;
  from: string;
  mode: RestoreMode;
  identityFile?: string;
}

export interface RestoreReport {
  restoredFrom?: string;
  safetyBackup?: string;
  mode?: RestoreMode;
  keptAs?: string;
  steps: [string, string][];
}

/**
 * `latest` is the newest complete untagged backup directly under `<prefix>/<database>/`; anything else
 * is a key with a manifest. Either way the manifest must be this database's and engine's.
 */
export async function resolveBackup(
  target: StorageTarget,
  prefix: string,
  db: DatabaseTarget,
  engine: string,
  from: string,
): Promise<Manifest> {
  let key = from;
  if (from === 'latest') {
    const newest = (await listBackups(target, prefix, db.database)).find((b) => !b.tag);
    if (!newest) throw new OperationalError(`no complete backup of ${db.database} under ${prefix || '(no prefix)'} on ${target.label}`);
    key = newest.key;
  }
  const manifest = await readManifest(target, key);
  const mismatch = manifestMismatch(manifest, { database: db.database, engine });
  if (mismatch)
    throw new OperationalError(
      `refusing to restore ${key} into ${engine} database ${db.database}: ${mismatch}`,
      'Give the database-url of the database this backup was taken from, or a key of this database (from: <key>).',
    );
  return manifest;
}

/**
 * check the object's sha256 → safety backup (tagged pre-restore) → restore, into a new database that
 * then takes the old one's name in one step, or in place. On failure the database is as it was and
 * the error names the safety backup.
 */
export async function restoreDatabase(options: RestoreOptions, ctx: RunContext, report: RestoreReport): Promise<void> {
  const { db, engine, target } = options;
  const manifest = await resolveBackup(target, options.prefix, db, engine.name, options.from);
  report.restoredFrom = manifest.key;
  if (manifest.encrypted && !options.identityFile) throw new OperationalError(`${manifest.key} is encrypted with age: give age-identity`);
  const tools = await ctx.logger.group('check tools', () => engine.checkTools(db, ctx));
  await ctx.logger.group('check sha256', () => checkObject(target, manifest));
  report.steps.push(['sha256 matches the manifest', manifest.sha256]);

  if (!(await engine.exists(db, db.database, ctx))) {
    // A restore onto a new server: nothing to protect, so no safety backup and no swap.
    ctx.logger.info(`${db.database} does not exist yet: creating it and restoring into it (no safety backup needed)`);
    report.mode = 'in-place';
    await engine.createDatabase(db, db.database, ctx);
    try {
      await ctx.logger.group(`restore into the new database ${db.database}`, () =>
        loadInto({ target, manifest, engine, db, name: db.database, clean: false, identityFile: options.identityFile }, ctx),
      );
    } catch (error) {
      await engine.dropDatabase(db, db.database, ctx).catch((e) => ctx.logger.warning(`could not drop ${db.database}: ${errorMessage(e)}`));
      throw new OperationalError(
        `restoring ${manifest.key} into the new database ${db.database} failed: ${errorMessage(error)}\nThe partly restored database was dropped.`,
      );
    }
    report.steps.push(['created the database and restored into it', db.database]);
    return;
  }

  const recipients = options.identityFile ? await recipientOf(options.identityFile, ctx) : [];
  const safety = await ctx.logger.group('safety backup', () =>
    takeBackup({ db, engine, target, prefix: options.prefix, compression: 'zstd', recipients, tag: 'pre-restore', tools }, ctx),
  );
  report.safetyBackup = safety.key;
  report.steps.push(['safety backup', safety.key]);

  const mode = options.mode === 'new-database-then-swap' && !engine.swap ? 'in-place' : options.mode;
  if (mode !== options.mode)
    ctx.logger.warning(
      `${engine.name} cannot rename a database in one step; restoring in place instead (on failure the safety backup is restored)`,
    );
  report.mode = mode;
  const failed = (error: unknown, state: string) =>
    new OperationalError(
      `restoring ${manifest.key} into ${db.database} failed: ${errorMessage(error)}\n${state} The safety backup taken before the restore is ${safety.key}.`,
      `To return to the state before this run if needed: deploy-kit restore --from ${safety.key} (same target inputs) --confirm ${db.database}.`,
    );

  if (mode === 'new-database-then-swap') {
    const now = new Date(ctx.clock.now());
    const fresh = scratchName(db.database, 'restore', now);
    const keepAs = scratchName(db.database, 'replaced', now);
    try {
      await ctx.logger.group(`restore into ${fresh}`, async () => {
        await engine.createDatabase(db, fresh, ctx);
        await loadInto({ target, manifest, engine, db, name: fresh, clean: false, identityFile: options.identityFile }, ctx);
      });
      await ctx.logger.group('swap', () => engine.swap!(db, fresh, keepAs, ctx));
    } catch (error) {
      await engine.dropDatabase(db, fresh, ctx).catch((e) => ctx.logger.warning(`could not drop ${fresh}: ${errorMessage(e)}`));
      throw failed(error, `The database ${db.database} was not changed.`);
    }
    report.keptAs = keepAs;
    report.steps.push([
      'restored into a new database and swapped',
      `${fresh} → ${db.database}; the previous one is kept as ${keepAs} (drop it when satisfied)`,
    ]);
    ctx.logger.info(`${db.database} now holds ${manifest.key}; the previous database is kept as ${keepAs}`);
    return;
  }

  try {
    await ctx.logger.group('restore in place', () =>
      loadInto({ target, manifest, engine, db, name: db.database, clean: true, identityFile: options.identityFile }, ctx),
    );
  } catch (error) {
    if (engine.atomicRestore)
      throw failed(error, `The restore ran in one transaction (or file rename), so ${db.database} was not changed.`);
    // The engine applied part of the dump: put the safety backup back.
    ctx.logger.error(`restore failed (${errorMessage(error)}); restoring the safety backup ${safety.key}`);
    try {
      await loadInto({ target, manifest: safety, engine, db, name: db.database, clean: true, identityFile: options.identityFile }, ctx);
    } catch (again) {
      throw failed(error, `Putting the safety backup back failed too (${errorMessage(again)}): restore it by hand.`);
    }
    throw failed(error, `${db.database} was put back from the safety backup.`);
  }
  report.steps.push(['restored in place', db.database]);
}
