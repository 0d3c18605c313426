import type { RunContext } from '../../core/action.js';
import { ConfigurationError, errorMessage, OperationalError } from '../../core/errors.js';
import { waitFor } from '../../core/wait.js';
import { PREVIOUS_IMAGE_KEY, RELEASE_KEY } from './config.js';
import type { FlyMachine, FlyMachines } from './machines.js';

/** A Machine that cannot reach `started` (failed, stopped, destroyed): ends the wait at once. */
class MachineFailed extends OperationalError {}

const DEAD = new Set(['failed', 'stopped', 'destroyed', 'destroying', 'launch_failed']);

export interface MachineReport {
  id: string;
  region?: string;
  from: string;
  to: string;
  status: 'pending' | 'updating' | 'started' | 'failed' | 'reverted' | 'revert failed';
  error?: string;
}

export interface RolloutPlan {
  machines: FlyMachine[];
  /** The image each Machine should end up on. */
  target: (machine: FlyMachine) => string;
  maxParallel: number;
  timeoutMs: number;
}

/** Waits for a Machine version to be `started` (Fly's wait endpoint holds each call up to 60 s) and every check to pass. */
async function waitHealthy(api: FlyMachines, ctx: RunContext, id: string, instanceId: string, deadline: number): Promise<void> {
  const isFatal = (e: unknown) => e instanceof MachineFailed || e instanceof ConfigurationError;
  const wait = { clock: ctx.clock, isFatal, timeoutMs: Math.max(1000, deadline - ctx.clock.now()) };
  await waitFor({
    ...wait,
    what: `Fly machine ${id} to reach started`,
    initialDelayMs: 200,
    read: async () => {
      if (await api.wait(id, instanceId, 'started', Math.ceil((deadline - ctx.clock.now()) / 1000))) return 'started';
      const machine = await api.get(id);
      if (DEAD.has(machine.state)) throw new MachineFailed(`Fly machine ${id} is ${machine.state} instead of started`);
      return machine.state;
    },
    state: (state) => state,
    ended: (state) => state === 'started',
  });
  await waitFor({
    ...wait,
    what: `the checks of Fly machine ${id} to pass`,
    timeoutMs: Math.max(1000, deadline - ctx.clock.now()),
    read: async () => {
      const machine = await api.get(id);
      if (DEAD.has(machine.state)) throw new MachineFailed(`Fly machine ${id} is ${machine.state} after starting`);
      return (machine.checks ?? []).filter((c) => c.status !== 'passing');
    },
    state: (failing) => failing.map((c) => `${c.name} ${c.status}${c.output ? ` (${c.output.trim()})` : ''}`).join(', '),
    ended: (_state, failing) => failing.length === 0,
    reason: (state) => state,
  });
}

/** Changes one Machine's image under its lease (`onUpdated` once Fly accepted the new config); the lease is released whatever happens. */
async function moveMachine(
  api: FlyMachines,
  ctx: RunContext,
  machine: FlyMachine,
  config: FlyMachine['config'],
  deadline: number,
  onUpdated: () => void = () => undefined,
) {
  const nonce = await api.lease(machine.id, Math.ceil((deadline - ctx.clock.now()) / 1000) + 60);
  try {
    const updated = await api.update(machine.id, config, nonce);
    onUpdated();
    await waitHealthy(api, ctx, machine.id, updated.instance_id, deadline);
  } finally {
    await api
      .release(machine.id, nonce)
      .catch((e: unknown) => ctx.logger.warning(`could not release the lease on ${machine.id}: ${errorMessage(e)}`));
  }
}

/** The new config: the Machine's own, with the image and the kit's metadata (previous image, release) changed. */
function withImage(machine: FlyMachine, image: string): FlyMachine['config'] {
  const metadata = { ...machine.config.metadata, [PREVIOUS_IMAGE_KEY]: machine.config.image, [RELEASE_KEY]: image };
  return { ...machine.config, image, metadata };
}

/**
 * Rolls `machines` to their target image in batches of `maxParallel`, stopping at the first failed
 * batch; every Machine already changed (the failed one too) gets its old config back, with a fresh
 * deadline, and the error names what failed and what was put back. `reports` (one per Machine,
 * filled in as it goes) says where each Machine ended, also when the rollout fails.
 */
export async function rollOut(
  api: FlyMachines,
  ctx: RunContext,
  plan: RolloutPlan,
  reports: MachineReport[] = [],
): Promise<MachineReport[]> {
  reports.push(
    ...plan.machines.map((m): MachineReport => ({
      id: m.id,
      region: m.region,
      from: m.config.image,
      to: plan.target(m),
      status: 'pending',
    })),
  );
  const deadline = ctx.clock.now() + plan.timeoutMs;
  const changed: FlyMachine[] = [];
  let failure: string | undefined;
  for (let start = 0; start < plan.machines.length && !failure; start += plan.maxParallel) {
    const batch = plan.machines.slice(start, start + plan.maxParallel);
    const results = await Promise.allSettled(
      batch.map(async (machine) => {
        const report = reports.find((r) => r.id === machine.id)!;
        if (report.from === report.to) {
          report.status = 'started';
          ctx.logger.info(`${machine.id}: already on ${report.to}`);
          return;
        }
        report.status = 'updating';
        ctx.logger.info(`${machine.id} (${machine.region ?? '?'}): ${report.from} → ${report.to}`);
        await moveMachine(api, ctx, machine, withImage(machine, report.to), deadline, () => changed.push(machine));
        report.status = 'started';
      }),
    );
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') return;
      const report = reports.find((r) => r.id === batch[i]!.id)!;
      report.status = 'failed';
      report.error = errorMessage(result.reason);
      failure ??= report.error;
    });
  }
  if (!failure) return reports;
  const back = await revert(api, ctx, changed, reports, plan);
  throw new OperationalError(`${failure}; ${back}`, 'read the Machine logs (fly logs --machine <id>) and its checks, then deploy again');
}

async function revert(
  api: FlyMachines,
  ctx: RunContext,
  changed: FlyMachine[],
  reports: MachineReport[],
  plan: RolloutPlan,
): Promise<string> {
  if (changed.length === 0) return 'no machine had been changed';
  const deadline = ctx.clock.now() + plan.timeoutMs;
  const errors: string[] = [];
  for (let start = 0; start < changed.length; start += plan.maxParallel) {
    await Promise.all(
      changed.slice(start, start + plan.maxParallel).map(async (machine) => {
        const report = reports.find((r) => r.id === machine.id)!;
        try {
          await moveMachine(api, ctx, machine, machine.config, deadline);
          report.status = 'reverted';
        } catch (error) {
          report.status = 'revert failed';
          errors.push(`${machine.id}: ${errorMessage(error)}`);
        }
      }),
    );
  }
  const ids = changed.map((m) => m.id).join(', ');
  return errors.length === 0 ? `put ${ids} back on the image they had` : `could not put every machine back: ${errors.join('; ')}`;
}
