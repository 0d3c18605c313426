import { z } from 'zod';

import type { RunContext } from '../../core/action.js';
import { ConfigurationError } from '../../core/errors.js';
import { bool, pattern } from '../../core/inputs.js';
import { maskSecret } from '../../core/logger.js';
import { missingSecret } from '../../core/missing-secret.js';

/**
 * DigitalOcean App Platform (https://api.digitalocean.com/v2): create a deployment, follow its phase
 * to ACTIVE, cancel it on timeout; roll back with validate → rollback → commit (or revert on failure).
 */

export const DIGITALOCEAN_API = 'https://api.digitalocean.com/v2';

/** The documented deployment phases: waiting ones, and where a deployment ends. */
export const IN_PROGRESS = new Set(['UNKNOWN', 'PENDING_BUILD', 'BUILDING', 'PENDING_DEPLOY', 'DEPLOYING']);
export const ENDED = new Set(['ACTIVE', 'SUPERSEDED', 'ERROR', 'CANCELED']);

/** Inputs only `provider: digitalocean` reads (`token`, `timeout`, `api-url` are shared). */
export const digitalOceanAppInputs = {
  'app-id': pattern(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'a DigitalOcean app id (a UUID, doctl apps list)'),
};
export const digitalOceanDeployInputs = { ...digitalOceanAppInputs, 'force-build': bool(false) };

export interface DigitalOceanConfig {
  apiUrl: string;
  token: string;
  appId: string;
  timeoutMs: number;
  forceBuild: boolean;
}

export function digitalOceanConfig(
  inputs: { 'app-id'?: string; token?: string; 'api-url'?: string; timeout: number; 'force-build'?: boolean },
  ctx: RunContext,
): DigitalOceanConfig {
  if (!inputs['app-id'])
    throw new ConfigurationError('input "app-id": expected the App Platform app id (a UUID) with provider digitalocean');
  if (!inputs.token) throw missingSecret('token', 'provider digitalocean needs a DigitalOcean API token with app:read and app:update');
  maskSecret(ctx.logger, inputs.token);
  return {
    apiUrl: (inputs['api-url'] ?? DIGITALOCEAN_API).replace(/\/+$/, ''),
    token: inputs.token,
    appId: inputs['app-id'],
    timeoutMs: inputs.timeout,
    forceBuild: inputs['force-build'] ?? false,
  };
}

interface Step {
  name: string;
  status: string;
  reason?: { code?: string; message?: string } | null;
  steps?: Step[] | null;
}
const stepSchema: z.ZodType<Step> = z.lazy(() =>
  z.object({
    name: z.string(),
    status: z.string(),
    reason: z.object({ code: z.string().optional(), message: z.string().optional() }).nullish(),
    steps: z.array(stepSchema).nullish(),
  }),
);

export const deploymentSchema = z.object({
  id: z.string(),
  phase: z.string(),
  cause: z.string().optional(),
  created_at: z.string().optional(),
  progress: z.object({ steps: z.array(stepSchema).nullish(), error_steps: z.number().optional() }).nullish(),
});
export type AppDeployment = z.output<typeof deploymentSchema>;

export const appSchema = z.object({
  id: z.string(),
  spec: z.object({ name: z.string() }).loose(),
  live_url: z.string().optional(),
  active_deployment: z.object({ id: z.string() }).loose().nullish(),
  pinned_deployment: z.object({ id: z.string() }).loose().nullish(),
});

/** The deepest step with status ERROR, for "which step failed and why". */
export function failedStep(deployment: AppDeployment): Step | undefined {
  const walk = (steps: readonly Step[] | null | undefined): Step | undefined => {
    for (const step of steps ?? []) if (step.status === 'ERROR') return walk(step.steps) ?? step;
    return undefined;
  };
  return walk(deployment.progress?.steps);
}
