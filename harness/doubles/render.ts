import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the Render REST API (https://api.render.com/v1) on 127.0.0.1: services, deploys
 * with their status machine, 201/202 triggers, 429 with Retry-After, cancel and rollback, errors as
 * `{id, message}`. A deploy advances one status each time it is read, so tests are deterministic.
 */

export type DeployStatus =
  | 'created'
  | 'queued'
  | 'build_in_progress'
  | 'update_in_progress'
  | 'pre_deploy_in_progress'
  | 'live'
  | 'deactivated'
  | 'build_failed'
  | 'update_failed'
  | 'pre_deploy_failed'
  | 'canceled';

export interface Deploy {
  id: string;
  status: DeployStatus;
  trigger: 'api' | 'rollback' | 'new_commit';
  commit?: { id: string; message: string; createdAt: string };
  image?: { ref: string; sha: string; registryCredential?: string };
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
}

/** How the next triggered deploy behaves. */
export type Outcome = 'live' | 'build_failed' | 'update_failed' | 'pre_deploy_failed' | 'stuck';

interface DeployState extends Deploy {
  outcome: Outcome;
  /** The status machine left for this deploy. */
  steps: DeployStatus[];
  /** For a rollback deploy: the one whose build it reuses. */
  rollbackOf?: string;
  /** A deploy someone else started, that a queued one waits for. */
  blocker?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
  authorization?: string;
}

export interface RenderDouble {
  url: string;
  /** The service's deploy hook (`/deploy/<service>?key=...`), which needs no API key. */
  hookUrl: string;
  token: string;
  serviceId: string;
  serviceUrl: string;
  requests: RecordedRequest[];
  /** Newest first, as the API lists them. */
  deploys(): Deploy[];
  /** Adds a finished deploy (live or otherwise) to the history, newest on top. */
  seed(status: DeployStatus, commit?: string): Deploy;
  /** The outcome of the next triggers, consumed in order; default live. */
  outcomes: Outcome[];
  /** Answer the next N triggers with 429 and Retry-After: 1. */
  rateLimitNext: number;
  /** Answer the next trigger with 202 (queued behind a running deploy). */
  queueNext: boolean;
  close(): Promise<void>;
}

const FAILURE_STEPS: Record<Exclude<Outcome, 'live' | 'stuck'>, DeployStatus[]> = {
  build_failed: ['build_in_progress', 'build_failed'],
  update_failed: ['build_in_progress', 'update_in_progress', 'update_failed'],
  pre_deploy_failed: ['build_in_progress', 'pre_deploy_in_progress', 'pre_deploy_failed'],
};

function stepsFor(outcome: Outcome): DeployStatus[] {
  if (outcome === 'live') return ['build_in_progress', 'update_in_progress', 'live'];
  if (outcome === 'stuck') return ['build_in_progress'];
  return FAILURE_STEPS[outcome];
}

const TERMINAL = new Set<DeployStatus>(['live', 'deactivated', 'build_failed', 'update_failed', 'pre_deploy_failed', 'canceled']);

export async function startRenderDouble(options: { token?: string; serviceId?: string } = {}): Promise<RenderDouble> {
  const token = options.token ?? 'rnd_test_0123456789abcdef';
  const serviceId = options.serviceId ?? 'srv-d0ubl3s3rv1c3';
  const serviceUrl = 'https://shop-api.onrender.com';
  const deploys: DeployState[] = [];
  const requests: RecordedRequest[] = [];
  let counter = 0;
  // Creation times strictly increase, as the API's do.
  let lastCreated = 0;
  const stamp = () => {
    lastCreated = Math.max(Date.now(), lastCreated + 1);
    return new Date(lastCreated).toISOString();
  };

  const newDeploy = (fields: Partial<DeployState> & Pick<DeployState, 'status' | 'trigger' | 'outcome' | 'steps'>): DeployState => {
    counter += 1;
    const now = stamp();
    const deploy: DeployState = {
      id: `dep-${String(counter).padStart(4, '0')}x${Math.random().toString(36).slice(2, 8)}`,
      createdAt: now,
      updatedAt: now,
      ...fields,
    };
    deploys.unshift(deploy);
    return deploy;
  };

  const view = (d: DeployState): Deploy => {
    const { outcome: _o, steps: _s, rollbackOf: _r, blocker: _b, ...rest } = d;
    return rest;
  };

  /** One step of the status machine; going live deactivates the deploy that was live. */
  const advance = (d: DeployState) => {
    if (TERMINAL.has(d.status)) return;
    const queuedBehind = deploys.some((o) => o !== d && o.createdAt < d.createdAt && !TERMINAL.has(o.status));
    if (d.status === 'queued' && queuedBehind) return;
    const next = d.status === 'queued' ? 'created' : d.steps.shift();
    if (!next) return;
    d.status = next;
    d.updatedAt = new Date().toISOString();
    if (next === 'live') {
      for (const other of deploys) if (other !== d && other.status === 'live') other.status = 'deactivated';
    }
    if (TERMINAL.has(next)) d.finishedAt = d.updatedAt;
  };

  const hookKey = 'hk_0a1b2c3d4e5f';
  const double: RenderDouble = {
    url: '',
    hookUrl: '',
    token,
    serviceId,
    serviceUrl,
    requests,
    deploys: () => deploys.map(view),
    seed(status, commit) {
      return view(
        newDeploy({
          status,
          trigger: 'new_commit',
          outcome: 'live',
          steps: [],
          commit: commit ? { id: commit, message: 'seed', createdAt: stamp() } : undefined,
        }),
      );
    },
    outcomes: [],
    rateLimitNext: 0,
    queueNext: false,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, id: string, message: string, headers?: Record<string, string>) =>
    send(res, status, { id, message }, headers);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return error(res, 400, 'invalid_json', 'request body is not JSON');
    }
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      authorization: req.headers.authorization,
    });
    if (url.pathname === `/deploy/${serviceId}`) {
      if (url.searchParams.get('key') !== hookKey) return error(res, 401, 'unauthorized', 'invalid deploy hook key');
      const ref = url.searchParams.get('ref');
      const img = url.searchParams.get('imgURL');
      const deploy = newDeploy({
        status: 'created',
        trigger: 'api',
        outcome: 'live',
        steps: stepsFor('live'),
        commit: ref ? { id: ref, message: 'deploy hook', createdAt: stamp() } : undefined,
        image: img ? { ref: img, sha: img.split('@')[1] ?? 'sha256:unknown' } : undefined,
      });
      return send(res, 200, { deploy: { id: deploy.id } });
    }
    if (req.headers.authorization !== `Bearer ${token}`) return error(res, 401, 'unauthorized', 'Unauthorized');

    const parts = url.pathname.replace(/^\/v1/, '').split('/').filter(Boolean);
    if (parts[0] !== 'services' || !parts[1]) return error(res, 404, 'not_found', 'Not Found');
    if (parts[1] !== serviceId) return error(res, 404, 'not_found', 'service not found');
    const method = req.method ?? 'GET';

    if (parts.length === 2 && method === 'GET') {
      return send(res, 200, {
        id: serviceId,
        name: 'shop-api',
        type: 'web_service',
        suspended: 'not_suspended',
        serviceDetails: { url: serviceUrl },
      });
    }
    if (parts[2] === 'deploys' && parts.length === 3 && method === 'POST') {
      if (double.rateLimitNext > 0) {
        double.rateLimitNext -= 1;
        return error(res, 429, 'rate_limited', 'Rate limit exceeded for deploy triggers', { 'retry-after': '1' });
      }
      const request = (body ?? {}) as { clearCache?: string; commitId?: string; imageUrl?: string };
      if (request.clearCache !== undefined && request.clearCache !== 'clear' && request.clearCache !== 'do_not_clear') {
        return error(res, 400, 'invalid_request', 'clearCache must be "clear" or "do_not_clear"');
      }
      const outcome = double.outcomes.shift() ?? 'live';
      const queued = double.queueNext;
      double.queueNext = false;
      if (queued) {
        // Something is running: hold the new deploy behind it.
        newDeploy({ status: 'build_in_progress', trigger: 'api', outcome: 'live', steps: ['update_in_progress', 'live'], blocker: true });
      }
      const deploy = newDeploy({
        status: queued ? 'queued' : 'created',
        trigger: 'api',
        outcome,
        steps: stepsFor(outcome),
        commit: request.commitId ? { id: request.commitId, message: 'deploy', createdAt: stamp() } : undefined,
        image: request.imageUrl ? { ref: request.imageUrl, sha: request.imageUrl.split('@')[1] ?? 'sha256:unknown' } : undefined,
      });
      return queued ? send(res, 202) : send(res, 201, view(deploy));
    }
    if (parts[2] === 'deploys' && parts.length === 3 && method === 'GET') {
      const limit = Math.min(Number(url.searchParams.get('limit') ?? '20'), 100);
      const after = url.searchParams.get('createdAfter');
      // The running deploy a queued one waits for keeps going while the client looks.
      for (const d of deploys) if (d.blocker) advance(d);
      const items = deploys.filter((d) => !after || d.createdAt > after).slice(0, limit);
      return send(
        res,
        200,
        items.map((d) => ({ cursor: Buffer.from(d.id).toString('base64'), deploy: view(d) })),
      );
    }
    const deploy = parts[3] ? deploys.find((d) => d.id === parts[3]) : undefined;
    if (parts[2] === 'deploys' && parts.length === 4 && method === 'GET') {
      if (!deploy) return error(res, 404, 'not_found', 'deploy not found');
      for (const d of deploys) if (d.blocker) advance(d);
      advance(deploy);
      return send(res, 200, view(deploy));
    }
    if (parts[2] === 'deploys' && parts[4] === 'cancel' && method === 'POST') {
      if (!deploy) return error(res, 404, 'not_found', 'deploy not found');
      if (TERMINAL.has(deploy.status)) return error(res, 409, 'conflict', `deploy is ${deploy.status} and cannot be canceled`);
      deploy.status = 'canceled';
      deploy.finishedAt = deploy.updatedAt = new Date().toISOString();
      return send(res, 200, view(deploy));
    }
    if (parts[2] === 'rollback' && parts.length === 3 && method === 'POST') {
      const target = deploys.find((d) => d.id === (body as { deployId?: string } | undefined)?.deployId);
      if (!target) return error(res, 404, 'not_found', 'deploy not found');
      if (!['live', 'deactivated'].includes(target.status))
        return error(res, 400, 'invalid_request', `cannot roll back to a deploy that is ${target.status}`);
      const deploy = newDeploy({
        status: 'created',
        trigger: 'rollback',
        outcome: 'live',
        steps: ['update_in_progress', 'live'],
        commit: target.commit,
        image: target.image,
        rollbackOf: target.id,
      });
      return send(res, 201, view(deploy));
    }
    return error(res, 404, 'not_found', 'Not Found');
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => error(res, 500, 'internal', String(e)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  double.url = `http://127.0.0.1:${port}/v1`;
  double.hookUrl = `http://127.0.0.1:${port}/deploy/${serviceId}?key=${hookKey}`;
  return double;
}
