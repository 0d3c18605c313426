import type { RunContext } from '../core/action.js';
import { OperationalError } from '../core/errors.js';
import { HttpError } from '../core/http.js';
import { type JsonApi, jsonApi, rethrowAuth, vendorMessage } from '../core/json-api.js';
import { filesForDigests, type SiteFile, uploadFiles } from './files.js';
import type { FrontendHost, FrontendRollback, ProviderInputs, PublishReport, PublishRequest } from './host.js';
import { waitForPublish } from './wait.js';

export const VERCEL_API = 'https://api.vercel.com';
const CREATE_ATTEMPTS = 3;

interface VercelDeployment {
  id: string;
  url: string;
  readyState: string;
  errorMessage?: string;
  errorCode?: string;
  aliasError?: { code?: string; message?: string } | null;
  alias?: string[];
  aliasAssigned?: boolean | number | null;
  /** For READY production deployments: PROMOTED (serving the production domains) or STAGED (not assigned). */
  readySubstate?: string;
}

export interface VercelConfig {
  token: string;
  project: string;
  team?: string;
  apiUrl?: string;
}

function vercelApi(config: VercelConfig, ctx: RunContext): JsonApi {
  return jsonApi(ctx, config.apiUrl ?? VERCEL_API, config.token, { teamId: config.team });
}

/** The missing sha1 list of a `missing_files` error, or undefined for any other error. */
export function missingFiles(error: unknown): string[] | undefined {
  if (!(error instanceof HttpError)) return undefined;
  try {
    const body = JSON.parse(error.body) as { error?: { code?: string; missing?: string[] } };
    return body.error?.code === 'missing_files' ? (body.error.missing ?? []) : undefined;
  } catch {
    return undefined;
  }
}

async function upload(api: JsonApi, files: readonly SiteFile[]): Promise<void> {
  await uploadFiles(files, (file, data) =>
    api.call('POST', '/v2/files', {
      raw: data,
      headers: { 'content-type': 'application/octet-stream', 'x-vercel-digest': file.sha, 'content-length': String(data.length) },
    }),
  );
}

/** Creates the deployment; each `missing_files` answer uploads exactly those digests and tries again. */
async function create(
  api: JsonApi,
  config: VercelConfig,
  request: PublishRequest,
  progress: PublishReport,
  ctx: RunContext,
): Promise<VercelDeployment> {
  const body = {
    name: config.project,
    project: config.project,
    ...(request.target === 'production' ? { target: 'production' } : {}),
    files: request.files.map((f) => ({ file: f.path, sha: f.sha, size: f.size })),
    projectSettings: { framework: null },
    meta: { githubCommitSha: request.sha, githubCommitRef: request.branch, deployKit: 'frontend' },
    gitMetadata: { commitSha: request.sha, commitRef: request.branch, commitMessage: request.title },
  };
  progress.filesUploaded = 0;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await api.call<VercelDeployment>('POST', '/v13/deployments', { body, query: { skipAutoDetectionConfirmation: '1' } });
    } catch (error) {
      const missing = missingFiles(error);
      if (missing === undefined) rethrowAuth(error, 'Vercel', `deployments to project ${config.project}`);
      if (attempt >= CREATE_ATTEMPTS)
        throw new OperationalError(`Vercel still reports ${missing.length} missing files after ${attempt} attempts`);
      const toSend = filesForDigests(request.files, missing);
      ctx.logger.info(`Vercel: uploading ${toSend.length} of ${request.files.length} files`);
      await upload(api, toSend);
      progress.filesUploaded += toSend.length;
    }
  }
}

/** A READY production deployment the production domains do not point at (STAGED, or no alias assigned). */
export function isStaged(d: VercelDeployment): boolean {
  return d.readySubstate === 'STAGED' || !d.aliasAssigned;
}

/**
 * After an Instant Rollback, Vercel stops assigning the production domains to new production
 * deployments until one is promoted (https://vercel.com/docs/instant-rollback): the deployment is
 * READY but the old build keeps serving. The kit promotes it (POST /v10/projects/{id}/promote/{dpl},
 * no rebuild), says so, and waits until the domains point at it.
 */
