import type { RunContext } from '../core/action.js';
import { applyRetention, type RetentionPolicy } from '../db/retention.js';
import type { StorageTarget } from '../storage/target.js';
import { deleteBackup, listBackups, manifestMismatch, readManifest } from './catalog.js';

export interface RetentionReport {
  rows: { key: string; created: string; decision: 'kept' | 'deleted' | 'would delete'; why: string }[];
  deleted: string[];
}

/**
 * Applies the policy to this database's backups, except pre-restore safety backups, which are left
 * alone. Each backup's manifest must name this database and engine; one that names another is
 * never counted nor deleted. With `dryRun` it only reports what would go.
 */
export async function retain(
  options: { target: StorageTarget; prefix: string; database: string; engine: string; policy: RetentionPolicy; dryRun: boolean },
  ctx: RunContext,
): Promise<RetentionReport> {
  const backups = [];
  for (const entry of await listBackups(options.target, options.prefix, options.database)) {
    if (entry.tag) continue;
    const manifest = await readManifest(options.target, entry.key);
    const mismatch = manifestMismatch(manifest, { database: options.database, engine: options.engine });
    if (mismatch) ctx.logger.warning(`retention leaves ${entry.key} alone: ${mismatch}`);
    else backups.push({ ...entry, tags: manifest.tags ?? [] });
  }
  const decision = applyRetention(backups, options.policy, { now: ctx.clock.now() + 1 });
  const rows: RetentionReport['rows'] = decision.keep.map(({ item, reasons }) => ({
    key: item.key,
    created: item.created.toISOString(),
    decision: 'kept',
    why: reasons.join(', '),
  }));
  const deleted: string[] = [];
  for (const item of decision.remove) {
    if (options.dryRun) {
      ctx.logger.info(`dry-run: would delete ${item.key}`);
    } else {
      await deleteBackup(options.target, item.key);
      ctx.logger.info(`deleted ${item.key}`);
      deleted.push(item.key);
    }
    rows.push({
      key: item.key,
      created: item.created.toISOString(),
      decision: options.dryRun ? 'would delete' : 'deleted',
      why: 'no keep-* rule matches',
    });
  }
  return { rows, deleted };
}
