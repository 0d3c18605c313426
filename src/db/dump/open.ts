import type { RunContext } from '../../core/action.js';
import { maskDatabaseUrl } from '../url.js';
import type { DumpEngine } from './engine.js';
import { engines } from './index.js';
import { type DatabaseTarget, dumpTarget } from './url.js';

/** Parses database-url, masks its password in every form, and picks the engine from the scheme. */
export function openDatabase(url: string, ctx: RunContext): { db: DatabaseTarget; engine: DumpEngine } {
  maskDatabaseUrl(ctx.logger, url);
  const db = dumpTarget(url, ctx.env.workspace);
  return { db, engine: engines[db.engine] };
}
