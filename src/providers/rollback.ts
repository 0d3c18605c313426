import type { RunContext } from '../core/action.js';
import { ConfigurationError } from '../core/errors.js';
import type { ProviderInputs } from './host.js';
import { requireInput } from './lookup.js';
import { frontendProvider } from './registry.js';

/** Rolls a Vercel project or Netlify site back to `to` (a deployment id or "previous"); sets rollback's outputs. */
export async function rollbackFrontend(name: string, inputs: ProviderInputs & { to: string }, ctx: RunContext): Promise<void> {
  const { rollback } = frontendProvider(name);
  if (!rollback) throw new ConfigurationError(`input "provider": no frontend rollback for "${name}"`);
  if (inputs.to !== 'previous' && !/^[A-Za-z0-9_-]{1,100}$/.test(inputs.to))
    throw new ConfigurationError(`input "to": expected "previous" or a ${name} deployment id, got ${JSON.stringify(inputs.to)}`);
  const token = requireInput(inputs.token, 'token', `the ${name} API token`);
  const result = await rollback({ ...inputs, token }, inputs.to, ctx);
  ctx.outputs.set('release', result.to);
  if (result.from) ctx.outputs.set('previous-release', result.from);
  ctx.logger.info(`rollback: ${name} now serves ${result.to}${result.url ? ` (${result.url})` : ''}`);
  ctx.summary.heading(`deploy-kit rollback: ${name} ${result.from ?? '—'} → ${result.to}`);
  if (result.url) ctx.summary.line(`Now serving ${result.url}`);
}
