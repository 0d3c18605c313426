import { createHash, randomBytes } from 'node:crypto';

import { bearer, type DoubleServer, type Recorded, type Reply, serveRoutes } from './server.js';

/**
 * Netlify's REST API (base /api/v1) as documented in @netlify/open-api: a deploy created from a
 * {path: sha1} map answers `required` (digests the site does not have), files are PUT one by one,
 * then state uploading → processing → ready (or error); drafts do not publish; restore republishes;
 * errors are {code, message}.
 */
export interface NetlifyDeploy {
  id: string;
  site_id: string;
  state: string;
  required: string[];
  files: Record<string, string>;
  draft: boolean;
  branch?: string;
  title?: string;
  context: string;
  created_at: string;
  polls: number;
  error_message: string | null;
}

export interface NetlifyOptions {
  token: string;
  site: string;
  buildPolls?: number;
  failBuild?: string;
  hang?: boolean;
}

export interface NetlifyDouble extends DoubleServer {
  deploys: NetlifyDeploy[];
  /** sha1 → content the site already has. */
  store: Map<string, Buffer>;
  uploads: Recorded[];
  published(): string | undefined;
  options: NetlifyOptions;
}

export const NETLIFY_PREFIX = '/api/v1';
const err = (code: number, message: string): Reply => ({ status: code, body: { code, message } });

export async function startNetlify(options: NetlifyOptions): Promise<NetlifyDouble> {
  const deploys: NetlifyDeploy[] = [];
  const store = new Map<string, Buffer>();
  const uploads: Recorded[] = [];
  let published: string | undefined;
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const host = (d: NetlifyDeploy) => `${d.id}--${options.site}.netlify.app`;
  const view = (d: NetlifyDeploy) => ({
    id: d.id,
    site_id: d.site_id,
    state: d.state,
    name: options.site,
    url: `http://${options.site}.netlify.app`,
    ssl_url: `https://${options.site}.netlify.app`,
    deploy_url: `http://${host(d)}`,
    deploy_ssl_url: `https://${host(d)}`,
    admin_url: `https://app.netlify.com/sites/${options.site}`,
    required: d.required,
    draft: d.draft,
    branch: d.branch,
    title: d.title,
    context: d.context,
    error_message: d.error_message,
    created_at: d.created_at,
    updated_at: d.created_at,
    published_at: published === d.id ? d.created_at : null,
  });
  const site = (id: string) => id === options.site;
  const find = (id: string) => deploys.find((d) => d.id === id);
  const authed = (handler: (req: Recorded, p: string[]) => Reply) => (req: Recorded, p: string[]) =>
    bearer(req) === options.token ? handler(req, p) : err(401, 'Access Denied');

  const server = await serveRoutes(
    [
      {
        method: 'POST',
        template: '/sites/{site_id}/deploys',
        handler: authed((req, [siteId]) => {
          if (!site(siteId!)) return err(404, 'Not Found');
          const body = req.json as { files?: Record<string, string>; draft?: boolean; branch?: string };
          if (!body?.files || typeof body.files !== 'object') return err(422, 'files is required');
          const required = [...new Set(Object.values(body.files).filter((sha) => !store.has(sha)))];
          clock += 1000;
          const d: NetlifyDeploy = {
            id: randomBytes(12).toString('hex'),
            site_id: siteId!,
            state: required.length > 0 ? 'uploading' : 'processing',
            required,
            files: body.files,
            draft: body.draft === true,
            branch: body.branch,
            title: req.query.get('title') ?? undefined,
            context: body.draft ? 'deploy-preview' : 'production',
            created_at: new Date(clock).toISOString(),
            polls: 0,
            error_message: null,
          };
          deploys.push(d);
          return { status: 200, body: view(d) };
        }),
      },
      {
        method: 'PUT',
        template: '/deploys/{deploy_id}/files/{path*}',
        handler: authed((req, [id, path]) => {
          const d = find(id!);
          if (!d) return err(404, 'Not Found');
          const sha = d.files[`/${path}`];
          if (!sha) return err(422, `${path} is not part of this deploy`);
          if (createHash('sha1').update(req.body).digest('hex') !== sha) return err(422, `the content of ${path} does not match its sha1`);
          uploads.push(req);
          store.set(sha, req.body);
          d.required = d.required.filter((s) => s !== sha);
          if (d.required.length === 0 && d.state === 'uploading') d.state = 'processing';
          return { status: 200, body: { id: sha, path: `/${path}`, sha, mime_type: 'application/octet-stream', size: req.body.length } };
        }),
      },
      {
        method: 'GET',
        template: '/sites/{site_id}/deploys/{deploy_id}',
        handler: authed((_req, [siteId, id]) => {
          const d = find(id!);
          if (!site(siteId!) || !d) return err(404, 'Not Found');
          if (d.state === 'processing' || d.state === 'prepared') {
            d.polls += 1;
            if (!options.hang && d.polls >= (options.buildPolls ?? 2)) {
              if (options.failBuild) {
                d.state = 'error';
                d.error_message = options.failBuild;
              } else {
                d.state = 'ready';
                if (!d.draft) published = d.id;
              }
            }
          }
          return { status: 200, body: view(d) };
        }),
      },
      {
        method: 'GET',
        template: '/sites/{site_id}/deploys',
        handler: authed((_req, [siteId]) =>
          site(siteId!) ? { status: 200, body: [...deploys].reverse().map(view) } : err(404, 'Not Found'),
        ),
      },
      {
        method: 'GET',
        template: '/sites/{site_id}',
        handler: authed((_req, [siteId]) => {
          if (!site(siteId!)) return err(404, 'Not Found');
          const p = published ? find(published) : undefined;
          return {
            status: 200,
            body: {
              id: options.site,
              name: options.site,
              ssl_url: `https://${options.site}.netlify.app`,
              published_deploy: p ? view(p) : null,
            },
          };
        }),
      },
      {
        method: 'POST',
        template: '/deploys/{deploy_id}/cancel',
        handler: authed((_req, [id]) => {
          const d = find(id!);
          if (!d) return err(404, 'Not Found');
          if (d.state === 'ready') return err(422, 'Deploy is already ready');
          d.state = 'error';
          d.error_message = 'Canceled build';
          return { status: 201, body: view(d) };
        }),
      },
      {
        method: 'POST',
        template: '/sites/{site_id}/deploys/{deploy_id}/restore',
        handler: authed((_req, [siteId, id]) => {
          const d = find(id!);
          if (!site(siteId!) || !d) return err(404, 'Not Found');
          if (d.state !== 'ready') return err(422, 'Only ready deploys can be restored');
          published = d.id;
          return { status: 201, body: view(d) };
        }),
      },
    ],
    () => err(404, 'Not Found'),
    NETLIFY_PREFIX,
  );
  return Object.assign(server, { deploys, store, uploads, published: () => published, options });
}
