import { randomBytes } from 'node:crypto';

import { type FaultQueue, faultQueue } from './faults.js';
import { bearer, type DoubleServer, type Recorded, type Reply, type Route, serveRoutes } from './server.js';

/**
 * A stand-in for the Fly Machines API (https://api.machines.dev/v1) on 127.0.0.1. Each behaviour
 * names the page it follows; the pages are under https://fly.io/docs/machines/:
 *  - api/working-with-machines-api/: Bearer token on every request; errors are `{"error": "..."}`.
 *  - api/machines-resource/: list, get, update (POST with the whole config), wait, lease, metadata.
 *  - machine-states/: created → (update) replacing → starting → started | failed; stopped, destroyed.
 *  - api/machines-resource/#rate-limits (1 req/s per action per Machine, burst 3): a 429 with Retry-After, queued by tests.
 * A Machine advances one state each time it is read or waited on, so tests are deterministic.
 */

/** How a Machine behaves when it is updated to an image (tests set it per image): */
export type ImageOutcome = 'started' | 'failed' | 'critical' | 'stuck';

export interface FlyCheck {
  name: string;
  status: 'passing' | 'warning' | 'critical';
  output: string;
}

export interface FlyMachineState {
  id: string;
  name: string;
  state: string;
  region: string;
  instance_id: string;
  config: { image: string; metadata: Record<string, string>; guest: Record<string, unknown>; services: unknown[]; [key: string]: unknown };
  checks: FlyCheck[];
  /** What is left of the state machine. */
  steps: string[];
  lease?: { nonce: string; expiresAt: number };
  /** Every config it ran, oldest first (instance id, image). */
  versions: { instance_id: string; image: string }[];
}

export interface FlyDouble extends DoubleServer {
  token: string;
  app: string;
  machines: Map<string, FlyMachineState>;
  /** Per image: what a Machine does after an update to it (default started). */
  outcomes: Map<string, ImageOutcome>;
  faults: FaultQueue['faults'];
  /** Adds a started Machine running `image` in a process group. */
  seed(image: string, options?: { group?: string; region?: string; metadata?: Record<string, string> }): FlyMachineState;
  /** Takes a Machine's lease as someone else would (a concurrent `fly deploy`). */
  holdLease(id: string): void;
}

const error = (status: number, message: string): Reply => ({ status, body: { error: message } });
const IMAGE = /^[a-z0-9][\w.:/-]*(@sha256:[0-9a-f]{64}|:[\w][\w.-]{0,127})?$/;