async function ensureProduction(
  api: JsonApi,
  config: VercelConfig,
  ready: VercelDeployment,
  timeoutMs: number,
  ctx: RunContext,
  progress: PublishReport,
): Promise<VercelDeployment> {
  if (!isStaged(ready)) return ready;
  ctx.logger.warning(
    `Vercel: production deployment ${ready.id} is READY but the production domains do not point at it (auto-assignment is off after an Instant Rollback); promoting it`,
  );
  await api
    .call('POST', `/v10/projects/${encodeURIComponent(config.project)}/promote/${encodeURIComponent(ready.id)}`)
    .catch((error: unknown) => rethrowAuth(error, 'Vercel', `promoting deployments of project ${config.project}`));
  progress.note = `promoted ${ready.id} to production: the production domains had stayed on an older deployment after an Instant Rollback`;
  const promoted = await waitForPublish<VercelDeployment>(
    {
      what: `Vercel promotion of ${ready.id}`,
      timeoutMs,
      read: async () => {
        const d = await api.call<VercelDeployment>('GET', `/v13/deployments/${encodeURIComponent(ready.id)}`);
        return { state: isStaged(d) ? 'STAGED' : 'PROMOTED', value: d };
      },
      ready: ['PROMOTED'],
      failed: [],
      failure: () => 'the production domains still point at another deployment',
      cancel: () => Promise.reject(new Error('a promotion is not cancelled; it may still complete, check the project on Vercel')),
    },
    ctx,
    progress,
  );
  ctx.logger.info(`Vercel: ${ready.id} now serves the production domains`);
  return promoted;
}

export function vercelHost(inputs: ProviderInputs, project: string): FrontendHost {
  return {
    provider: 'vercel',
    site: project,
    needsDigests: true,
    async publish(request, ctx, progress) {
      const config: VercelConfig = { token: inputs.token!, project, team: inputs.team, apiUrl: inputs['api-url'] };
      const api = vercelApi(config, ctx);
      const created = await create(api, config, request, progress, ctx);
      progress.providerDeploymentId = created.id;
      progress.url = `https://${created.url}`;
      const ready = await waitForPublish<VercelDeployment>(
        {
          what: `Vercel deployment ${created.id}`,
          timeoutMs: request.timeoutMs,
          read: async () => {
            const d = await api.call<VercelDeployment>('GET', `/v13/deployments/${encodeURIComponent(created.id)}`);
            return { state: d.readyState, value: d };
          },
          ready: ['READY'],
          failed: ['ERROR', 'CANCELED'],
          failure: (_state, d) => d.errorMessage ?? d.errorCode ?? 'no error message (see the build logs on Vercel)',
          cancel: () => api.call('PATCH', `/v12/deployments/${encodeURIComponent(created.id)}/cancel`),
        },
        ctx,
        progress,
      );
      const live = request.target === 'production' ? await ensureProduction(api, config, ready, request.timeoutMs, ctx, progress) : ready;
      // Production is served at the project's domains, which Vercel lists in `alias` once assigned.
      if (request.target === 'production' && live.aliasAssigned && live.alias?.[0]) progress.url = `https://${live.alias[0]}`;
      if (ready.aliasError) progress.aliasError = ready.aliasError.message ?? ready.aliasError.code;
      if (request.alias) {
        try {
          await api.call('POST', `/v2/deployments/${encodeURIComponent(created.id)}/aliases`, { body: { alias: request.alias } });
          progress.aliasUrl = `https://${request.alias}`;
        } catch (error) {
          progress.aliasError = vendorMessage(error) ?? (error as Error).message;
        }
      }
      if (progress.aliasError) ctx.logger.warning(`Vercel alias: ${progress.aliasError}`);
    },
  };
}

interface ListedDeployment {
  uid: string;
  url: string;
  created: number;
  readyState?: string;
  state?: string;
}

/** Rolls the project's production back to `to` (a deployment id) or to the READY production deployment before the newest. */
export async function rollbackVercel(config: VercelConfig, to: string, ctx: RunContext): Promise<FrontendRollback> {
  const api = vercelApi(config, ctx);
  const listed = await api
    .call<{ deployments: ListedDeployment[] }>('GET', '/v6/deployments', {
      query: { projectId: config.project, target: 'production', limit: '100' },
    })
    .catch((error: unknown) => rethrowAuth(error, 'Vercel', `the deployments of project ${config.project}`));
  const ready = listed.deployments.filter((d) => (d.readyState ?? d.state) === 'READY').sort((a, b) => b.created - a.created);
  const current = ready[0];
  const target = to === 'previous' ? ready[1] : ready.find((d) => d.uid === to);
  if (!target) {
    const known = ready.map((d) => d.uid).join(', ') || 'none';
    throw new OperationalError(
      to === 'previous'
        ? `Vercel project ${config.project} has no READY production deployment before ${current?.uid ?? 'the current one'}`
        : `Vercel deployment ${to} is not a READY production deployment of ${config.project}; READY ones: ${known}`,
    );
  }
  await api
    .call('POST', `/v1/projects/${encodeURIComponent(config.project)}/rollback/${encodeURIComponent(target.uid)}`)
    .catch((error: unknown) => rethrowAuth(error, 'Vercel', `a rollback of ${config.project}`));
  return { from: current?.uid, to: target.uid, url: `https://${target.url}` };
}
