import type { RunContext } from '../core/action.js';
import type { BackendDeployment, BackendHost, BackendReport } from './host.js';

/** What a hosted provider's summary shows: a title, the source deployed, and (for per-unit rows) the row headers. */
export interface HostedReport {
  title: string;
  source: string;
  rowHeaders?: string[];
}

/** deploy-id and status, or the provider's own outputs. */
function setOutputs(d: BackendDeployment | undefined, ctx: RunContext): void {
  if (!d) return;
  ctx.outputs.set('status', d.status);
  if (!d.outputs) ctx.outputs.set('deploy-id', d.id);
  for (const [name, value] of Object.entries(d.outputs ?? {})) if (value !== '') ctx.outputs.set(name, value);
}

function writeSummary(
  heading: string,
  report: HostedReport,
  last: BackendDeployment | undefined,
  extra: string[][],
  ctx: RunContext,
): void {
  ctx.summary.heading(heading);
  ctx.summary.table(
    ['field', 'value'],
    [
      ['source', report.source],
      ...extra,
      ['status', last?.status ?? 'not started'],
      ...Object.entries(last?.outputs ?? (last ? { deploy: last.id } : {})),
    ],
  );
  if (report.rowHeaders && last?.rows?.length) ctx.summary.table(report.rowHeaders, last.rows);
}

/** backend with a hosted provider (fly, digitalocean): verify → deploy → wait; outputs and a summary from what was done, also on failure. */
export async function runHostedDeploy(host: BackendHost, report: HostedReport, ctx: RunContext): Promise<void> {
  const url = (await host.verify(ctx)).url;
  if (url !== undefined) ctx.outputs.set('url', url);
  const done: BackendReport = {};
  try {
    await host.deploy(ctx, done);
  } finally {
    setOutputs(done.deployment, ctx);
    writeSummary(`deploy-kit backend: ${report.title}`, report, done.deployment, url ? [['url', url]] : [], ctx);
  }
}

/** rollback with a hosted provider: outputs release (what it went back to) and previous-release (what ran before). */
export async function runHostedRollback(host: BackendHost, to: string, report: HostedReport, ctx: RunContext): Promise<void> {
  await host.verify(ctx);
  const done: BackendReport = {};
  try {
    await host.rollback(to, ctx, done);
  } finally {
    setOutputs(done.deployment, ctx);
    if (done.from) ctx.outputs.set('release', done.from.target);
    if (done.from?.current) ctx.outputs.set('previous-release', done.from.current);
    const rows = [
      ['from', done.from?.current ?? '—'],
      ['to', done.from?.target ?? to],
    ];
    writeSummary(`deploy-kit rollback: ${report.title}`, report, done.deployment, rows, ctx);
  }
}
