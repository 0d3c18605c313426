import { describe, expect, it } from 'vitest';

import { recordingLogger } from '../../harness/services/recording-logger.js';
import type { FlyMachine, FlyMachines } from '../../src/backend/fly/machines.js';
import { type MachineReport, rollOut } from '../../src/backend/fly/rollout.js';
import type { RunContext } from '../../src/core/action.js';

/** An in-memory Machines API: each Machine starts when its image is not in `bad`; every call is logged. */
function fakeApi(ids: string[], bad: Set<string>) {
  const calls: string[] = [];
  const machines = new Map<string, FlyMachine>(
    ids.map((id) => [
      id,
      {
        id,
        state: 'started',
        instance_id: `${id}-0`,
        region: 'ams',
        config: { image: 'old', metadata: { fly_process_group: 'app' } },
        checks: [],
      },
    ]),
  );
  let version = 0;
  const api = {
    lease: async (id: string) => (calls.push(`lease ${id}`), `nonce-${id}`),
    release: async (id: string) => void calls.push(`release ${id}`),
    update: async (id: string, config: FlyMachine['config']) => {
      calls.push(`update ${id} ${config.image}`);
      version += 1;
      const m = { ...machines.get(id)!, config, instance_id: `${id}-${version}`, state: bad.has(config.image) ? 'failed' : 'started' };
      machines.set(id, m);
      return m;
    },
    wait: async (id: string) => machines.get(id)!.state === 'started',
    get: async (id: string) => machines.get(id)!,
  } as unknown as FlyMachines;
  return { api, calls, machines };
}

const ctx = { logger: recordingLogger(), clock: { now: () => Date.now(), sleep: async () => undefined } } as unknown as RunContext;

describe('fly rollOut', () => {
  it('rolls in batches of max-parallel, leasing and releasing each Machine', async () => {
    const { api, calls, machines } = fakeApi(['m1', 'm2', 'm3'], new Set());
    const reports = await rollOut(api, ctx, {
      machines: [...machines.values()],
      target: () => 'new',
      maxParallel: 2,
      timeoutMs: 5000,
    });
    expect(reports.map((r) => r.status)).toEqual(['started', 'started', 'started']);
    expect(calls.filter((c) => c.startsWith('update'))).toEqual(['update m1 new', 'update m2 new', 'update m3 new']);
    expect(calls.filter((c) => c.startsWith('lease')).length).toBe(calls.filter((c) => c.startsWith('release')).length);
    expect(machines.get('m1')!.config.metadata).toMatchObject({
      deploy_kit_previous_image: 'old',
      deploy_kit_release: 'new',
      fly_process_group: 'app',
    });
  });

  it('stops after the first failed batch and puts the Machines of earlier batches back too', async () => {
    const { api, calls, machines } = fakeApi(['m1', 'm2', 'm3', 'm4', 'm5'], new Set(['new']));
    // m1, m2 get a good image; from the second batch on the image fails.
    const seen: MachineReport[] = [];
    const failing = rollOut(
      api,
      ctx,
      { machines: [...machines.values()], target: (m) => (['m1', 'm2'].includes(m.id) ? 'good' : 'new'), maxParallel: 2, timeoutMs: 5000 },
      seen,
    );
    await expect(failing).rejects.toThrow(/is failed .*put m1, m2, m3, m4 back/);
    expect(calls.filter((c) => c.startsWith('update m5'))).toEqual([]);
    expect([...machines.values()].map((m) => m.config.image)).toEqual(['old', 'old', 'old', 'old', 'old']);
    expect(seen.map((r) => r.status)).toEqual(['reverted', 'reverted', 'reverted', 'reverted', 'pending']);
  });
});
