import { createHash, randomBytes } from 'node:crypto';

import { bearer, type DoubleServer, type Recorded, type Reply, serveRoutes } from './server.js';

/**
 * Vercel's REST API as documented: a per-account file store keyed by sha1 (POST /v2/files with
 * x-vercel-digest), deployments created from a file list (400 missing_files until every sha is there),
 * readyState QUEUED → BUILDING → READY | ERROR, cancel → CANCELED, aliases, production listing and rollback.
 *
 * Production domains (`<name>.vercel.app` here) follow one deployment per project:
 * - a production deployment that becomes READY gets them while auto-assignment is on, and is then
 *   `readySubstate: "PROMOTED"`; otherwise it stays READY with `readySubstate: "STAGED"`, aliasAssigned
 *   false ("Get a deployment by ID or URL", https://vercel.com/docs/rest-api/deployments/get-a-deployment-by-id-or-url);
 * - an Instant Rollback (POST /v1/projects/{id}/rollback/{deploymentId}) points them at the older
 *   deployment and turns auto-assignment off, so later production deployments are not assigned until one
 *   is promoted (https://vercel.com/docs/instant-rollback);
 * - promote (POST /v10/projects/{id}/promote/{deploymentId}, https://vercel.com/docs/rest-api/projects/point-production-traffic-to-a-given-deployment)
 *   points them at a READY deployment without a rebuild and turns auto-assignment back on
 *   (https://vercel.com/docs/deployments/promoting-a-deployment).
 */
export interface VercelDeployment {
  id: string;
  url: string;
  name: string;
  projectId: string;
  target: 'production' | null;
  readyState: string;
  created: number;
  polls: number;
  errorMessage?: string;
  teamId?: string;
}

export interface VercelOptions {
  token: string;
  /** Polls spent in QUEUED and BUILDING before the final state. */
  buildPolls?: number;
  /** The build fails with this message (readyState ERROR). */
  failBuild?: string;
  /** The build never finishes (for timeouts). */
  hang?: boolean;
  /** The first N calls to POST /v13/deployments answer 429 with Retry-After: 1. */
  rateLimitCreates?: number;
  /** The first N uploads answer 503. */
  failUploads?: number;
  /** Aliases already taken by another project. */
  takenAliases?: string[];
}

export interface VercelDouble extends DoubleServer {
  files: Map<string, Buffer>;
  deployments: VercelDeployment[];
  aliases: Map<string, string>;
  rollbacks: { project: string; deploymentId: string }[];
  promotions: { project: string; deploymentId: string }[];
  /** The deployment each project's production domains point at. */
  production: Map<string, string>;
  /** Projects whose auto-assignment of production domains is off (after an Instant Rollback). */
  autoAssignOff: Set<string>;
  uploads: Recorded[];
  options: VercelOptions;
}

const err = (
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
  headers?: Record<string, string>,
): Reply => ({
  status,
  body: { error: { code, message, ...extra } },
  headers,
});

function view(d: VercelDeployment, aliases: Map<string, string>, production: Map<string, string>) {
  const live = production.get(d.projectId) === d.id;
  const ready = d.readyState === 'READY';
  return {
    id: d.id,
    url: d.url,
    name: d.name,
    projectId: d.projectId,
    target: d.target,
    readyState: d.readyState,
    ...(ready && d.target === 'production' ? { readySubstate: live ? 'PROMOTED' : 'STAGED' } : {}),
    status: d.readyState,
    createdAt: d.created,
    alias: [...(live ? [`${d.name}.vercel.app`] : []), ...[...aliases].filter(([, id]) => id === d.id).map(([a]) => a)],
    aliasAssigned: ready && (d.target !== 'production' || live),
    aliasError: null,
    ...(d.errorMessage ? { errorMessage: d.errorMessage, errorCode: 'BUILD_FAILED' } : {}),
  };
}

