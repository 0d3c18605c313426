import type { RunContext } from '../../core/action.js';
import { ConfigurationError, OperationalError } from '../../core/errors.js';
import type { HttpResponse } from '../../core/http.js';
import { jsonApi } from '../../core/json-api.js';
import { pollUntil } from '../../core/retry.js';
import { followDeploy } from '../follow.js';
import type { BackendDeployment, BackendHost, BackendReport } from '../host.js';
import { describeHttpError, FAILED, IN_PROGRESS, type RenderConfig, type RenderDeploy, type RenderService } from './config.js';

/** A Render service through its REST API: verify, deploy (commit or image) to live, roll back; cancel on timeout. */
export class RenderHost implements BackendHost {
  readonly name = 'render';
  private serviceUrl?: string;

  constructor(private readonly config: RenderConfig) {}

  private async call(ctx: RunContext, method: string, path: string, body?: unknown): Promise<HttpResponse> {
    try {
      return await jsonApi(ctx, this.config.apiUrl, this.config.token).send(method, path, { body });
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
  private async waitLive(ctx: RunContext, deploy: RenderDeploy, report: BackendReport): Promise<void> {
    const last = await followDeploy<RenderDeploy>(
      {
        what: `Render deploy ${deploy.id} to go live`,
        id: deploy.id,
        timeoutMs: this.config.timeoutMs,
        initialDelayMs: 500,
        word: 'status',
        read: async () => (await this.call(ctx, 'GET', `${this.base}/deploys/${deploy.id}`)).json<RenderDeploy>(),
        state: (d) => d.status,
        ended: (status) => status === 'live' || FAILED.has(status),
        known: (status) => IN_PROGRESS.has(status),
        unknown: (status) => `${deploy.id}: unknown status ${status}; still waiting`,
        onChange: (d) => (report.deployment = this.view(d)),
        cancel: async () => (await this.call(ctx, 'POST', `${this.base}/deploys/${deploy.id}/cancel`)).json<RenderDeploy>(),
        hint: 'raise `timeout`, or look at the deploy in the Render dashboard',
      },
      deploy,
      ctx,
    );
    if (last.status !== 'live') {
      throw new OperationalError(
        `Render deploy ${deploy.id} ended ${last.status}`,
        last.status === 'canceled'
          ? 'someone canceled it, or a newer deploy replaced it'
          : `read the ${last.status.replace('_failed', '')} logs of ${deploy.id} in the Render dashboard`,
      );
    }
    report.deployment = this.view(last);
  }

  async deploy(ctx: RunContext, report: BackendReport): Promise<void> {
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
    report.deployment = this.view(deploy);
    await this.waitLive(ctx, deploy, report);
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

  async rollback(to: string, ctx: RunContext, report: BackendReport): Promise<void> {
    const resolved = await this.resolveRollbackTarget(ctx, to);
    ctx.logger.info(`rolling Render service ${this.config.service} back to ${resolved.target} (live now: ${resolved.current ?? 'none'})`);
    const deploy = (await this.call(ctx, 'POST', `${this.base}/rollback`, { deployId: resolved.target })).json<RenderDeploy>();
    report.deployment = this.view(deploy);
    report.from = resolved;
    await this.waitLive(ctx, deploy, report);
  }
}
