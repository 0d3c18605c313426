import type { RunContext } from '../core/action.js';
import { errorMessage } from '../core/errors.js';
import { rollback, type RollbackConfig, type RollbackReport } from '../release/rollback.js';

/** What `on-failure: rollback` runs: the rollback action's own config, built by rollbackConfig. */
export type SmokeRollback = RollbackConfig;

export interface RollbackOutcome {
  release?: string;
  previous?: string;
  /** Why the rollback itself failed, if it did. */
  error?: string;
  report: RollbackReport;
}

/** `on-failure: rollback`: the same path as the rollback action (lock, switch, restart, health, history). */
export async function rollbackAfterFailure(config: SmokeRollback, ctx: RunContext): Promise<RollbackOutcome> {
  const report: RollbackReport = { hosts: [] };
  try {
    await ctx.logger.group('rollback to the previous release', () => rollback(config, ctx, report));
    return { release: report.release, previous: report.previous, report };
  } catch (error) {
    return { release: report.release, previous: report.previous, error: errorMessage(error), report };
  }
}
