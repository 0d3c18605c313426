import type { RunContext } from '../core/action.js';
import { ConfigurationError, errorMessage, OperationalError } from '../core/errors.js';
import { HttpError, type HttpResponse } from '../core/http.js';
import { bool, duration, httpUrl, optionalText, pattern } from '../core/inputs.js';
import { maskSecret } from '../core/logger.js';
import { missingSecret } from '../core/missing-secret.js';
import { pollUntil } from '../core/retry.js';
import type { BackendDeployment, BackendHost } from './backend-host.js';

/**
 * Render (https://api.render.com/v1): trigger a deploy by commit or image, wait for it to go live,
 * cancel it on timeout, roll back to an earlier deploy.
 */

export const RENDER_API = 'https://api.render.com/v1';

const IN_PROGRESS = new Set(['created', 'queued', 'build_in_progress', 'update_in_progress', 'pre_deploy_in_progress']);
const FAILED = new Set(['build_failed', 'update_failed', 'pre_deploy_failed', 'canceled', 'deactivated']);

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

interface RenderDeploy {
  id: string;
  status: string;
  createdAt?: string;
  trigger?: string;
  commit?: { id?: string };
  image?: { ref?: string };
}

interface RenderService {
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
function describeHttpError(error: unknown, config: RenderConfig): Error {
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

export class RenderHost implements BackendHost {
  readonly name = 'render';
  private serviceUrl?: string;

  constructor(private readonly config: RenderConfig) {}

  private async call(ctx: RunContext, method: string, path: string, body?: unknown): Promise<HttpResponse> {
    try {
      return await ctx.http.request({
        method,
        url: `${this.config.apiUrl}${path}`,
        headers: {
          authorization: `Bearer ${this.config.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw describeHttpError(error, this.config);
    }
  }

  private get base(): string {
    return `/services/${this.config.service}`;
  }

  async verify(ctx: RunContext): Promise<{ url?: string }> {
    const service = (await this.call(ctx, 'GET', this.base)).json<RenderService>();
    this.serviceUrl = service.serviceDetails?.url;
    ctx.logger.info(`Render service ${service.name ?? service.id}${this.serviceUrl ? ` (${this.serviceUrl})` : ''}`);
    return { url: this.serviceUrl };
  }

  private view(deploy: RenderDeploy): BackendDeployment {
    return { id: deploy.id, status: deploy.status, url: this.serviceUrl };
  }

  /** Newest first, as Render lists them; items are `{cursor, deploy}`. */
  async listDeploys(ctx: RunContext, query: Record<string, string>): Promise<RenderDeploy[]> {
    const qs = new URLSearchParams({ limit: '20', ...query }).toString();
    return (await this.call(ctx, 'GET', `${this.base}/deploys?${qs}`))
      .json<{ cursor: string; deploy: RenderDeploy }[]>()
      .map((item) => item.deploy);
  }

  /** A 202 has no deploy in its body: find ours among those created since the trigger (the oldest match). */
  private async findQueued(ctx: RunContext, since: number): Promise<RenderDeploy> {
    const createdAfter = new Date(since - 1000).toISOString();
    const { value } = await pollUntil(
      {
        what: 'the queued Render deploy to appear in the deploy list',
        timeoutMs: Math.min(this.config.timeoutMs, 120_000),
        clock: ctx.clock,
      },
      async () => {
        const mine = (await this.listDeploys(ctx, { createdAfter }))
          .filter(
            (d) =>
              (!this.config.commit || d.commit?.id === this.config.commit) &&
              (!this.config.imageUrl || d.image?.ref === this.config.imageUrl),
          )
          .at(-1);
        return mine ? { done: true, value: mine } : { done: false, reason: `no deploy created after ${createdAfter} yet` };
      },
    );
    return value;
  }

  /** Polls to live; a failure status fails with its name; the deadline cancels the deploy. */
  private async waitLive(ctx: RunContext, deploy: RenderDeploy, onProgress: (d: BackendDeployment) => void): Promise<BackendDeployment> {
    let last = deploy;
    try {
      await pollUntil(
        {
          what: `Render deploy ${deploy.id} to go live`,
          timeoutMs: this.config.timeoutMs,
          clock: ctx.clock,
          initialDelayMs: 500,
          maxDelayMs: 10_000,
        },
        async () => {
          const current = (await this.call(ctx, 'GET', `${this.base}/deploys/${deploy.id}`)).json<RenderDeploy>();
          if (current.status !== last.status) {
            ctx.logger.info(`${deploy.id}: ${current.status}`);
            onProgress(this.view(current));
          }
          last = current;
          if (current.status === 'live' || FAILED.has(current.status)) return { done: true, value: current };
          if (!IN_PROGRESS.has(current.status)) ctx.logger.warning(`${deploy.id}: unknown status ${current.status}; still waiting`);
          return { done: false, reason: `status ${current.status}` };
        },
      );
    } catch (error) {
      const cancel = await this.call(ctx, 'POST', `${this.base}/deploys/${deploy.id}/cancel`).then(
        (r) => {
          const canceled = r.json<RenderDeploy>();
          onProgress(this.view(canceled));
          return `canceled it (status ${canceled.status})`;
        },
        (cancelError: unknown) => `could not cancel it: ${errorMessage(cancelError)}`,
      );
      throw new OperationalError(`${errorMessage(error)}; ${cancel}`, 'raise `timeout`, or look at the deploy in the Render dashboard');
    }
    if (last.status !== 'live') {
      throw new OperationalError(
        `Render deploy ${deploy.id} ended ${last.status}`,
        last.status === 'canceled'
          ? 'someone canceled it, or a newer deploy replaced it'
          : `read the ${last.status.replace('_failed', '')} logs of ${deploy.id} in the Render dashboard`,
      );
    }
    return this.view(last);
  }

  async deploy(ctx: RunContext, onProgress: (d: BackendDeployment) => void): Promise<BackendDeployment> {
    const body: Record<string, string> = { clearCache: this.config.clearCache ? 'clear' : 'do_not_clear' };
    if (this.config.commit) body.commitId = this.config.commit;
    if (this.config.imageUrl) body.imageUrl = this.config.imageUrl;
    const triggered = ctx.clock.now();
    const response = await this.call(ctx, 'POST', `${this.base}/deploys`, body);
    let deploy: RenderDeploy;
    if (response.status === 202) {
      ctx.logger.info('Render queued the deploy behind another one; looking it up');
      deploy = await this.findQueued(ctx, triggered);
    } else deploy = response.json<RenderDeploy>();
    ctx.logger.info(`Render deploy ${deploy.id}: ${deploy.status}`);
    onProgress(this.view(deploy));
    return this.waitLive(ctx, deploy, onProgress);
  }

  /** `previous` is the newest deploy that was live before the current one (status deactivated). */
  async resolveRollbackTarget(ctx: RunContext, to: string): Promise<{ target: string; current?: string }> {
    const deploys = await this.listDeploys(ctx, { limit: '100' });
    const liveIndex = deploys.findIndex((d) => d.status === 'live');
    const current = liveIndex >= 0 ? deploys[liveIndex]!.id : undefined;
    if (to !== 'previous') {
      if (!/^dep-[a-z0-9]{4,64}$/.test(to))
        throw new ConfigurationError(`input "to": expected "previous" or a Render deploy id (dep-...), got ${JSON.stringify(to)}`);
      return { target: to, current };
    }
    const previous = deploys.slice(liveIndex + 1).find((d) => d.status === 'deactivated');
    if (liveIndex < 0 || !previous) {
      throw new OperationalError(
        `Render service ${this.config.service} has no earlier live deploy to roll back to (current: ${current ?? 'none'})`,
        'name a deploy id in `to`',
      );
    }
    return { target: previous.id, current };
  }

  async rollback(
    to: string,
    ctx: RunContext,
    onProgress: (d: BackendDeployment, from: { target: string; current?: string }) => void,
  ): Promise<BackendDeployment> {
    const resolved = await this.resolveRollbackTarget(ctx, to);
    ctx.logger.info(`rolling Render service ${this.config.service} back to ${resolved.target} (live now: ${resolved.current ?? 'none'})`);
    const deploy = (await this.call(ctx, 'POST', `${this.base}/rollback`, { deployId: resolved.target })).json<RenderDeploy>();
    onProgress(this.view(deploy), resolved);
    return this.waitLive(ctx, deploy, (d) => onProgress(d, resolved));
  }
}

/**
 * Deploy hook mode (no API key): one request to the service's hook URL, with `ref` (a commit) or
 * `imgURL` (an image) appended. Render answers `{deploy: {id}}`; without a key the kit cannot watch it.
 */
export async function triggerDeployHook(hookUrl: string, source: { commit?: string; image?: string }, ctx: RunContext): Promise<string> {
  let url: URL;
  try {
    url = new URL(hookUrl);
  } catch {
    throw new ConfigurationError('input "deploy-hook-url": expected the URL Render shows under Settings → Deploy Hook');
  }
  maskSecret(ctx.logger, hookUrl);
  const key = url.searchParams.get('key');
  if (key) maskSecret(ctx.logger, key);
  if (source.commit) url.searchParams.set('ref', source.commit);
  if (source.image) url.searchParams.set('imgURL', source.image);
  let response: HttpResponse;
  try {
    response = await ctx.http.request({ method: 'POST', url: url.toString() });
  } catch (error) {
    if (error instanceof HttpError && (error.status === 401 || error.status === 403 || error.status === 404)) {
      throw new ConfigurationError(
        `input "deploy-hook-url": Render refused the hook (${error.status}); copy it again from the service settings`,
      );
    }
    throw error;
  }
  const id = response.json<{ deploy?: { id?: string } }>().deploy?.id;
  if (!id) throw new OperationalError(`the deploy hook answered ${response.status} without a deploy id`);
  return id;
}

/** backend with `provider: render`: verify → deploy → wait → outputs deploy-id, url, status and a summary. */
export async function runRenderBackend(
  inputs: Parameters<typeof renderConfig>[0] & { 'deploy-hook-url'?: string },
  ctx: RunContext,
): Promise<void> {
  if (inputs['deploy-hook-url'] && !inputs.token) {
    if (inputs.commit && inputs.image) throw new ConfigurationError('inputs "commit" and "image": give one of them');
    const id = await triggerDeployHook(inputs['deploy-hook-url'], { commit: inputs.commit, image: inputs.image }, ctx);
    ctx.outputs.set('deploy-id', id);
    ctx.outputs.set('status', 'created');
    ctx.logger.warning(
      `Render deploy ${id} triggered by the deploy hook; without an API key (input "token") the step cannot wait for it to go live`,
    );
    ctx.summary
      .heading('deploy-kit backend: Render deploy hook')
      .table(['deploy', 'status'], [[id, 'triggered (not watched: no API key)']]);
    return;
  }
  const host = new RenderHost(renderConfig(inputs, ctx));
  const { url } = await host.verify(ctx);
  if (url) ctx.outputs.set('url', url);
  let last: BackendDeployment | undefined;
  try {
    last = await host.deploy(ctx, (d) => {
      last = d;
      ctx.outputs.set('deploy-id', d.id);
      ctx.outputs.set('status', d.status);
    });
  } finally {
    ctx.summary.heading(`deploy-kit backend: Render ${inputs.service}`);
    ctx.summary.table(
      ['deploy', 'status', 'source', 'url'],
      [[last?.id ?? '—', last?.status ?? 'not started', inputs.image ?? inputs.commit ?? 'latest commit', url ?? '—']],
    );
  }
}

/** rollback with `provider: render`: outputs release (the deploy rolled back to) and previous-release. */
export async function runRenderRollback(inputs: Parameters<typeof renderConfig>[0] & { to: string }, ctx: RunContext): Promise<void> {
  const host = new RenderHost(renderConfig(inputs, ctx));
  await host.verify(ctx);
  let resolved: { target: string; current?: string } | undefined;
  let last: BackendDeployment | undefined;
  try {
    last = await host.rollback(inputs.to, ctx, (d, from) => {
      last = d;
      resolved = from;
      if (from.current) ctx.outputs.set('previous-release', from.current);
      ctx.outputs.set('release', from.target);
      ctx.outputs.set('deploy-id', d.id);
      ctx.outputs.set('status', d.status);
    });
  } finally {
    ctx.summary.heading(`deploy-kit rollback: Render ${inputs.service}`);
    ctx.summary.table(
      ['from', 'to', 'rollback deploy', 'status'],
      [[resolved?.current ?? '—', resolved?.target ?? inputs.to, last?.id ?? '—', last?.status ?? 'not started']],
    );
  }
}
