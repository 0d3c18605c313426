import type { RunContext } from '../../core/action.js';
import type { SwarmConfig } from '../swarm/config.js';
import { swarmStrategy } from '../swarm/strategy.js';
import { type BlueGreenConfig, blueGreenStrategy } from './bluegreen.js';
import { restartStrategy } from './restart.js';
import type { StrategyHealth, SwitchStrategy } from './strategy.js';

export type { SwitchStrategy } from './strategy.js';

export type SwitchConfig = { kind: 'restart' } | ({ kind: 'blue-green' } & BlueGreenConfig) | ({ kind: 'swarm' } & SwarmConfig);

interface StrategyOptions {
  restartCommand?: string;
  health: StrategyHealth;
}

/** The strategy a deploy or rollback switches with: blue/green behind nginx, or switch and restart. */
export function switchStrategy(config: SwitchConfig | undefined, options: StrategyOptions, ctx: RunContext): SwitchStrategy {
  if (config?.kind === 'blue-green') return blueGreenStrategy(config, options.health, ctx);
  if (config?.kind === 'swarm') return swarmStrategy(config, ctx);
  return restartStrategy(options.restartCommand, ctx);
}
