import type { RunContext } from '../core/action.js';
import { CommandError, tail } from '../core/errors.js';
import { appliedFromOutput, type Invocation, type PresetTool } from '../db/migrate/tool-table.js';
import { connect } from '../release/connect.js';
import { runInScript } from '../release/layout.js';
import { ACTIVATE_VENV } from '../release/venv.js';
import { type ConnectionConfig } from '../ssh/connect.js';

export interface PresetResult {
  output: string;
  applied: string[];
}

/** Runs the app's own tool on the runner, in working-directory, with DATABASE_URL set when given. */
export async function runPresetOnRunner(
  tool: PresetTool,
  invocation: Invocation,
  cwd: string,
  databaseUrl: string | undefined,
  ctx: RunContext,
): Promise<PresetResult> {
  const env = databaseUrl ? { DATABASE_URL: databaseUrl } : undefined;
  const result = await ctx.logger.group(`${invocation.argv.join(' ')} (in ${cwd})`, async () => {
    const run = await ctx.exec.run(invocation.argv, { cwd, env });
    const output = `${run.stdout}${run.stderr ? `\n${run.stderr}` : ''}`.trim();
    if (output) ctx.logger.info(output);
    return { ...run, output };
  });
  if (result.exitCode !== 0) throw new CommandError(`${tool}: ${invocation.argv.join(' ')}`, result.exitCode, tail(result.output));
  return { output: result.output, applied: appliedFromOutput(tool, result.output) };
}

export interface SshPresetConfig {
  connection: ConnectionConfig;
  /** A release id under <path>/releases, or undefined for <path>/current. */
  release?: string;
  lock: { waitMs: number; ttlMs: number };
}

/**
 * Runs the tool once, on the first host, inside a release (before the switch) or current, under the
 * deploy lock so no deploy or rollback moves `current` meanwhile.
 */
export async function runPresetOverSsh(
  tool: PresetTool,
  invocation: Invocation,
  config: SshPresetConfig,
  databaseUrl: string | undefined,
  ctx: RunContext,
): Promise<PresetResult> {
  const connections = await connect(config.connection, ctx);
  try {
    const host = connections.hosts[0]!;
    if (connections.hosts.length > 1) ctx.logger.info(`migrations run once, on ${host.label}; the other hosts share its database`);
    const dir = config.release ? `releases/${config.release}` : 'current';
    await host.lock(config.lock, 'migrate');
    try {
      const env: Record<string, string> = { DEPLOY_KIT_RELEASE: config.release ?? 'current', DEPLOY_KIT_ROOT: config.connection.root };
      if (databaseUrl) env.DATABASE_URL = databaseUrl;
      // The release's own virtualenv (backend python-venv) comes first on PATH, so `python`/`alembic` are its.
      const command = `${ACTIVATE_VENV}\n{\n${invocation.remote}\n} 2>&1`;
      const output = (
        await host.script(`${tool} in ${config.connection.root}/${dir}`, runInScript(config.connection.root, dir, command, env))
      ).trim();
      if (output) ctx.logger.info(output);
      return { output, applied: appliedFromOutput(tool, output) };
    } finally {
      await host.unlock();
    }
  } finally {
    await connections.close();
  }
}
