import type { RunContext } from '../core/action.js';
import { errorMessage } from '../core/errors.js';
import { connectEngine } from '../db/migrate/connect.js';
import { loadMigrations } from '../db/migrate/files.js';
import { runMigrations, type RunnerReport } from '../db/migrate/runner.js';
import type { DatabaseUrl } from '../db/url.js';

export interface SqlMigrateConfig {
  url: DatabaseUrl;
  /** Absolute (the action resolves it against working-directory). */
  dir: string;
  plan: boolean;
  down: number;
  lockTimeoutMs: number;
}

/** The built-in runner: read the files (a bad file fails before connecting), connect, run (filling `report`), close. */
export async function migrateSql(config: SqlMigrateConfig, ctx: RunContext, report: RunnerReport): Promise<void> {
  const files = loadMigrations(config.dir);
  ctx.logger.info(`${files.length} migration file(s) in ${config.dir}; database ${config.url.display}`);
  const engine = await connectEngine(config.url, { exec: ctx.exec, logger: ctx.logger, runUrl: ctx.env.runUrl });
  try {
    await runMigrations(engine, { files, plan: config.plan, down: config.down, lockTimeoutMs: config.lockTimeoutMs }, ctx, report);
  } finally {
    await engine.close().catch((error: unknown) => ctx.logger.warning(`closing the database connection: ${errorMessage(error)}`));
  }
}
