import type { RunContext } from '../core/action.js';
import { errorMessage, OperationalError } from '../core/errors.js';
import type { DumpEngine } from '../db/dump/engine.js';
import type { DatabaseTarget } from '../db/dump/url.js';
import type { StorageTarget } from '../storage/target.js';
import type { Manifest } from './catalog.js';
import { loadInto } from './load.js';
import { scratchName } from './run.js';

/** Restores the new backup into a scratch database, runs the check query, and drops the scratch database. */
export async function verifyBackup(
  options: { db: DatabaseTarget; engine: DumpEngine; target: StorageTarget; manifest: Manifest; query: string; identityFile?: string },
  ctx: RunContext,
): Promise<string> {
  const name = scratchName(options.db.database, 'verify', new Date(ctx.clock.now()));
  ctx.logger.info(`verifying ${options.manifest.key}: restoring into scratch database ${name}`);
  await options.engine.createDatabase(options.db, name, ctx);
  try {
    await loadInto({ ...options, name, clean: false }, ctx);
    const result = await options.engine.query(options.db, name, options.query, ctx).catch((error) => {
      throw new OperationalError(`the verify query failed on the restored copy: ${errorMessage(error)}`);
    });
    ctx.logger.info(`verify query returned ${JSON.stringify(result)}`);
    return result;
  } finally {
    await options.engine
      .dropDatabase(options.db, name, ctx)
      .catch((error) => ctx.logger.warning(`could not drop scratch database ${name}: ${errorMessage(error)}`));
  }
}
