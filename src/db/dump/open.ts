import type { RunContext } from '../../core/action.js';
import { maskSecret } from '../../core/logger.js';
import type { DumpEngine } from './engine.js';
import { engines } from './index.js';
import { parseDatabaseUrl, type DatabaseTarget } from './url.js';

/** Parses database-url, masks its password in every form, and picks the engine from the scheme. */
export function openDatabase(url: string, ctx: RunContext): { db: DatabaseTarget; engine: DumpEngine } {
  maskSecret(ctx.logger, url);
  const db = parseDatabaseUrl(url, ctx.env.workspace);
  if (db.password) maskSecret(ctx.logger, db.password);
  return { db, engine: engines[db.engine] };
}
