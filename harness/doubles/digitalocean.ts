import { randomUUID } from 'node:crypto';

import { type FaultQueue, faultQueue } from './faults.js';
import { bearer, type DoubleServer, type Recorded, type Reply, type Route, serveRoutes } from './server.js';

/**
 * A stand-in for the DigitalOcean App Platform API (https://api.digitalocean.com/v2) on 127.0.0.1.
 * Each behaviour names its page; the reference is https://docs.digitalocean.com/reference/api/digitalocean/
 * (operation anchors below) and the pydo/godo pages generated from it:
 *  - #section/Introduction/Responses: errors are `{id, message, request_id}`; 401 Unable to authenticate you,
 *    403 for a token without the scope (app:update), 404 not_found, 422 unprocessable_entity, 5xx server_error.
 *  - #section/Introduction/Rate-Limit and the 2023 release note (api-rate-limit): a 429 `too_many_requests`
 *    carries Retry-After (seconds) beside ratelimit-limit/-remaining/-reset.
 *  - #operation/apps_get: the app with live_url, active_deployment, pinned_deployment.
 *  - #operation/apps_create_deployment: `{force_build}` → `{deployment}` in PENDING_BUILD.
 *  - #operation/apps_get_deployment: phase UNKNOWN | PENDING_BUILD | BUILDING | PENDING_DEPLOY | DEPLOYING |
 *    ACTIVE | SUPERSEDED | ERROR | CANCELED, progress.steps with status and reason {code, message}.
 *    A new ACTIVE deployment makes the previous one SUPERSEDED. Advances one phase per read.
 *  - #operation/apps_cancel_deployment, #operation/apps_list_deployments (newest first),
 *    #operation/apps_get_logs_aggregate (`type` BUILD | DEPLOY → live_url, historic_urls).
 *  - #operation/apps_validate_rollback → `{valid, error, warnings}`; #operation/apps_create_rollback (a new
 *    deployment; the app is pinned to it unless skip_pin); #operation/apps_commit_rollback (unpins);
 *    #operation/apps_revert_rollback (a new deployment from the spec before the rollback; unpins).
 *    While pinned, new deployments are refused (the page says they are prevented; the double answers 422).
 */

export type Phase =
  'UNKNOWN' | 'PENDING_BUILD' | 'BUILDING' | 'PENDING_DEPLOY' | 'DEPLOYING' | 'ACTIVE' | 'SUPERSEDED' | 'ERROR' | 'CANCELED';
export type DeployOutcome = 'active' | 'build_error' | 'deploy_error' | 'stuck';

interface Step {
  name: string;
  status: 'PENDING' | 'RUNNING' | 'SUCCESS' | 'ERROR';
  reason?: { code: string; message: string };
  steps?: Step[];
}

export interface AppDeploymentState {
  id: string;
  phase: Phase;
  cause: string;
  created_at: string;
  force_build: boolean;
  progress: { steps: Step[]; error_steps: number };
  remaining: Phase[];
  outcome: DeployOutcome;
}

export interface DigitalOceanDouble extends DoubleServer {
  token: string;
  /** A token with app:read only: writes answer 403. */
  readToken: string;
  appId: string;
  liveUrl: string;
  deployments: AppDeploymentState[];
  outcomes: DeployOutcome[];
  faults: FaultQueue['faults'];
  pinned(): string | undefined;
  active(): string | undefined;
  seed(phase: Phase): AppDeploymentState;
}

const fail = (status: number, id: string, message: string): Reply => ({ status, body: { id, message, request_id: randomUUID() } });

const PATHS: Record<DeployOutcome, Phase[]> = {
  active: ['BUILDING', 'PENDING_DEPLOY', 'DEPLOYING', 'ACTIVE'],
  build_error: ['BUILDING', 'ERROR'],
  deploy_error: ['BUILDING', 'PENDING_DEPLOY', 'DEPLOYING', 'ERROR'],
  stuck: ['BUILDING'],
};
const ENDED = new Set<Phase>(['ACTIVE', 'SUPERSEDED', 'ERROR', 'CANCELED']);

