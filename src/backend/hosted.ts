import type { RunContext } from '../core/action.js';
import type { BackendDeployment, BackendHost, RollbackFrom } from './host.js';

/** What a hosted provider's summary shows: a title, the source deployed, and (for per-unit rows) the row headers. */
export interface HostedReport {
  title: string;
  source: string;
  rowHeaders?: string[];
}

/** deploy-id and status, or the provider's own outputs; set on every change so they exist when the step fails. */
function setOutputs(d: BackendDeployment, ctx: RunContext): void {
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

/** backend with a hosted provider (fly, digitalocean): verify → deploy → wait, outputs as they become known, a summary. */
export async function runHostedDeploy(host: BackendHost, report: HostedReport, ctx: RunContext): Promise<void> {
  const url = (await host.verify(ctx)).url;
  if (url !== undefined) ctx.outputs.set('url', url);
  let last: BackendDeployment | undefined;
  const track = (d: BackendDeployment) => {
    setOutputs(d, ctx);
    last = d;
  };
  try {
    last = await host.deploy(ctx, track);
  } finally {
    writeSummary(`deploy-kit backend: ${report.title}`, report, last, url ? [['url', url]] : [], ctx);
  }
}

/** rollback with a hosted provider: outputs release (what it went back to) and previous-release (what ran before). */
export async function runHostedRollback(host: BackendHost, to: string, report: HostedReport, ctx: RunContext): Promise<void> {
  await host.verify(ctx);
  let last: BackendDeployment | undefined;
  let resolved: RollbackFrom | undefined;
  try {
    last = await host.rollback(to, ctx, (d, from) => {
      last = d;
      resolved = from;
      setOutputs(d, ctx);
      ctx.outputs.set('release', from.target);
      if (from.current) ctx.outputs.set('previous-release', from.current);
    });
  } finally {
    const rows = [
      ['from', resolved?.current ?? '—'],
      ['to', resolved?.target ?? to],
    ];
    writeSummary(`deploy-kit rollback: ${report.title}`, report, last, rows, ctx);
  }
}
