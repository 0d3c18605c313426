import type { RunContext } from '../../core/action.js';
import type { ConnectionConfig } from '../../ssh/connect.js';
import type { SwarmReport } from './config.js';
import { applySwarmMode } from './inputs.js';
import { pickSwarmManager } from './manager.js';

export type { SwarmReport };

/**
 * What backend and rollback call for `mode: swarm` (a no-op in the other modes): the config checks,
 * the `stack` output, then the first reachable manager. The swarm strategy fills `report` with the
 * stack's services; the caller sets the `services` output from it (swarmServicesOutput).
 */
export async function swarmMode<C extends Parameters<typeof applySwarmMode>[0] & ConnectionConfig>(
  config: C,
  inputs: Parameters<typeof applySwarmMode>[1],
  ctx: RunContext,
  report: SwarmReport,
): Promise<C> {
  const swarm = applySwarmMode(config, inputs, report);
  if (swarm.switch?.kind !== 'swarm') return swarm;
  ctx.outputs.set('stack', swarm.switch.stack);
  return pickSwarmManager(swarm, ctx);
}
