import type { RunContext } from '../core/action.js';
import type { BackendDeployment, BackendHost, BackendReport } from './host.js';

/** What a hosted provider's summary shows: a title, the source deployed, and (for per-unit rows) the row headers. */
export interface HostedView {
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

function writeSummary(heading: string, view: HostedView, last: BackendDeployment | undefined, extra: string[][], ctx: RunContext): void {
  ctx.summary.heading(heading);
  ctx.summary.table(
    ['field', 'value'],
    [
      ['source', view.source],
      ...extra,
      ['status', last?.status ?? 'not started'],
      ...Object.entries(last?.outputs ?? (last ? { deploy: last.id } : {})),
    ],
  );
  if (view.rowHeaders && last?.rows?.length) ctx.summary.table(view.rowHeaders, last.rows);
}

/** backend with a hosted provider (fly, digitalocean): verify → deploy → wait; outputs and a summary from what was done, also on failure. */
export async function runHostedDeploy(host: BackendHost, view: HostedView, ctx: RunContext): Promise<void> {
  const url = (await host.verify(ctx)).url;
  if (url !== undefined) ctx.outputs.set('url', url);
  const report: BackendReport = {};
  try {
    await host.deploy(ctx, report);
  } finally {
    setOutputs(report.deployment, ctx);
    writeSummary(`deploy-kit backend: ${view.title}`, view, report.deployment, url ? [['url', url]] : [], ctx);
  }
}

/** rollback with a hosted provider: outputs release (what it went back to) and previous-release (what ran before). */
export async function runHostedRollback(host: BackendHost, to: string, view: HostedView, ctx: RunContext): Promise<void> {
  await host.verify(ctx);
  const report: BackendReport = {};
  try {
    await host.rollback(to, ctx, report);
  } finally {
    setOutputs(report.deployment, ctx);
    if (report.from) ctx.outputs.set('release', report.from.target);
    if (report.from?.current) ctx.outputs.set('previous-release', report.from.current);
    const rows = [
      ['from', report.from?.current ?? '—'],
      ['to', report.from?.target ?? to],
    ];
    writeSummary(`deploy-kit rollback: ${view.title}`, view, report.deployment, rows, ctx);
  }
}
