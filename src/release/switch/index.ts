import type { RunContext } from '../core/action.js';
import type { HealthExpectation } from '../core/health.js';
import type { BlueGreenConfig } from './bluegreen.js';
import { blueGreenStrategy } from './bluegreen.js';
import type { ReleaseHost } from './host.js';

/**
 * How a host starts serving a release once it is uploaded and checked: the step deploy and
 * rollback call where `current` changes. `activate` calls `switched()` the moment the host's
 * live state has changed, so the caller knows a failure after that point needs `revert`.
 */
export interface SwitchStrategy {
  /** Makes `release` the live one; returns notes for the report (health on the side port). */
  activate(host: ReleaseHost, release: string, switched: () => void): Promise<string[]>;
  /** Puts `previous` back after a failure that followed the switch (nothing before a first deploy). */
  revert(host: ReleaseHost, previous: string | undefined, why: string): Promise<void>;
}

export type SwitchConfig = { kind: 'restart' } | ({ kind: 'blue-green' } & BlueGreenConfig);

interface StrategyOptions {
  restartCommand?: string;
  health: { expect: HealthExpectation; timeoutMs: number };
}

/** `restart`: switch `current`, then run restart-command in it (systemctl restart, docker compose up -d). */
function restartStrategy(restartCommand: string | undefined, ctx: RunContext): SwitchStrategy {
  return {
    async activate(host, release, switched) {
      await host.switchTo(release);
      switched();
      if (restartCommand)
        await ctx.logger.group(`${host.label}: restart`, () => host.runCommand('restart-command', 'current', restartCommand, release));
      return [];
    },
    async revert(host, previous, why) {
      await host.switchTo(previous);
      if (previous && restartCommand) await host.runCommand(why, 'current', restartCommand, previous);
    },
  };
}

export function switchStrategy(config: SwitchConfig | undefined, options: StrategyOptions, ctx: RunContext): SwitchStrategy {
  if (config?.kind === 'blue-green') return blueGreenStrategy(config, options.health, ctx);
  return restartStrategy(options.restartCommand, ctx);
}
