import type { RunContext } from '../core/action.js';
import { OperationalError } from '../core/errors.js';
import { type JsonApi, jsonApi, rethrowAuth } from '../core/json-api.js';
import { filesForDigests, uploadFiles } from './files.js';
import type { FrontendHost, FrontendRollback, ProviderInputs } from './host.js';
import { waitForPublish } from './wait.js';

export const NETLIFY_API = 'https://api.netlify.com/api/v1';

interface NetlifyDeploy {
  id: string;
  state: string;
  required?: string[];
  deploy_ssl_url?: string;
  ssl_url?: string;
  error_message?: string | null;
  context?: string;
  draft?: boolean;
  created_at?: string;
}

export interface NetlifyConfig {
  token: string;
  site: string;
  apiUrl?: string;
}

function netlifyApi(config: NetlifyConfig, ctx: RunContext): JsonApi {
  return jsonApi(ctx, config.apiUrl ?? NETLIFY_API, config.token);
}

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

export function netlifyHost(inputs: ProviderInputs, site: string): FrontendHost {
  return {
    provider: 'netlify',
    site,
    needsDigests: true,
    async publish(request, ctx, progress) {
      const api = netlifyApi({ token: inputs.token!, site, apiUrl: inputs['api-url'] }, ctx);
      const files = Object.fromEntries(request.files.map((f) => [`/${f.path}`, f.sha]));
      const created = await api
        .call<NetlifyDeploy>('POST', `/sites/${encodeURIComponent(site)}/deploys`, {
          body: { files, draft: request.target === 'preview', branch: request.branch },
          query: { title: request.title },
        })
        .catch((error: unknown) => rethrowAuth(error, 'Netlify', `deploys to site ${site}`));
      progress.providerDeploymentId = created.id;
      const toSend = filesForDigests(request.files, created.required ?? []);
      ctx.logger.info(`Netlify: uploading ${toSend.length} of ${request.files.length} files`);
      progress.filesUploaded = 0;
      await uploadFiles(
        toSend,
        (file, data) =>
          api.call('PUT', `/deploys/${encodeURIComponent(created.id)}/files/${encodePath(file.path)}`, {
            raw: data,
            headers: { 'content-type': 'application/octet-stream' },
          }),
        () => {
          progress.filesUploaded! += 1;
        },
      );
      const ready = await waitForPublish<NetlifyDeploy>(
        {
          what: `Netlify deploy ${created.id}`,
          timeoutMs: request.timeoutMs,
          read: async () => {
            const d = await api.call<NetlifyDeploy>('GET', `/sites/${encodeURIComponent(site)}/deploys/${encodeURIComponent(created.id)}`);
            return { state: d.state, value: d };
          },
          ready: ['ready'],
          failed: ['error', 'rejected'],
          failure: (_state, d) => d.error_message ?? 'no error message (see the deploy log on Netlify)',
          cancel: () => api.call('POST', `/deploys/${encodeURIComponent(created.id)}/cancel`),
        },
        ctx,
        progress,
      );
      progress.url = (request.target === 'production' ? ready.ssl_url : ready.deploy_ssl_url) ?? ready.deploy_ssl_url ?? ready.ssl_url;
    },
  };
}

/** Restores `to` (a deploy id) or the newest ready production deploy older than the published one. */
export async function rollbackNetlify(config: NetlifyConfig, to: string, ctx: RunContext): Promise<FrontendRollback> {
  const api = netlifyApi(config, ctx);
  const site = encodeURIComponent(config.site);
  const info = await api
    .call<{ published_deploy?: NetlifyDeploy | null }>('GET', `/sites/${site}`)
    .catch((error: unknown) => rethrowAuth(error, 'Netlify', `site ${config.site}`));
  const published = info.published_deploy ?? undefined;
  let target = to;
  if (to === 'previous') {
    const deploys = await api.call<NetlifyDeploy[]>('GET', `/sites/${site}/deploys`, { query: { per_page: '100' } });
    const candidates = deploys
      .filter((d) => d.state === 'ready' && !d.draft && d.context === 'production' && d.id !== published?.id)
      .filter((d) => !published?.created_at || (d.created_at ?? '') < published.created_at)
      .sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''));
    if (!candidates[0])
      throw new OperationalError(
        `Netlify site ${config.site} has no ready production deploy older than the published one (${published?.id ?? 'none'})`,
      );
    target = candidates[0].id;
  }
  const restored = await api
    .call<NetlifyDeploy>('POST', `/sites/${site}/deploys/${encodeURIComponent(target)}/restore`)
    .catch((error: unknown) => rethrowAuth(error, 'Netlify', `a restore on site ${config.site}`));
  return { from: published?.id, to: restored.id, url: restored.ssl_url ?? restored.deploy_ssl_url };
}
