import type { RunContext } from '../../core/action.js';
import type { SwarmConfig } from '../swarm/config.js';
import { swarmStrategy } from '../swarm/strategy.js';
import { type BlueGreenConfig, blueGreenStrategy } from './bluegreen.js';
import { restartCommands, restartStrategy, withRestarts } from './restart.js';
import type { StrategyHealth, SwitchStrategy } from './strategy.js';

export type { SwitchStrategy } from './strategy.js';

export type SwitchConfig = { kind: 'restart' } | ({ kind: 'blue-green' } & BlueGreenConfig) | ({ kind: 'swarm' } & SwarmConfig);

interface StrategyOptions {
  restartCommand?: string;
  health: StrategyHealth;
}

/**
 * The strategy a deploy or rollback switches with: blue/green behind nginx (then the restart commands
 * for the other processes), or switch and restart. `restartCommand` holds one command per line.
 */
export function switchStrategy(config: SwitchConfig | undefined, options: StrategyOptions, ctx: RunContext): SwitchStrategy {
  const commands = restartCommands(options.restartCommand);
  if (config?.kind === 'blue-green') return withRestarts(blueGreenStrategy(config, options.health, ctx), commands, ctx);
  if (config?.kind === 'swarm') return swarmStrategy(config, ctx);
  return restartStrategy(commands, ctx);
}
