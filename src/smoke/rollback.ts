import type { RunContext } from '../core/action.js';
import { errorMessage } from '../core/errors.js';
import { rollback, type RollbackReport } from '../release/rollback.js';
import type { ConnectionConfig } from '../ssh/connect.js';

export interface SmokeRollback {
  connection: ConnectionConfig;
  restartCommand?: string;
  /** Checked after switching back (2xx); undefined when the checks go through host-header/resolve. */
  healthUrl?: string;
  healthTimeoutMs: number;
  lock: { waitMs: number; ttlMs: number };
}

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
    await ctx.logger.group('rollback to the previous release', () =>
      rollback(
        {
          ...config.connection,
          to: 'previous',
          restartCommand: config.restartCommand,
          health: { url: config.healthUrl, expect: {}, timeoutMs: config.healthTimeoutMs },
          lock: config.lock,
        },
        ctx,
        report,
      ),
    );
    return { release: report.release, previous: report.previous, report };
  } catch (error) {
    return { release: report.release, previous: report.previous, error: errorMessage(error), report };
  }
}
