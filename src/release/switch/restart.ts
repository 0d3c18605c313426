import type { RunContext } from '../../core/action.js';
import type { ReleaseHost } from '../host.js';
import type { SwitchStrategy } from './strategy.js';

/**
 * `restart-command` holds one command per line (a line ending in `\` continues on the next), so the
 * web process, Celery workers and beat each get theirs: `sudo systemctl restart app`, then
 * `sudo systemctl restart celery-worker`, ... Blank lines are ignored.
 */
export function restartCommands(text: string | undefined): string[] {
  const commands: string[] = [];
  let pending = '';
  for (const line of (text ?? '').split('\n')) {
    const joined = pending + line;
    if (/\\\s*$/.test(joined)) {
      // Kept as written: bash reads backslash-newline as a continuation.
      pending = `${joined}\n`;
      continue;
    }
    pending = '';
    if (joined.trim()) commands.push(joined.trim());
  }
  if (pending.trim()) commands.push(pending.trim());
  return commands;
}

function label(command: string): string {
  const first = command.split('\n')[0]!;
  return first.length > 60 ? `${first.slice(0, 57)}...` : first;
}

/**
 * Runs every restart command in `current`, in order; each must succeed (the first failure stops the
 * rest and fails the step, naming the command). Returns one line per command for the report.
 */
export async function runRestarts(host: ReleaseHost, commands: readonly string[], release: string, why: string): Promise<string[]> {
  const notes: string[] = [];
  for (const [index, command] of commands.entries()) {
    const name = commands.length > 1 ? `${why} ${index + 1}/${commands.length} (${label(command)})` : `${why} (${label(command)})`;
    await host.runCommand(name, 'current', command, release);
    notes.push(`restarted: ${label(command)}`);
  }
  return notes;
}

/** `restart`: switch `current`, then run each restart-command in it (systemctl restart, docker compose up -d). */
export function restartStrategy(commands: readonly string[], ctx: RunContext): SwitchStrategy {
  return {
    async activate(host, release, switched) {
      await host.switchTo(release);
      switched();
      if (commands.length === 0) return [];
      return ctx.logger.group(`${host.label}: restart`, () => runRestarts(host, commands, release, 'restart-command'));
    },
    async revert(host, previous, why) {
      await host.switchTo(previous);
      if (previous) await runRestarts(host, commands, previous, why);
    },
  };
}

/**
 * Beside another strategy (blue/green runs the web pair): after it has switched, the restart
 * commands restart the processes that are not the web pair (Celery worker, beat), and again after
 * a revert, so they always run the code `current` points at.
 */
export function withRestarts(strategy: SwitchStrategy, commands: readonly string[], ctx: RunContext): SwitchStrategy {
  if (commands.length === 0) return strategy;
  return {
    async activate(host, release, switched) {
      const notes = await strategy.activate(host, release, switched);
      notes.push(...(await ctx.logger.group(`${host.label}: restart`, () => runRestarts(host, commands, release, 'restart-command'))));
      return notes;
    },
    async revert(host, previous, why) {
      await strategy.revert(host, previous, why);
      if (previous) await runRestarts(host, commands, previous, why);
    },
  };
}
