import type { RunContext } from '../../core/action.js';
import { type BlueGreenConfig, blueGreenStrategy } from './bluegreen.js';
import { restartStrategy } from './restart.js';
import type { StrategyHealth, SwitchStrategy } from './strategy.js';

export type { SwitchStrategy } from './strategy.js';

export type SwitchConfig = { kind: 'restart' } | ({ kind: 'blue-green' } & BlueGreenConfig);

interface StrategyOptions {
  restartCommand?: string;
  health: StrategyHealth;
}

/** The strategy a deploy or rollback switches with: blue/green behind nginx, or switch and restart. */
export function switchStrategy(config: SwitchConfig | undefined, options: StrategyOptions, ctx: RunContext): SwitchStrategy {
  if (config?.kind === 'blue-green') return blueGreenStrategy(config, options.health, ctx);
  return restartStrategy(options.restartCommand, ctx);
}
