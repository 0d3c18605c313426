import type { RunContext } from '../../core/action.js';
import type { ConnectionConfig } from '../../ssh/connect.js';
import { applySwarmMode } from './inputs.js';
import { pickSwarmManager } from './manager.js';

/**
 * What backend and rollback call for `mode: swarm` (a no-op in the other modes): the config checks,
 * the `stack` and `services` outputs as soon as they are known, then the first reachable manager.
 */
export async function swarmMode<C extends Parameters<typeof applySwarmMode>[0] & ConnectionConfig>(
  config: C,
  inputs: Parameters<typeof applySwarmMode>[1],
  ctx: RunContext,
): Promise<C> {
  const swarm = applySwarmMode(config, inputs, {
    onServices: (services) => ctx.outputs.set('services', JSON.stringify(services)),
  });
  if (swarm.switch?.kind !== 'swarm') return swarm;
  ctx.outputs.set('stack', swarm.switch.stack);
  return pickSwarmManager(swarm, ctx);
}
