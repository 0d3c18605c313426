import { z } from 'zod';

import type { RunContext } from '../../core/action.js';
import { ConfigurationError, errorMessage, OperationalError } from '../../core/errors.js';
import { jsonApi } from '../../core/json-api.js';
import { describeVendorError, parseVendor } from '../../core/vendor.js';
import { followDeploy } from '../follow.js';
import type { BackendDeployment, BackendHost, BackendReport, RollbackFrom } from '../host.js';
import { type AppDeployment, appSchema, deploymentSchema, type DigitalOceanConfig, ENDED, failedStep, IN_PROGRESS } from './config.js';

const wrapped = z.object({ deployment: deploymentSchema });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An App Platform app: verify, deploy to ACTIVE (cancel on timeout), roll back (validate, rollback, commit or revert). */
export class DigitalOceanHost implements BackendHost {
  readonly name = 'digitalocean';
  private liveUrl?: string;

  constructor(private readonly config: DigitalOceanConfig) {}

  private async call(ctx: RunContext, method: string, path: string, options: { body?: unknown; query?: Record<string, string> } = {}) {
    try {
      return await jsonApi(ctx, this.config.apiUrl, this.config.token).send(method, `/apps/${this.config.appId}${path}`, options);
    } catch (error) {
      throw describeVendorError(error, {
        vendor: 'DigitalOcean',
        apiUrl: this.config.apiUrl,
        tokenInput: 'token',
        notFound: { pathEnd: `/apps/${this.config.appId}`, input: 'app-id', what: `app ${this.config.appId}` },
      });
    }
  }

  private async deployment(ctx: RunContext, method: string, path: string, body?: unknown): Promise<AppDeployment> {
    const response = await this.call(ctx, method, path, { body });
    return parseVendor(wrapped, response.json(), `DigitalOcean ${method} ${path}`).deployment;
  }

  private view(d: AppDeployment): BackendDeployment {
    return { id: d.id, status: d.phase, url: this.liveUrl };
  }

  async verify(ctx: RunContext): Promise<{ url?: string }> {
    const app = parseVendor(z.object({ app: appSchema }), (await this.call(ctx, 'GET', '')).json(), 'DigitalOcean get app').app;
    this.liveUrl = app.live_url;
    ctx.logger.info(`App Platform app ${app.spec.name}${app.live_url ? ` (${app.live_url})` : ''}`);
    if (app.pinned_deployment)
      ctx.logger.warning(
        `app ${app.spec.name} is pinned to rollback ${app.pinned_deployment.id}: new deployments wait until it is committed or reverted`,
      );
    return { url: app.live_url };
  }

  /** The log URL of a failed deployment: BUILD logs when a build step failed, DEPLOY logs otherwise. */
  private async logUrl(ctx: RunContext, id: string, step?: string): Promise<string | undefined> {
    const type = step && /build/i.test(step) ? 'BUILD' : 'DEPLOY';
    const logs = await this.call(ctx, 'GET', `/deployments/${id}/logs`, { query: { type, follow: 'false' } }).then(
      (r) => r.json<{ live_url?: string; historic_urls?: string[] }>(),
      () => undefined,
    );
    return logs?.historic_urls?.[0] ?? logs?.live_url;
  }

  /** Follows the phase to where it ends; ACTIVE is success, the deadline cancels the deployment. */
  private async follow(ctx: RunContext, start: AppDeployment, report: BackendReport): Promise<void> {
    const seen = await followDeploy<AppDeployment>(
      {
        what: `DigitalOcean deployment ${start.id} to become ACTIVE`,
        id: start.id,
        timeoutMs: this.config.timeoutMs,
        word: 'phase',
        read: () => this.deployment(ctx, 'GET', `/deployments/${start.id}`),
        state: (d) => d.phase,
        ended: (phase) => ENDED.has(phase),
        known: (phase) => IN_PROGRESS.has(phase),
        unknown: (phase) => `${start.id}: phase ${phase} is not one the kit knows; still waiting`,
        onChange: (d) => (report.deployment = this.view(d)),
        cancel: () => this.deployment(ctx, 'POST', `/deployments/${start.id}/cancel`),
        hint: 'raise `timeout`, or read the deployment in the App Platform console',
      },
      start,
      ctx,
    );
    if (seen.phase === 'ACTIVE') {
      report.deployment = this.view(seen);
      return;
    }
    const step = failedStep(seen);
    const url = seen.phase === 'ERROR' ? await this.logUrl(ctx, seen.id, step?.name) : undefined;
    const why = step ? ` at step ${step.name}${step.reason?.message ? `: ${step.reason.message}` : ''}` : '';
    throw new OperationalError(
      `DigitalOcean deployment ${seen.id} ended ${seen.phase}${why}`,
      seen.phase === 'ERROR'
        ? `read its logs${url ? `: ${url}` : ' in the App Platform console'}`
        : 'someone canceled it, or a newer deployment replaced it',
    );
  }

