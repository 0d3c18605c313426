import type { RunContext } from '../core/action.js';
import { ConfigurationError } from '../core/errors.js';
import type { FrontendRollback } from './host.js';
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

function need(value: string | undefined, input: string, what: string): string {
  if (!value) throw new ConfigurationError(`input "${input}": expected ${what}`);
  return value;
}

/** Frontend hosts the rollback action can return to an earlier deploy, by the `provider` input. */
export const FRONTEND_ROLLBACKS: Readonly<Record<string, RollbackFn>> = {
  vercel: (i, ctx) => rollbackVercel({ token: i.token, project: need(i.project, 'project', 'the Vercel project name or id'), team: i.team, apiUrl: i['api-url'] }, i.to, ctx),
  netlify: (i, ctx) => rollbackNetlify({ token: i.token, site: need(i.site, 'site', 'the Netlify site id'), apiUrl: i['api-url'] }, i.to, ctx),
};

/** Rolls a Vercel project or Netlify site back to `to` (a deployment id or "previous"); sets rollback's outputs. */
export async function rollbackFrontend(provider: string, inputs: FrontendRollbackInputs, ctx: RunContext): Promise<void> {
  const fn = Object.hasOwn(FRONTEND_ROLLBACKS, provider) ? FRONTEND_ROLLBACKS[provider] : undefined;
  if (!fn) throw new ConfigurationError(`input "provider": no frontend rollback for "${provider}"; known: ${Object.keys(FRONTEND_ROLLBACKS).join(', ')}`);
  if (inputs.to !== 'previous' && !/^[A-Za-z0-9_-]{1,100}$/.test(inputs.to)) throw new ConfigurationError(`input "to": expected "previous" or a ${provider} deployment id, got ${JSON.stringify(inputs.to)}`);
  const token = need(inputs.token, 'token', `the ${provider} API token`);
  const result = await fn({ ...inputs, token }, ctx);
  ctx.outputs.set('release', result.to);
  if (result.from) ctx.outputs.set('previous-release', result.from);
  ctx.logger.info(`rollback: ${provider} now serves ${result.to}${result.url ? ` (${result.url})` : ''}`);
  ctx.summary.heading(`deploy-kit rollback: ${provider} ${result.from ?? '—'} → ${result.to}`);
  if (result.url) ctx.summary.line(`Now serving ${result.url}`);
}
