import type { RunContext } from '../../core/action.js';
import { ConfigurationError, errorMessage, OperationalError } from '../../core/errors.js';
import type { ConnectionConfig } from '../../ssh/connect.js';
import { targetLabel } from '../../ssh/target.js';
import { connect } from '../connect.js';
import { managerCheckScript, parseManagerCheck } from './scripts.js';

/**
 * `hosts` in `mode: swarm` are managers of one swarm; the first one that answers as an active
 * manager is the one the release goes to (deploying to every manager would deploy the stack N times).
 * Each manager keeps its own release layout, so the docs advise one primary manager.
 */
export async function pickSwarmManager<C extends ConnectionConfig>(config: C, ctx: RunContext): Promise<C> {
  const candidates = config.transport === 'local' ? [undefined] : config.hosts;
  const tried: string[] = [];
  for (const target of candidates) {
    const one = target ? { ...config, hosts: [target] } : config;
    let label = target ? targetLabel(target) : 'local';
    try {
      const connections = await connect(one, ctx);
      try {
        const host = connections.hosts[0]!;
        label = host.label;
        const check = parseManagerCheck(await host.script('checking the swarm', managerCheckScript()));
        if (check.manager) {
          if (tried.length > 0) ctx.logger.warning(`swarm: using manager ${label}; skipped ${tried.join('; ')}`);
          else ctx.logger.info(`swarm: using manager ${label}`);
          return one;
        }
        tried.push(`${label}: not an active swarm manager (swarm state ${check.state})`);
      } finally {
        await connections.close();
      }
    } catch (error) {
      // A missing key or a bad input is the same on every host: say it as it is.
      if (error instanceof ConfigurationError) throw error;
      tried.push(`${label}: ${errorMessage(error).split('\n')[0]}`);
    }
  }
  throw new OperationalError(
    `no swarm manager among hosts: ${tried.join('; ')}`,
    'list manager nodes in hosts (docker node ls on a manager shows them); a worker cannot deploy a stack, and a host that is not in a swarm needs docker swarm init or join',
  );
}
