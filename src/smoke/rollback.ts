import type { RunContext } from '../core/action.js';
import { errorMessage, OperationalError } from '../core/errors.js';
import { connect } from '../release/connect.js';
import { rollback, type RollbackConfig, type RollbackReport } from '../release/rollback.js';
import { pickSwarmManager } from '../release/swarm/manager.js';
import { checkDeployedMode, type PlannedMode } from './deployed-mode.js';

/** What `on-failure: rollback` runs: the rollback action's own config (rollbackConfig, swarm mode applied) and the mode it was built for. */
export interface SmokeRollback {
  config: RollbackConfig;
  mode: PlannedMode['mode'];
}

export interface RollbackOutcome {
  release?: string;
  previous?: string;
  /** Not rolled back: nothing on the hosts was changed (no swarm manager, or the inputs do not match how the release was deployed). */
  refused?: OperationalError;
  /** Why the rollback itself failed, if it did. */
  error?: string;
  report: RollbackReport;
}

/**
 * The config to roll back with, once it is known that it starts the older release the way the
 * deploy started the current one (deployed-mode.ts); read over the same pinned SSH setup, before
 * the lock is taken or anything is changed.
 */
async function checkedConfig(plan: SmokeRollback, ctx: RunContext): Promise<RollbackConfig> {
  const config = plan.config.switch?.kind === 'swarm' ? await pickSwarmManager(plan.config, ctx) : plan.config;
  const connections = await connect(config, ctx);
  try {
    await checkDeployedMode(connections, { mode: plan.mode, switch: config.switch, restartCommand: config.restartCommand });
  } finally {
    await connections.close();
  }
  return config;
}

/** `on-failure: rollback`: the same path as the rollback action (lock, switch, restart, health, history). */
export async function rollbackAfterFailure(plan: SmokeRollback, ctx: RunContext): Promise<RollbackOutcome> {
  const report: RollbackReport = { hosts: [] };
  let config: RollbackConfig;
  try {
    config = await ctx.logger.group('checking how the current release was deployed', () => checkedConfig(plan, ctx));
  } catch (error) {
    const refused = error instanceof OperationalError ? error : new OperationalError(errorMessage(error));
    return { refused, report };
  }
  try {
    await ctx.logger.group('rollback to the previous release', () => rollback(config, ctx, report));
    return { release: report.release, previous: report.previous, report };
  } catch (error) {
    return { release: report.release, previous: report.previous, error: errorMessage(error), report };
  }
}