export async function startFlyDouble(options: { token?: string; app?: string } = {}): Promise<FlyDouble> {
  const token = options.token ?? 'FlyV1 fm2_double_0123456789abcdef';
  const app = options.app ?? 'shop-api';
  const machines = new Map<string, FlyMachineState>();
  const outcomes = new Map<string, ImageOutcome>();
  const faults = faultQueue();
  const hex = (n: number) => randomBytes(n).toString('hex');

  const view = (m: FlyMachineState) => {
    const { steps: _s, lease: _l, versions: _v, ...rest } = m;
    return { ...rest, image_ref: { repository: m.config.image.split('@')[0], digest: m.config.image.split('@')[1] ?? '' } };
  };

  // machine-states/: one transition per observation; `started` brings the checks the image earns.
  const advance = (m: FlyMachineState) => {
    const next = m.steps.shift();
    if (!next) return;
    m.state = next;
    if (next === 'started') {
      const critical = outcomes.get(m.config.image) === 'critical';
      m.checks = [
        {
          name: 'servicecheck-00-http-8080',
          status: critical ? 'critical' : 'passing',
          output: critical ? 'GET /healthz: 500 Internal Server Error' : 'Success',
        },
      ];
    }
  };

  const stepsFor = (image: string): string[] => {
    const outcome = outcomes.get(image) ?? 'started';
    if (outcome === 'failed') return ['starting', 'failed'];
    if (outcome === 'stuck') return ['starting'];
    return ['starting', 'started'];
  };

  const machine = (params: string[]) => (params[0] === app ? machines.get(params[1]!) : undefined);
  const leaseHeld = (m: FlyMachineState, req: Recorded) =>
    m.lease && m.lease.expiresAt > Date.now() && req.headers['fly-machine-lease-nonce'] !== m.lease.nonce;

  const guarded = (handler: (req: Recorded, m: FlyMachineState) => Reply | Promise<Reply>) => (req: Recorded, params: string[]) => {
    if (params[0] !== app) return error(404, 'app not found');
    const m = machine(params);
    return m ? handler(req, m) : error(404, 'machine not found');
  };

  const routes: Route[] = [
    // machines-resource/#list-machines: every Machine of the app, config included.
    {
      method: 'GET',
      template: '/v1/apps/{app}/machines',
      handler: (_req, params) =>
        params[0] === app ? { status: 200, body: [...machines.values()].map(view) } : error(404, 'app not found'),
    },
    // machines-resource/#get-a-machine
    {
      method: 'GET',
      template: '/v1/apps/{app}/machines/{id}',
      handler: guarded((_req, m) => {
        advance(m);
        return { status: 200, body: view(m) };
      }),
    },
    // machines-resource/#update-a-machine: the body's config replaces the Machine's whole config; a new
    // instance_id; refused (409) while another holder's lease is on it; a bad image is 422.
    {
      method: 'POST',
      template: '/v1/apps/{app}/machines/{id}',
      handler: guarded((req, m) => {
        if (leaseHeld(m, req))
          return error(
            409,
            `machine ${m.id} lease currently held by other@example.com, expires at ${new Date(m.lease!.expiresAt).toISOString()}`,
          );
        const config = (req.json as { config?: FlyMachineState['config'] } | undefined)?.config;
        if (!config || typeof config.image !== 'string') return error(400, 'config.image is required');
        if (!IMAGE.test(config.image)) return error(422, `invalid image reference: ${config.image}`);
        m.config = { ...config, metadata: { ...config.metadata } };
        m.instance_id = `01J${hex(10).toUpperCase()}`;
        m.versions.push({ instance_id: m.instance_id, image: config.image });
        m.state = 'replacing';
        m.checks = [];
        m.steps = stepsFor(config.image);
        return { status: 200, body: view(m) };
      }),
    },
    // machines-resource/#wait-for-a-machine-to-reach-a-specified-state: blocks up to `timeout` seconds
    // (here at most 300 ms, so tests stay fast) for that instance_id; 408 when it does not get there.
    // A Machine that failed answers 400 "machine failed to reach desired state" (the message flyctl's
    // internal/machine/wait.go looks for).
    {
      method: 'GET',
      template: '/v1/apps/{app}/machines/{id}/wait',
      handler: guarded(async (req, m) => {
        const want = req.query.get('state') ?? 'started';
        const instance = req.query.get('instance_id');
        if (instance && !m.versions.some((v) => v.instance_id === instance)) return error(400, `unknown instance_id ${instance}`);
        for (let i = 0; i < 3 && m.state !== want && m.steps.length > 0; i += 1) advance(m);
        if (m.state === want && (!instance || instance === m.instance_id)) return { status: 200, body: { ok: true } };
        if (m.state === 'failed') return error(400, `machine failed to reach desired state, ${want}, current state ${m.state}`);
        await new Promise((r) => setTimeout(r, Math.min(Number(req.query.get('timeout') ?? '60') * 1000, 300)));
        return error(408, `deadline_exceeded: machine did not reach ${want}`);
      }),
    },
    // machines-resource/#create-a-machine-lease: exclusive right to change the Machine for `ttl` seconds;
    // 409 while someone else's lease is live.
    {
      method: 'POST',
      template: '/v1/apps/{app}/machines/{id}/lease',
      handler: guarded((req, m) => {
        if (leaseHeld(m, req)) return error(409, `machine ${m.id} lease currently held by other@example.com`);
        const ttl = Number((req.json as { ttl?: number } | undefined)?.ttl ?? 30);
        m.lease = { nonce: hex(8), expiresAt: Date.now() + ttl * 1000 };
        return {
          status: 200,
          body: {
            status: 'success',
            data: {
              nonce: m.lease.nonce,
              expires_at: Math.floor(m.lease.expiresAt / 1000),
              owner: 'deploy@acme.test',
              version: m.instance_id,
            },
          },
        };
      }),
    },
    // machines-resource/#release-a-machine-lease: with the nonce in fly-machine-lease-nonce.
    {
      method: 'DELETE',
      template: '/v1/apps/{app}/machines/{id}/lease',
      handler: guarded((req, m) => {
        if (!m.lease || req.headers['fly-machine-lease-nonce'] !== m.lease.nonce) return error(409, 'lease nonce does not match');
        m.lease = undefined;
        return { status: 200, body: { status: 'success' } };
      }),
    },
    // machines-resource/#get-metadata: the Machine's config.metadata.
    {
      method: 'GET',
      template: '/v1/apps/{app}/machines/{id}/metadata',
      handler: guarded((_req, m) => ({ status: 200, body: m.config.metadata })),
    },
  ];

  const gate = (req: Recorded): Reply | undefined => {
    if (bearer(req) !== token) return error(401, 'Unauthorized');
    return faults.take(req, (status) => ({ error: status === 429 ? 'rate limit exceeded' : 'internal server error' }));
  };
  const server = await serveRoutes(
    routes.map((r) => ({ ...r, handler: (req: Recorded, params: string[]) => gate(req) ?? r.handler(req, params) })),
    (req) => gate(req) ?? error(404, '404 page not found'),
  );
  let count = 0;
  return {
    ...server,
    url: `${server.url}/v1`,
    token,
    app,
    machines,
    outcomes,
    faults: faults.faults,
    seed(image, seedOptions = {}) {
      count += 1;
      const m: FlyMachineState = {
        id: `${count}8e${hex(5)}`,
        name: `machine-${count}`,
        state: 'started',
        region: seedOptions.region ?? 'ams',
        instance_id: `01J${hex(10).toUpperCase()}`,
        config: {
          image,
          metadata: { fly_process_group: seedOptions.group ?? 'app', fly_platform_version: 'v2', ...seedOptions.metadata },
          guest: { cpu_kind: 'shared', cpus: 1, memory_mb: 256 },
          services: [{ protocol: 'tcp', internal_port: 8080, ports: [{ port: 443, handlers: ['tls', 'http'] }] }],
          env: { PORT: '8080' },
        },
        checks: [{ name: 'servicecheck-00-http-8080', status: 'passing', output: 'Success' }],
        steps: [],
        versions: [],
      };
      m.versions.push({ instance_id: m.instance_id, image });
      machines.set(m.id, m);
      return m;
    },
    holdLease(id) {
      machines.get(id)!.lease = { nonce: 'someone-else', expiresAt: Date.now() + 600_000 };
    },
  };
}
