import type { RunContext } from '../core/action.js';
import { checkCancelled, isCancelled } from '../core/cancel.js';
import { errorMessage, OperationalError } from '../core/errors.js';
import { type ConnectionConfig } from '../ssh/connect.js';
import { previousActivated } from './activation.js';
import { connect } from './connect.js';
import type { HealthConfig, ReleaseHost } from './host.js';
import type { Inspection } from './layout.js';
import type { LockConfig } from './lock.js';
import { type SwitchConfig, type SwitchStrategy, switchStrategy } from './switch/index.js';

export interface RollbackConfig extends ConnectionConfig {
  /** `previous`, or a release id. */
  to: string;
  restartCommand?: string;
  /** How the host starts serving the release; restart when absent. */
  switch?: SwitchConfig;
  health: HealthConfig;
  lock: LockConfig;
}

/** What a rollback has done so far, filled in as it goes (the partial-result convention, src/core/action.ts). */
export interface RollbackReport {
  release?: string;
  previous?: string;
  hosts: { host: string; from?: string; to?: string; status: string; health: string[] }[];
}

/**
 * The release to return to: the named one (which must exist), or the one activated before current
 * (history.jsonl order, activation.ts); an upload that never served is never chosen.
 */
export function resolveRollbackTarget(layout: Inspection, to: string, label: string): string {
  const present = layout.releases.join(', ') || 'none';
  if (to !== 'previous') {
    if (!layout.releases.includes(to)) throw new OperationalError(`${label}: release ${to} does not exist; releases present: ${present}`);
    return to;
  }
  const target = previousActivated(layout.history, layout.current, layout.releases);
  if (!target)
    throw new OperationalError(
      `${label}: no release was activated before the current one (${layout.current ?? 'none'}) according to .deploy-kit/history.jsonl; releases present: ${present}`,
      'name the release to return to with the input "to"',
    );
  return target;
}

async function rollbackHost(
  host: ReleaseHost,
  config: RollbackConfig,
  strategy: SwitchStrategy,
  entry: RollbackReport['hosts'][number],
  ctx: RunContext,
): Promise<void> {
  const layout = await host.lockAndInspect(config.lock, `rollback to ${config.to}`);
  const target = resolveRollbackTarget(layout, config.to, host.label);
  entry.from = layout.current;
  entry.to = target;
  let switched = false;
  try {
    checkCancelled(ctx.signal, `the rollback on ${host.label}`);
    entry.health.push(...(await strategy.activate(host, target, () => (switched = true))));
    if (config.health.url) entry.health.push(await host.checkUrl(config.health));
  } catch (error) {
    // The release we rolled back to is not healthy either (or the run was cancelled): put back what was there.
    if (switched) await strategy.revert(host, layout.current, 'restart after a failed rollback').catch(() => undefined);
    const event = isCancelled(error, ctx.signal) ? 'cancelled' : 'failed';
    await host.history(event, { release: target, previous: layout.current, reason: errorMessage(error) });
    entry.status = `${event}, put back`;
    throw error;
  }
  await host.finish('rollback', { release: target, previous: layout.current }, [], config.hosts.length <= 1);
  entry.status = 'rolled back';
}

/** Switches every host back under the deploy lock, with restart and health check; fills the report as it goes. */
export async function rollback(config: RollbackConfig, ctx: RunContext, report: RollbackReport): Promise<void> {
  // The strategy first: a switch config it refuses must not leave the connections open.
  const strategy = switchStrategy(config.switch, { restartCommand: config.restartCommand, health: config.health }, ctx);
  const connections = await connect(config, ctx);
  try {
    for (const host of connections.hosts) {
      const entry: RollbackReport['hosts'][number] = { host: host.label, status: 'not started', health: [] };
      report.hosts.push(entry);
      await rollbackHost(host, config, strategy, entry, ctx);
      report.release ??= entry.to;
      report.previous ??= entry.from;
    }
  } finally {
    for (const host of connections.hosts) await host.unlock();
    await connections.close();
  }
}