  async deploy(ctx: RunContext, report: BackendReport): Promise<void> {
    const created = await this.deployment(ctx, 'POST', '/deployments', { force_build: this.config.forceBuild });
    ctx.logger.info(`DigitalOcean deployment ${created.id}: ${created.phase}`);
    report.deployment = this.view(created);
    await this.follow(ctx, created, report);
  }

  /** `previous` is the newest SUPERSEDED deployment older than the active one (it was live before it). */
  async resolveRollbackTarget(ctx: RunContext, to: string): Promise<RollbackFrom> {
    const app = parseVendor(z.object({ app: appSchema }), (await this.call(ctx, 'GET', '')).json(), 'DigitalOcean get app').app;
    const current = app.active_deployment?.id;
    if (to !== 'previous') {
      if (!UUID.test(to))
        throw new ConfigurationError(`input "to": expected "previous" or a DigitalOcean deployment id (a UUID), got ${JSON.stringify(to)}`);
      return { target: to, current };
    }
    const listing = (await this.call(ctx, 'GET', '/deployments', { query: { page: '1', per_page: '50' } })).json();
    const deployments = parseVendor(
      z.object({ deployments: z.array(deploymentSchema) }),
      listing,
      'DigitalOcean list deployments',
    ).deployments;
    const index = deployments.findIndex((d) => d.id === current);
    const previous = deployments.slice(index + 1).find((d) => d.phase === 'SUPERSEDED');
    if (index < 0 || !previous) {
      throw new OperationalError(
        `app ${this.config.appId} has no earlier deployment to roll back to (active: ${current ?? 'none'})`,
        'name a deployment id in `to`',
      );
    }
    return { target: previous.id, current };
  }

  async rollback(to: string, ctx: RunContext, report: BackendReport): Promise<void> {
    const resolved: RollbackFrom = await this.resolveRollbackTarget(ctx, to);
    const request = { deployment_id: resolved.target, skip_pin: false };
    const check = (await this.call(ctx, 'POST', '/rollback/validate', { body: request })).json<{
      valid?: boolean;
      error?: { code?: string; message?: string } | null;
      warnings?: { code?: string; message?: string }[];
    }>();
    for (const warning of check.warnings ?? []) ctx.logger.warning(`rollback to ${resolved.target}: ${warning.message ?? warning.code}`);
    if (check.valid === false) {
      throw new OperationalError(
        `DigitalOcean refuses to roll back to ${resolved.target}: ${check.error?.message ?? check.error?.code ?? 'not valid'}`,
        'pick another deployment in `to`',
      );
    }
    ctx.logger.info(`rolling app ${this.config.appId} back to ${resolved.target} (active now: ${resolved.current ?? 'none'})`);
    const started = await this.deployment(ctx, 'POST', '/rollback', request);
    report.deployment = this.view(started);
    report.from = resolved;
    try {
      await this.follow(ctx, started, report);
      await this.call(ctx, 'POST', '/rollback/commit');
      ctx.logger.info(`committed the rollback: app ${this.config.appId} is unpinned`);
    } catch (error) {
      const revert = await this.deployment(ctx, 'POST', '/rollback/revert').then(
        (d) => `reverted the rollback (deployment ${d.id} restores the app as it was)`,
        (e: unknown) => `could not revert the rollback: ${errorMessage(e)}; the app stays pinned until it is committed or reverted`,
      );
      throw new OperationalError(`${errorMessage(error)}; ${revert}`, error instanceof OperationalError ? error.hint : undefined);
    }
  }
}
