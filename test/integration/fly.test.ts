import { readFileSync } from 'node:fs';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { type FlyDouble, startFlyDouble } from '../../harness/doubles/fly.js';
import { printed, runBundle } from '../../harness/services/runner.js';

let fly: FlyDouble;
const image = (c: string) => `registry.fly.io/shop-api@sha256:${c.repeat(64)}`;
const OLD = image('0');
const NEW = image('a');

beforeEach(async () => {
  fly = await startFlyDouble();
});

afterEach(async () => {
  await fly.close();
});

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return { provider: 'fly', app: fly.app, token: fly.token, 'api-url': fly.url, image: NEW, ...extra };
}

const updates = () => fly.requests.filter((r) => r.method === 'POST' && r.route === '/v1/apps/{app}/machines/{id}');
const images = () => [...fly.machines.values()].map((m) => m.config.image);

describe('backend provider fly', () => {
  it('updates every Machine under a lease to the new image, keeping the rest of its config, and records the previous image', async () => {
    const [a, b] = [fly.seed(OLD, { region: 'ams' }), fly.seed(OLD, { region: 'fra' })];
    const run = await runBundle('backend', inputs({ 'max-parallel': '2' }), { post: true });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(images()).toEqual([NEW, NEW]);
    expect(run.outputs).toMatchObject({ release: NEW, 'previous-release': OLD, machines: `${a.id},${b.id}`, status: 'started' });
    for (const update of updates()) {
      const sent = (update.json as { config: Record<string, unknown> }).config;
      expect(sent).toMatchObject({ guest: { memory_mb: 256 }, env: { PORT: '8080' }, metadata: { fly_process_group: 'app' } });
      expect(update.headers['fly-machine-lease-nonce']).toMatch(/^[0-9a-f]{16}$/);
    }
    // Leases were taken and given back; the wait endpoint was asked for the new version.
    expect([...fly.machines.values()].every((m) => m.lease === undefined)).toBe(true);
    const wait = fly.requests.find((r) => r.route?.endsWith('/wait'))!;
    expect(wait.query.get('state')).toBe('started');
    expect(wait.query.get('instance_id')).toBe(fly.machines.get(wait.path.split('/')[5]!)!.versions.at(-1)!.instance_id);
    const metadata = await fetch(`${fly.url}/apps/${fly.app}/machines/${a.id}/metadata`, {
      headers: { authorization: `Bearer ${fly.token}` },
    });
    expect(await metadata.json()).toMatchObject({ deploy_kit_previous_image: OLD, deploy_kit_release: NEW });
    expect(run.summary).toContain(a.id);
  });

  it('redeploys only the process group asked for, and leaves Machines already on the image alone', async () => {
    const web = fly.seed(OLD, { group: 'app' });
    const worker = fly.seed(OLD, { group: 'worker' });
    const first = await runBundle('backend', inputs({ 'process-group': 'app' }));
    expect(first.exitCode, first.stdout).toBe(0);
    expect(fly.machines.get(web.id)!.config.image).toBe(NEW);
    expect(fly.machines.get(worker.id)!.config.image).toBe(OLD);
    const before = updates().length;
    const again = await runBundle('backend', inputs({ 'process-group': 'app' }));
    expect(again.exitCode, again.stdout).toBe(0);
    expect(updates().length).toBe(before);
    expect(again.stdout).toContain('already on');
  });

  it.each([
    ['failed', /is failed/],
    ['critical', /servicecheck-00-http-8080 critical \(GET \/healthz: 500/],
  ] as const)('stops at a Machine that ends %s and puts every updated Machine back on its old image', async (outcome, message) => {
    fly.seed(OLD);
    fly.seed(OLD);
    fly.seed(OLD);
    fly.outcomes.set(NEW, outcome);
    const run = await runBundle('backend', inputs({ 'max-parallel': '2', timeout: '3s' }));
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toMatch(message);
    expect(run.stdout).toMatch(/put .* back on the image they had/);
    expect(images()).toEqual([OLD, OLD, OLD]);
    // The third Machine was never touched: the first batch failed.
    expect(new Set(updates().map((u) => u.path)).size).toBe(2);
    expect(run.outputs.status).toBe('reverted');
    expect(run.outputs.machines ?? '').toBe('');
  });

  it('on timeout puts the Machine that never started back and says so', async () => {
    fly.seed(OLD);
    fly.outcomes.set(NEW, 'stuck');
    const run = await runBundle('backend', inputs({ timeout: '2s' }));
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toMatch(/did not succeed within 2s/);
    expect(images()).toEqual([OLD]);
  });

  it('waits out a 429 with Retry-After and retries a 503', async () => {
    fly.seed(OLD);
    fly.faults.push(
      { status: 429, method: 'POST', pathEndsWith: '/lease', retryAfterSeconds: 1 },
      { status: 503, method: 'GET', pathEndsWith: '/machines' },
    );
    const run = await runBundle('backend', inputs());
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/returned 429; retrying in 1000 ms/);
    expect(run.stdout).toMatch(/returned 503; retrying/);
    expect(images()).toEqual([NEW]);
  });

  it('fails on a lease someone else holds, without changing the Machine', async () => {
    const m = fly.seed(OLD);
    fly.holdLease(m.id);
    const run = await runBundle('backend', inputs());
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toMatch(/409: machine .* lease currently held.*no machine had been changed/);
    expect(images()).toEqual([OLD]);
    expect(updates()).toHaveLength(0);
  });

  it('rejects a bad token, an unknown app, an empty group and an image not pinned by digest before changing anything', async () => {
    fly.seed(OLD);
    const badToken = await runBundle('backend', inputs({ token: 'FlyV1 wrong' }));
    expect(badToken.stdout).toMatch(/input "token": Fly refused the token \(401/);
    const unknown = await runBundle('backend', inputs({ app: 'no-such-app' }));
    expect(unknown.stdout).toMatch(/input "app": Fly has no app no-such-app/);
    const group = await runBundle('backend', inputs({ 'process-group': 'worker' }));
    expect(group.stdout).toMatch(/input "process-group": .* has no Machines/);
    const before = fly.requests.length;
    const tag = await runBundle('backend', inputs({ image: 'registry.fly.io/shop-api:latest' }));
    expect(tag.stdout).toMatch(/input "image": expected an image pinned by digest/);
    expect(fly.requests.length).toBe(before);
    expect(updates()).toHaveLength(0);
  });

  it('keeps the token out of the log, the outputs and the summary', async () => {
    fly.seed(OLD);
    fly.outcomes.set(NEW, 'failed');
    const run = await runBundle('backend', inputs({ timeout: '2s' }));
    const files = ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_STATE'].map((f) => readFileSync(run.env[f]!, 'utf8'));
    for (const text of [printed(run), ...files]) expect(text).not.toContain('fm2_double_0123456789abcdef');
  });
});

describe('rollback provider fly', () => {
  it('puts every Machine back on the image recorded before the last deploy', async () => {
    const a = fly.seed(OLD);
    fly.seed(OLD);
    expect((await runBundle('backend', inputs())).exitCode).toBe(0);
    const run = await runBundle('rollback', { provider: 'fly', app: fly.app, token: fly.token, 'api-url': fly.url, 'max-parallel': '2' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(images()).toEqual([OLD, OLD]);
    expect(run.outputs).toMatchObject({ release: OLD, 'previous-release': NEW, status: 'started' });
    expect(run.outputs.machines).toContain(a.id);
    expect(fly.machines.get(a.id)!.config.metadata).toMatchObject({ deploy_kit_previous_image: NEW, deploy_kit_release: OLD });
  });

  it('rolls back to a named image, and fails clearly when no previous image is recorded', async () => {
    fly.seed(NEW);
    const none = await runBundle('rollback', { provider: 'fly', app: fly.app, token: fly.token, 'api-url': fly.url });
    expect(none.exitCode).not.toBe(0);
    expect(none.stdout).toMatch(/no previous image is recorded/);
    expect(updates()).toHaveLength(0);
    const named = await runBundle('rollback', { provider: 'fly', app: fly.app, token: fly.token, 'api-url': fly.url, to: OLD });
    expect(named.exitCode, named.stdout).toBe(0);
    expect(images()).toEqual([OLD]);
  });
});
