import { resolve } from 'node:path';

import { z } from 'zod';

import { defineAction, type RunContext } from '../core/action.js';
import { ConfigurationError } from '../core/errors.js';
import { bool, choice, duration, integer, optionalText, pattern, requireDirectory, text } from '../core/inputs.js';
import { missingSecret } from '../core/missing-secret.js';
import type { RunnerReport } from '../db/migrate/runner.js';
import { presetInvocation, type PresetTool, TOOLS } from '../db/migrate/tool-table.js';
import { maskDatabaseUrl, parseDatabaseUrl } from '../db/url.js';
import { lockConfig } from '../release/lock.js';
import { isSafeReleaseId, RELEASE_ID, RELEASE_ID_TEXT } from '../release/names.js';
import { connectionConfig, SSH_SECRET_INPUTS, sshConnectionInputs } from '../ssh/inputs.js';
import type { PresetResult } from './run-tool.js';

const schema = z.object({
  tool: choice(TOOLS, 'sql'),
  'database-url': optionalText(),
  dir: text('migrations'),
  plan: bool(false),
  down: integer(0, 0, 100_000),
  command: optionalText(),
  'working-directory': text('.'),
  where: choice(['runner', 'ssh'] as const, 'runner'),
  'lock-timeout': duration('5m'),
  release: pattern(RELEASE_ID, RELEASE_ID_TEXT),
  ...sshConnectionInputs,
  'source-host': optionalText(),
});

type MigrateInputs = z.output<typeof schema>;

const list = (items: readonly string[]) => items.join(',');

/** Cross-input checks, all before anything is connected or run. */
function check(inputs: MigrateInputs): void {
  const { tool, where } = inputs;
  if (inputs.down > 0 && tool !== 'sql')
    throw new ConfigurationError(
      `input "down": only the built-in runner (tool: sql) rolls back; for ${tool}, use tool: command with the tool's own rollback command`,
    );
  if (tool === 'command' && !inputs.command) throw new ConfigurationError('input "command": expected the command to run (tool: command)');
  if (tool !== 'command' && inputs.command) throw new ConfigurationError(`input "command": only used with tool: command (tool is ${tool})`);
  if (tool === 'command' && inputs.plan) throw new ConfigurationError('input "plan": tool: command has no plan mode');
  if (tool === 'sql' && where === 'ssh')
    throw new ConfigurationError(
      'input "where": ssh runs the app\'s own tool on the host; the built-in runner (tool: sql) runs here, with a database-url reachable from this runner',
    );
  if (where === 'ssh' && inputs['source-host'])
    throw new ConfigurationError(
      'input "source-host": where: ssh already runs the tool on the host (hosts); source-host tunnels to the database for a tool run on this runner',
    );
  if (where === 'runner' && inputs.release) throw new ConfigurationError('input "release": only used with where: ssh');
  if (inputs['database-url'] && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(inputs['database-url']))
    throw new ConfigurationError('input "database-url": expected a URL such as postgres://user:password@host/db');
  if (tool === 'sql' && !inputs['database-url'])
    throw missingSecret('database-url', 'tool: sql connects with it (postgres://, mysql://, mariadb://, sqlite:///path)');
}

function writeSqlSummary(report: RunnerReport, label: string, plan: boolean, ctx: RunContext): void {
  ctx.summary.heading(`deploy-kit migrate: ${label}${plan ? ' (plan)' : ''}`);
  const rows = [
    ...report.applied.map((id) => [id, 'applied']),
    ...report.rolledBack.map((id) => [id, 'rolled back']),
    ...(report.failed ? [[report.failed, 'failed, not recorded']] : []),
    ...(plan ? report.plan.map((line) => [line.replace(/^(up|down) /, ''), `would run ${line.split(' ')[0]}`]) : []),
    ...(plan ? [] : report.pending.filter((id) => id !== report.failed && !report.rolledBack.includes(id)).map((id) => [id, 'pending'])),
  ];
  if (rows.length === 0) ctx.summary.line('Nothing to do: every migration is applied.');
  ctx.summary.table(['migration', 'status'], rows);
}

