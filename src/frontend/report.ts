import type { RunContext } from '../core/action.js';
import type { PublishReport, Target } from '../providers/host.js';

export interface PublishOutcome {
  provider: string;
  site: string;
  target: Target;
  sha: string;
  progress: PublishReport;
  error?: string;
}

function rows(outcome: PublishOutcome): string[][] {
  const p = outcome.progress;
  const out = [
    ['status', outcome.error ? `failed: ${outcome.error.split('\n')[0]}` : 'published'],
    ['environment', outcome.target],
    ['url', p.aliasUrl ?? p.url ?? '—'],
    ['commit', outcome.sha.slice(0, 7) || '—'],
    ['deployment', p.providerDeploymentId ?? '—'],
    ['files uploaded', p.filesTotal === undefined ? '—' : `${p.filesUploaded ?? '—'} of ${p.filesTotal}`],
  ];
  if (p.aliasError) out.push(['alias error', p.aliasError]);
  if (p.note) out.push(['note', p.note]);
  return out;
}

/** The sticky PR comment: URL, commit and time, in the same words as the job summary. */
export function commentBody(outcome: PublishOutcome, ctx: RunContext): string {
  const icon = outcome.error ? '❌' : '✅';
  const lines = [
    `### ${icon} deploy-kit frontend: ${outcome.provider} ${outcome.site}`,
    '',
    '| | |',
    '| --- | --- |',
    ...rows(outcome).map(([k, v]) => `| ${k} | ${v!.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`),
    `| updated | ${new Date(ctx.clock.now()).toISOString()} |`,
  ];
  if (ctx.env.runUrl) lines.push('', `[Run log](${ctx.env.runUrl})`);
  return lines.join('\n');
}

export function writeSummary(outcome: PublishOutcome, ctx: RunContext): void {
  ctx.summary.heading(`deploy-kit frontend: ${outcome.provider} ${outcome.site} (${outcome.target})`);
  ctx.summary.table(['', ''], rows(outcome));
}