export async function startDigitalOceanDouble(): Promise<DigitalOceanDouble> {
  const token = 'dop_v1_double0123456789abcdef0123456789abcdef';
  const readToken = 'dop_v1_readonly0123456789abcdef';
  const appId = randomUUID();
  const liveUrl = 'https://shop-api-x7k2q.ondigitalocean.app';
  const deployments: AppDeploymentState[] = [];
  const outcomes: DeployOutcome[] = [];
  const faults = faultQueue();
  let pinned: string | undefined;
  let specBeforeRollback: string | undefined;

  const active = () => deployments.find((d) => d.phase === 'ACTIVE')?.id;
  const view = (d: AppDeploymentState) => {
    const { remaining: _r, outcome: _o, force_build: _f, ...rest } = d;
    return { ...rest, spec: { name: 'shop-api' }, phase_last_updated_at: new Date().toISOString() };
  };

  const create = (cause: string, outcome: DeployOutcome, forceBuild = false): AppDeploymentState => {
    const d: AppDeploymentState = {
      id: randomUUID(),
      phase: 'PENDING_BUILD',
      cause,
      created_at: new Date().toISOString(),
      force_build: forceBuild,
      progress: {
        steps: [
          { name: 'build', status: 'PENDING' },
          { name: 'deploy', status: 'PENDING' },
        ],
        error_steps: 0,
      },
      remaining: [...PATHS[outcome]],
      outcome,
    };
    deployments.unshift(d);
    return d;
  };

  const advance = (d: AppDeploymentState) => {
    const next = d.remaining.shift();
    if (!next || ENDED.has(d.phase)) return;
    d.phase = next;
    const [build, deploy] = d.progress.steps as [Step, Step];
    if (next === 'BUILDING') build.status = 'RUNNING';
    if (next === 'PENDING_DEPLOY' || next === 'DEPLOYING') build.status = 'SUCCESS';
    if (next === 'DEPLOYING') deploy.status = 'RUNNING';
    if (next === 'ACTIVE') {
      deploy.status = 'SUCCESS';
      for (const other of deployments) if (other !== d && other.phase === 'ACTIVE') other.phase = 'SUPERSEDED';
    }
    if (next === 'ERROR') {
      const failed = d.outcome === 'build_error' ? build : deploy;
      failed.status = 'ERROR';
      failed.steps =
        d.outcome === 'build_error'
          ? [{ name: 'build-web', status: 'ERROR', reason: { code: 'BuildJobFailed', message: 'npm run build exited with code 1' } }]
          : [
              {
                name: 'deploy-web',
                status: 'ERROR',
                reason: { code: 'DeployContainerHealthChecksFailed', message: 'health check failed on /healthz' },
              },
            ];
      d.progress.error_steps = 1;
    }
  };

  const find = (id: string) => deployments.find((d) => d.id === id);
  const app = (params: string[]) => params[0] === appId;
  const routes: Route[] = [
    {
      method: 'GET',
      template: '/v2/apps/{app}',
      handler: (_req, p) => {
        if (!app(p)) return fail(404, 'not_found', 'The resource you were accessing could not be found.');
        const current = active();
        return {
          status: 200,
          body: {
            app: {
              id: appId,
              spec: { name: 'shop-api', region: 'ams' },
              live_url: liveUrl,
              ...(current ? { active_deployment: view(find(current)!) } : {}),
              ...(pinned ? { pinned_deployment: view(find(pinned)!) } : {}),
            },
          },
        };
      },
    },
    {
      method: 'POST',
      template: '/v2/apps/{app}/deployments',
      handler: (req, p) => {
        if (!app(p)) return fail(404, 'not_found', 'The resource you were accessing could not be found.');
        if (pinned) return fail(422, 'unprocessable_entity', `app is pinned to rollback deployment ${pinned}; commit or revert it first`);
        const body = (req.json ?? {}) as { force_build?: unknown };
        if (body.force_build !== undefined && typeof body.force_build !== 'boolean')
          return fail(400, 'bad_request', 'force_build must be a boolean');
        const d = create(body.force_build ? 'manual (force rebuild)' : 'manual', outcomes.shift() ?? 'active', body.force_build === true);
        return { status: 200, body: { deployment: view(d) } };
      },
    },
    {
      method: 'GET',
      template: '/v2/apps/{app}/deployments',
      handler: (req, p) => {
        if (!app(p)) return fail(404, 'not_found', 'The resource you were accessing could not be found.');
        const perPage = Number(req.query.get('per_page') ?? '20');
        const page = Number(req.query.get('page') ?? '1');
        const items = deployments.slice((page - 1) * perPage, page * perPage).map(view);
        return { status: 200, body: { deployments: items, links: {}, meta: { total: deployments.length } } };
      },
    },
    {
      method: 'GET',
      template: '/v2/apps/{app}/deployments/{id}',
      handler: (_req, p) => {
        const d = app(p) ? find(p[1]!) : undefined;
        if (!d) return fail(404, 'not_found', 'The resource you were accessing could not be found.');
        advance(d);
        return { status: 200, body: { deployment: view(d) } };
      },
    },
    {
      method: 'POST',
      template: '/v2/apps/{app}/deployments/{id}/cancel',
      handler: (_req, p) => {
        const d = app(p) ? find(p[1]!) : undefined;
        if (!d) return fail(404, 'not_found', 'The resource you were accessing could not be found.');
        if (ENDED.has(d.phase)) return fail(422, 'unprocessable_entity', `deployment is ${d.phase} and cannot be canceled`);
        d.phase = 'CANCELED';
        d.remaining = [];
        return { status: 200, body: { deployment: view(d) } };
      },
    },
    {
      method: 'GET',
      template: '/v2/apps/{app}/deployments/{id}/logs',
      handler: (req, p) => {
        const d = app(p) ? find(p[1]!) : undefined;
        if (!d) return fail(404, 'not_found', 'The resource you were accessing could not be found.');
        const type = req.query.get('type');
        if (type !== 'BUILD' && type !== 'DEPLOY' && type !== 'RUN') return fail(400, 'bad_request', 'type must be BUILD, DEPLOY or RUN');
        return { status: 200, body: { historic_urls: [`https://logs.example.test/${d.id}/${type.toLowerCase()}.log`] } };
      },
    },
    {
      method: 'POST',
      template: '/v2/apps/{app}/rollback/validate',
      handler: (req, p) => {
        if (!app(p)) return fail(404, 'not_found', 'The resource you were accessing could not be found.');
        const target = find(String((req.json as { deployment_id?: string } | undefined)?.deployment_id));
        if (!target) return fail(404, 'not_found', 'deployment not found');
        if (target.phase !== 'SUPERSEDED' && target.phase !== 'ACTIVE')
          return { status: 200, body: { valid: false, error: { code: 'incompatible_phase', message: `deployment is ${target.phase}` } } };
        return {
          status: 200,
          body: { valid: true, warnings: [{ code: 'static_site_requires_rebuild', message: 'the static site component will be rebuilt' }] },
        };
      },
    },
    {
      method: 'POST',
      template: '/v2/apps/{app}/rollback',
      handler: (req, p) => {
        if (!app(p)) return fail(404, 'not_found', 'The resource you were accessing could not be found.');
        const body = (req.json ?? {}) as { deployment_id?: string; skip_pin?: boolean };
        const target = find(String(body.deployment_id));
        if (!target) return fail(404, 'not_found', 'deployment not found');
        if (target.phase !== 'SUPERSEDED' && target.phase !== 'ACTIVE')
          return fail(422, 'unprocessable_entity', `cannot roll back to a deployment that is ${target.phase}`);
        specBeforeRollback = active();
        const d = create(`app rollback to ${target.id}`, outcomes.shift() ?? 'active');
        d.remaining = d.remaining.filter((phase) => phase !== 'BUILDING');
        if (!body.skip_pin) pinned = d.id;
        return { status: 200, body: { deployment: view(d) } };
      },
    },
    {
      method: 'POST',
      template: '/v2/apps/{app}/rollback/commit',
      handler: (_req, p) => {
        if (!app(p)) return fail(404, 'not_found', 'The resource you were accessing could not be found.');
        if (!pinned) return fail(422, 'unprocessable_entity', 'the app has no rollback to commit');
        pinned = undefined;
        return { status: 200 };
      },
    },
    {
      method: 'POST',
      template: '/v2/apps/{app}/rollback/revert',
      handler: (_req, p) => {
        if (!app(p)) return fail(404, 'not_found', 'The resource you were accessing could not be found.');
        if (!pinned) return fail(422, 'unprocessable_entity', 'the app has no rollback to revert');
        pinned = undefined;
        const d = create(`revert rollback (back to the spec of ${specBeforeRollback ?? 'the app'})`, 'active');
        return { status: 200, body: { deployment: view(d) } };
      },
    },
  ];

  const gate = (req: Recorded): Reply | undefined => {
    const presented = bearer(req);
    if (presented !== token && presented !== readToken) return fail(401, 'Unauthorized', 'Unable to authenticate you');
    if (presented === readToken && req.method !== 'GET') return fail(403, 'Forbidden', 'You are not authorized to perform this operation');
    const fault = faults.take(req, (status) =>
      status === 429
        ? { id: 'too_many_requests', message: 'API Rate limit exceeded.' }
        : { id: 'server_error', message: 'Unexpected server-side error' },
    );
    if (fault?.status === 429)
      fault.headers = {
        ...fault.headers,
        'ratelimit-limit': '5000',
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1),
      };
    return fault;
  };
  const server = await serveRoutes(
    routes.map((r) => ({ ...r, handler: (req: Recorded, params: string[]) => gate(req) ?? r.handler(req, params) })),
    (req) => gate(req) ?? fail(404, 'not_found', 'The resource you were accessing could not be found.'),
  );
  return {
    ...server,
    url: `${server.url}/v2`,
    token,
    readToken,
    appId,
    liveUrl,
    deployments,
    outcomes,
    faults: faults.faults,
    pinned: () => pinned,
    active,
    seed(phase) {
      const d = create('seed', 'active');
      d.phase = phase;
      d.remaining = [];
      return d;
    },
  };
}
