import type { RunContext } from '../core/action.js';
import { ConfigurationError } from '../core/errors.js';
import type { FrontendRollback } from './host.js';
import { providerEntry, requireInput } from './lookup.js';
import { rollbackNetlify } from './netlify.js';
import { rollbackVercel } from './vercel.js';

export interface FrontendRollbackInputs {
  to: string;
  token?: string;
  project?: string;
  team?: string;
  site?: string;
  'api-url'?: string;
}

type RollbackFn = (inputs: FrontendRollbackInputs & { token: string }, ctx: RunContext) => Promise<FrontendRollback>;

/** Frontend hosts the rollback action can return to an earlier deploy, by the `provider` input. */
export const FRONTEND_ROLLBACKS: Readonly<Record<string, RollbackFn>> = {
  vercel: (i, ctx) =>
    rollbackVercel(
      { token: i.token, project: requireInput(i.project, 'project', 'the Vercel project name or id'), team: i.team, apiUrl: i['api-url'] },
      i.to,
      ctx,
    ),
  netlify: (i, ctx) =>
    rollbackNetlify({ token: i.token, site: requireInput(i.site, 'site', 'the Netlify site id'), apiUrl: i['api-url'] }, i.to, ctx),
};

/** Rolls a Vercel project or Netlify site back to `to` (a deployment id or "previous"); sets rollback's outputs. */
export async function rollbackFrontend(provider: string, inputs: FrontendRollbackInputs, ctx: RunContext): Promise<void> {
  const fn = providerEntry(FRONTEND_ROLLBACKS, provider, 'no frontend rollback for');
  if (inputs.to !== 'previous' && !/^[A-Za-z0-9_-]{1,100}$/.test(inputs.to))
    throw new ConfigurationError(`input "to": expected "previous" or a ${provider} deployment id, got ${JSON.stringify(inputs.to)}`);
  const token = requireInput(inputs.token, 'token', `the ${provider} API token`);
  const result = await fn({ ...inputs, token }, ctx);
  ctx.outputs.set('release', result.to);
  if (result.from) ctx.outputs.set('previous-release', result.from);
  ctx.logger.info(`rollback: ${provider} now serves ${result.to}${result.url ? ` (${result.url})` : ''}`);
  ctx.summary.heading(`deploy-kit rollback: ${provider} ${result.from ?? '—'} → ${result.to}`);
  if (result.url) ctx.summary.line(`Now serving ${result.url}`);
}
