import type { RunContext } from '../../core/action.js';
import { ConfigurationError, OperationalError } from '../../core/errors.js';
import { HttpError } from '../../core/http.js';
import { bool, duration, httpUrl, optionalText, pattern } from '../../core/inputs.js';
import { maskSecret } from '../../core/logger.js';
import { missingSecret } from '../../core/missing-secret.js';

/**
 * Render (https://api.render.com/v1): trigger a deploy by commit or image, wait for it to go live,
 * cancel it on timeout, roll back to an earlier deploy.
 */

export const RENDER_API = 'https://api.render.com/v1';

export const IN_PROGRESS = new Set(['created', 'queued', 'build_in_progress', 'update_in_progress', 'pre_deploy_in_progress']);
export const FAILED = new Set(['build_failed', 'update_failed', 'pre_deploy_failed', 'canceled', 'deactivated']);

/** Inputs shared by backend and rollback with `provider: render`. */
export const renderConnectionInputs = {
  service: pattern(/^srv-[a-z0-9]{4,64}$/, 'a Render service id such as srv-cj4k8s7ba2bs73a5rpeg'),
  token: optionalText(),
  'api-url': httpUrl(),
  timeout: duration('15m'),
};

/** The backend-only Render inputs. */
export const renderDeployInputs = {
  ...renderConnectionInputs,
  commit: pattern(/^[0-9a-f]{7,40}$/, 'a git commit sha'),
  image: optionalText(),
  'clear-cache': bool(false),
  'deploy-hook-url': optionalText(),
};

export const RENDER_SECRET_INPUTS = ['token', 'deploy-hook-url'] as const;

export interface RenderConfig {
  apiUrl: string;
  token: string;
  service: string;
  timeoutMs: number;
  commit?: string;
  imageUrl?: string;
  clearCache: boolean;
}

export interface RenderDeploy {
  id: string;
  status: string;
  createdAt?: string;
  trigger?: string;
  commit?: { id?: string };
  image?: { ref?: string };
}

export interface RenderService {
  id: string;
  name?: string;
  serviceDetails?: { url?: string };
}

export function renderConfig(
  inputs: {
    service?: string;
    token?: string;
    'api-url'?: string;
    timeout: number;
    commit?: string;
    image?: string;
    'clear-cache'?: boolean;
  },
  ctx: RunContext,
): RenderConfig {
  if (!inputs.service) throw new ConfigurationError('input "service": expected the Render service id (srv-...) with provider render');
  if (!inputs.token) throw missingSecret('token', 'provider render needs a Render API key');
  if (inputs.commit && inputs.image)
    throw new ConfigurationError(
      'inputs "commit" and "image": give one of them (a git-backed service deploys a commit, an image-backed one an image)',
    );
  if (inputs.image && !/^[a-z0-9][\w.:/-]*(@sha256:[0-9a-f]{64}|:[\w][\w.-]{0,127})$/.test(inputs.image)) {
    throw new ConfigurationError(`input "image": expected repository@sha256:... (or repository:tag), got ${JSON.stringify(inputs.image)}`);
  }
  if (inputs.image && !inputs.image.includes('@sha256:'))
    ctx.logger.warning(`image ${inputs.image} is not pinned by digest; a later push to that tag changes what Render runs`);
  maskSecret(ctx.logger, inputs.token);
  return {
    apiUrl: (inputs['api-url'] ?? RENDER_API).replace(/\/+$/, ''),
    token: inputs.token,
    service: inputs.service,
    timeoutMs: inputs.timeout,
    commit: inputs.commit,
    imageUrl: inputs.image,
    clearCache: inputs['clear-cache'] ?? false,
  };
}

/** Render's error body is `{id, message}`; a 401/404 at the first call is a configuration mistake. */
export function describeHttpError(error: unknown, config: RenderConfig): Error {
  if (!(error instanceof HttpError)) return error instanceof Error ? error : new Error(String(error));
  let message = error.body;
  try {
    message = (JSON.parse(error.body) as { message?: string }).message ?? error.body;
  } catch {
    // not JSON: keep the body
  }
  if (error.status === 401 || error.status === 403)
    return new ConfigurationError(`input "token": Render refused the API key (${error.status}: ${message})`);
  if (error.status === 404 && error.request.url.endsWith(`/services/${config.service}`)) {
    return new ConfigurationError(`input "service": Render has no service ${config.service} for this API key (404)`);
  }
  return new OperationalError(
    `Render ${error.request.method} ${error.request.url.replace(config.apiUrl, '')} returned ${error.status}: ${message}`,
  );
}