async function runSql(inputs: MigrateInputs, cwd: string, ctx: RunContext): Promise<void> {
  const url = parseDatabaseUrl(inputs['database-url']!, cwd);
  // The database drivers and the SSH forward load once the inputs are checked, not at start-up.
  const [{ throughSource }, { migrateSql }] = await Promise.all([import('./source.js'), import('./sql.js')]);
  const report: RunnerReport = { planned: false, applied: [], rolledBack: [], pending: [], plan: [] };
  try {
    await throughSource(inputs, url, ctx, (reached) =>
      migrateSql(
        { url: reached, dir: resolve(cwd, inputs.dir), plan: inputs.plan, down: inputs.down, lockTimeoutMs: inputs['lock-timeout'] },
        ctx,
        report,
      ),
    );
    const done = inputs.plan
      ? report.plan
      : [...report.applied.map((id) => `applied ${id}`), ...report.rolledBack.map((id) => `rolled back ${id}`)];
    ctx.logger.info(done.length > 0 ? done.join('\n') : 'nothing to do: every migration is applied');
  } finally {
    // Set once the run ends, failed or not: up to the failed file.
    if (report.planned) {
      ctx.outputs.set('applied', list(report.applied));
      ctx.outputs.set('rolled-back', list(report.rolledBack));
      ctx.outputs.set('pending', list(report.pending));
      ctx.outputs.set('plan', report.plan.join('\n') || 'nothing to do');
      writeSqlSummary(report, url.display, inputs.plan, ctx);
    }
  }
}

async function runPreset(inputs: MigrateInputs, tool: PresetTool, cwd: string, ctx: RunContext): Promise<void> {
  const invocation = presetInvocation(tool, inputs.plan, inputs.command);
  if (!invocation) throw new ConfigurationError(`input "plan": ${tool} has no plan mode`);
  const databaseUrl = inputs['database-url'];
  const connection = inputs.where === 'ssh' ? connectionConfig(inputs) : undefined;
  if (connection && inputs.release && !isSafeReleaseId(inputs.release))
    throw new ConfigurationError(`input "release": expected ${RELEASE_ID_TEXT}`);
  const { runPresetOnRunner, runPresetOverSsh } = await import('./run-tool.js');
  let result: PresetResult | undefined;
  try {
    result = connection
      ? await runPresetOverSsh(tool, invocation, { connection, release: inputs.release, lock: lockConfig(inputs) }, databaseUrl, ctx)
      : await throughSourceIfUrl(inputs, cwd, ctx, (reached) => runPresetOnRunner(tool, invocation, cwd, reached, ctx));
  } finally {
    // Set once the tool ends, failed or not. The tool reports no pending list, and after a failure
    // nothing is known to be applied or planned.
    ctx.outputs.set('pending', '');
    if (inputs.plan) ctx.outputs.set('plan', result?.output ?? '');
    else ctx.outputs.set('applied', list(result?.applied ?? []));
    ctx.summary.heading(
      `deploy-kit migrate: ${tool}${inputs.plan ? ' (plan)' : ''}${inputs.where === 'ssh' ? ` on ${inputs.release ? `release ${inputs.release}` : 'current'}` : ''}`,
    );
    ctx.summary.line(`\`${invocation.remote}\``);
    if (!result) ctx.summary.line("Failed: the tool's last output lines are in the step log.");
    else if (inputs.plan) ctx.summary.line(`\`\`\`\n${result.output}\n\`\`\``);
    else
      ctx.summary.table(
        ['migration', 'status'],
        result.applied.map((id) => [id, 'applied']),
      );
  }
}

/** The app's tool on the runner gets DATABASE_URL pointed at the forward when source-host is set. */
async function throughSourceIfUrl<T>(
  inputs: MigrateInputs,
  cwd: string,
  ctx: RunContext,
  fn: (url: string | undefined) => Promise<T>,
): Promise<T> {
  const raw = inputs['database-url'];
  if (!raw || !inputs['source-host']) return fn(raw);
  const { throughSource } = await import('./source.js');
  return throughSource(inputs, parseDatabaseUrl(raw, cwd), ctx, (url) => fn(url.raw));
}

export const migrateAction = defineAction({
  name: 'migrate',
  schema,
  secretInputs: ['database-url', ...SSH_SECRET_INPUTS],
  outputs: ['applied', 'rolled-back', 'pending', 'plan'],
  async run(inputs, ctx) {
    if (inputs['database-url']) maskDatabaseUrl(ctx.logger, inputs['database-url']);
    check(inputs);
    const cwd = resolve(ctx.env.workspace, inputs['working-directory']);
    if (inputs.where === 'runner') requireDirectory('working-directory', cwd);
    if (inputs.tool === 'sql') await runSql(inputs, cwd, ctx);
    else await runPreset(inputs, inputs.tool, cwd, ctx);
  },
  // where: ssh holds the deploy lock: a killed main step leaves it to the post step to release
  // (releasePost also closes the target's connections); the source connection closes first.
  post: async (ctx) => {
    const [{ sourcePost }, { releasePost }] = await Promise.all([import('../ssh/forward.js'), import('../release/post.js')]);
    await sourcePost(ctx);
    await releasePost(ctx);
  },
});
