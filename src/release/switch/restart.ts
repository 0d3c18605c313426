import type { RunContext } from '../../core/action.js';
import type { SwitchStrategy } from './strategy.js';

/** `restart`: switch `current`, then run restart-command in it (systemctl restart, docker compose up -d). */
export function restartStrategy(restartCommand: string | undefined, ctx: RunContext): SwitchStrategy {
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