export async function startVercel(options: VercelOptions): Promise<VercelDouble> {
  const files = new Map<string, Buffer>();
  const deployments: VercelDeployment[] = [];
  const aliases = new Map<string, string>();
  const rollbacks: VercelDouble['rollbacks'] = [];
  const promotions: VercelDouble['promotions'] = [];
  const production = new Map<string, string>();
  const autoAssignOff = new Set<string>();
  const uploads: Recorded[] = [];
  let creates = 0;
  let uploadCalls = 0;
  const find = (id: string) => deployments.find((d) => d.id === id);
  const authed = (handler: (req: Recorded, p: string[]) => Reply) => (req: Recorded, p: string[]) =>
    bearer(req) === options.token ? handler(req, p) : err(403, 'forbidden', 'Not authorized', { invalidToken: true });

  const server = await serveRoutes(
    [
      {
        method: 'POST',
        template: '/v2/files',
        handler: authed((req) => {
          uploadCalls += 1;
          if (uploadCalls <= (options.failUploads ?? 0)) return err(503, 'service_unavailable', 'Try again');
          const digest = String(req.headers['x-vercel-digest'] ?? '');
          if (!digest) return err(400, 'missing_digest', 'Missing x-vercel-digest header');
          if (createHash('sha1').update(req.body).digest('hex') !== digest)
            return err(400, 'invalid_sha', 'The digest does not match the content');
          if (Number(req.headers['content-length']) !== req.body.length)
            return err(400, 'invalid_content_length', 'Content-Length does not match');
          uploads.push(req);
          files.set(digest, req.body);
          return { status: 200, body: { urls: [`https://files.vercel.example/${digest}`] } };
        }),
      },
      {
        method: 'POST',
        template: '/v13/deployments',
        handler: authed((req) => {
          creates += 1;
          if (creates <= (options.rateLimitCreates ?? 0))
            return err(429, 'rate_limited', 'Rate limit exceeded', { limit: { remaining: 0, reset: 1 } }, { 'retry-after': '1' });
          const body = req.json as {
            name?: string;
            project?: string;
            target?: string;
            files?: { file: string; sha: string; size: number }[];
          };
          if (!body?.name || !Array.isArray(body.files))
            return err(400, 'bad_request', 'Invalid request: should have required property "name" and "files"');
          if (body.target !== undefined && body.target !== 'production' && body.target !== 'staging')
            return err(400, 'bad_request', 'Invalid request: target');
          const missing = [...new Set(body.files.filter((f) => !files.has(f.sha)).map((f) => f.sha))];
          if (missing.length > 0) return err(400, 'missing_files', 'Missing files', { missing });
          const id = `dpl_${randomBytes(10).toString('hex')}`;
          const d: VercelDeployment = {
            id,
            url: `${body.name}-${id.slice(4, 13)}.vercel.app`,
            name: body.name,
            projectId: body.project ?? body.name,
            target: body.target === 'production' ? 'production' : null,
            readyState: 'QUEUED',
            created: Date.now() + deployments.length,
            polls: 0,
            teamId: req.query.get('teamId') ?? undefined,
          };
          deployments.push(d);
          return { status: 200, body: view(d, aliases, production) };
        }),
      },
      {
        method: 'GET',
        template: '/v13/deployments/{idOrUrl}',
        handler: authed((_req, [id]) => {
          const d = find(id!);
          if (!d) return err(404, 'not_found', 'Deployment not found');
          if (d.readyState === 'QUEUED' || d.readyState === 'BUILDING' || d.readyState === 'INITIALIZING') {
            d.polls += 1;
            const steps = options.buildPolls ?? 2;
            if (options.hang) d.readyState = 'BUILDING';
            else if (d.polls >= steps) {
              d.readyState = options.failBuild ? 'ERROR' : 'READY';
              if (options.failBuild) d.errorMessage = options.failBuild;
              else if (d.target === 'production' && !autoAssignOff.has(d.projectId)) production.set(d.projectId, d.id);
            } else d.readyState = d.polls === 1 ? 'BUILDING' : 'INITIALIZING';
          }
          return { status: 200, body: view(d, aliases, production) };
        }),
      },
      {
        method: 'PATCH',
        template: '/v12/deployments/{id}/cancel',
        handler: authed((_req, [id]) => {
          const d = find(id!);
          if (!d) return err(404, 'not_found', 'Deployment not found');
          if (d.readyState === 'READY' || d.readyState === 'ERROR')
            return err(400, 'deployment_not_cancelable', 'The deployment cannot be canceled');
          d.readyState = 'CANCELED';
          return { status: 200, body: view(d, aliases, production) };
        }),
      },
      {
        method: 'POST',
        template: '/v2/deployments/{id}/aliases',
        handler: authed((req, [id]) => {
          const alias = (req.json as { alias?: string })?.alias;
          if (!find(id!)) return err(404, 'not_found', 'Deployment not found');
          if (!alias) return err(400, 'bad_request', 'Invalid request: should have required property "alias"');
          if (options.takenAliases?.includes(alias))
            return err(409, 'not_modified', `The alias ${alias} is already in use by another project`);
          aliases.set(alias, id!);
          return {
            status: 200,
            body: { uid: `alias_${randomBytes(6).toString('hex')}`, alias, created: new Date().toISOString(), oldDeploymentId: null },
          };
        }),
      },
      {
        method: 'GET',
        template: '/v6/deployments',
        handler: authed((req) => {
          const project = req.query.get('projectId');
          const target = req.query.get('target');
          const list = deployments
            .filter((d) => (!project || d.projectId === project || d.name === project) && (!target || d.target === target))
            .sort((a, b) => b.created - a.created)
            .map((d) => ({
              uid: d.id,
              name: d.name,
              url: d.url,
              created: d.created,
              state: d.readyState,
              readyState: d.readyState,
              target: d.target,
            }));
          return { status: 200, body: { deployments: list, pagination: { count: list.length, next: null, prev: null } } };
        }),
      },
      {
        method: 'POST',
        template: '/v1/projects/{projectId}/rollback/{deploymentId}',
        handler: authed((_req, [project, id]) => {
          const d = find(id!);
          if (!d || (d.projectId !== project && d.name !== project)) return err(404, 'not_found', 'Deployment not found');
          if (d.readyState !== 'READY') return err(400, 'invalid_deployment', 'Only READY deployments can be rolled back to');
          rollbacks.push({ project: project!, deploymentId: id! });
          production.set(d.projectId, d.id);
          autoAssignOff.add(d.projectId);
          return { status: 201, body: {} };
        }),
      },
      {
        method: 'POST',
        template: '/v10/projects/{projectId}/promote/{deploymentId}',
        handler: authed((_req, [project, id]) => {
          const d = find(id!);
          if (!d || (d.projectId !== project && d.name !== project)) return err(404, 'not_found', 'Deployment not found');
          if (d.readyState !== 'READY') return err(400, 'invalid_deployment', 'Only READY deployments can be promoted');
          promotions.push({ project: project!, deploymentId: id! });
          production.set(d.projectId, d.id);
          autoAssignOff.delete(d.projectId);
          // 202: accepted; the domains move without a rebuild.
          return { status: 202, body: {} };
        }),
      },
    ],
    () => err(404, 'not_found', 'The requested path was not found'),
  );
  return Object.assign(server, { files, deployments, aliases, rollbacks, promotions, production, autoAssignOff, uploads, options });
}
