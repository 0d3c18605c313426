import type { RunContext } from '../../core/action.js';
import { ConfigurationError } from '../../core/errors.js';
import { pattern } from '../../core/inputs.js';
import { maskSecret } from '../../core/logger.js';
import { missingSecret } from '../../core/missing-secret.js';

/**
 * Fly.io through the Machines API (https://api.machines.dev/v1): every Machine of the app (or of one
 * process group) is updated to the new image under a lease, waited for to reach `started` and pass its
 * checks, in batches of `max-parallel`; a failure puts the updated Machines back on their old image.
 */

export const FLY_API = 'https://api.machines.dev/v1';

/** The image the kit saw before it updated a Machine, kept in the Machine's own config metadata. */
export const PREVIOUS_IMAGE_KEY = 'deploy_kit_previous_image';
export const RELEASE_KEY = 'deploy_kit_release';

/** An image reference pinned by digest: what Fly is told to run must not move under it. */
export const PINNED_IMAGE = /^[a-z0-9][\w.:/-]*@sha256:[0-9a-f]{64}$/;

/** Inputs only `provider: fly` reads (`token`, `image`, `timeout`, `api-url`, `max-parallel` are shared). */
export const flyInputs = {
  app: pattern(/^[a-z0-9][a-z0-9-]{1,62}$/, 'a Fly app name (lowercase letters, digits and dashes)'),
  'process-group': pattern(/^[a-z0-9_-]{1,63}$/, 'a process group name from fly.toml [processes], such as app or worker'),
};

export interface FlyConfig {
  apiUrl: string;
  token: string;
  app: string;
  processGroup?: string;
  maxParallel: number;
  timeoutMs: number;
}

export function flyConfig(
  inputs: { app?: string; token?: string; 'api-url'?: string; 'process-group'?: string; timeout: number; 'max-parallel'?: number },
  ctx: RunContext,
): FlyConfig {
  if (!inputs.app) throw new ConfigurationError('input "app": expected the Fly app name with provider fly');
  if (!inputs.token) throw missingSecret('token', 'provider fly needs a Fly API token (fly tokens create deploy)');
  maskSecret(ctx.logger, inputs.token);
  return {
    apiUrl: (inputs['api-url'] ?? FLY_API).replace(/\/+$/, ''),
    token: inputs.token,
    app: inputs.app,
    processGroup: inputs['process-group'],
    maxParallel: inputs['max-parallel'] ?? 1,
    timeoutMs: inputs.timeout,
  };
}

/** The image to deploy or roll back to: required, and pinned by digest. */
export function pinnedImage(input: string, value: string | undefined): string {
  if (!value) throw new ConfigurationError(`input "${input}": expected the image to run, pinned by digest (repository@sha256:...)`);
  if (!PINNED_IMAGE.test(value))
    throw new ConfigurationError(
      `input "${input}": expected an image pinned by digest (repository@sha256:<64 hex>, the image action's \`image\` output), got ${JSON.stringify(value)}`,
    );
  return value;
}
