import type { RunContext } from '../../core/action.js';
import { ConfigurationError, OperationalError } from '../../core/errors.js';
import type { BackendDeployment, BackendHost, BackendReport } from '../host.js';
import { type FlyConfig, pinnedImage, PREVIOUS_IMAGE_KEY } from './config.js';
import { type FlyMachine, FlyMachines } from './machines.js';
import { type MachineReport, rollOut } from './rollout.js';

/** Distinct values in order, joined: one image when every Machine ran the same one. */
const distinct = (values: string[]) => [...new Set(values)].join(',');

/** A Fly app's Machines: verify (list them), deploy (roll the new image out), roll back (the recorded previous image or a named one). */
export class FlyHost implements BackendHost {
  readonly name = 'fly';
  private machines: FlyMachine[] = [];

  constructor(
    private readonly config: FlyConfig,
    private readonly image?: string,
  ) {}

  private scope(): string {
    return `Fly app ${this.config.app}${this.config.processGroup ? ` (process group ${this.config.processGroup})` : ''}`;
  }

  async verify(ctx: RunContext): Promise<{ url?: string }> {
    this.machines = await new FlyMachines(this.config, ctx).list(this.config.processGroup);
    if (this.machines.length === 0) {
      throw new ConfigurationError(
        `input "${this.config.processGroup ? 'process-group' : 'app'}": ${this.scope()} has no Machines; create them once with fly deploy, then the kit updates them`,
      );
    }
    ctx.logger.info(`${this.scope()}: ${this.machines.map((m) => `${m.id} (${m.region ?? '?'}, ${m.state})`).join(', ')}`);
    return {};
  }

  private view(reports: MachineReport[], status: string): BackendDeployment {
    const release = distinct(reports.map((r) => r.to));
    return {
      id: release,
      status,
      outputs: {
        release,
        'previous-release': distinct(reports.map((r) => r.from)),
        machines: reports
          .filter((r) => r.status === 'started')
          .map((r) => r.id)
          .join(','),
      },
      rows: reports.map((r) => [r.id, r.region ?? '—', r.from, r.to, r.error ? `${r.status}: ${r.error.split('\n')[0]}` : r.status]),
    };
  }

  /** Rolls the Machines to `target`; the report holds their rows and outputs, also when the rollout fails. */
  private async roll(ctx: RunContext, target: (m: FlyMachine) => string, report: BackendReport): Promise<void> {
    const machines: MachineReport[] = [];
    try {
      await rollOut(
        new FlyMachines(this.config, ctx),
        ctx,
        { machines: this.machines, target, maxParallel: this.config.maxParallel, timeoutMs: this.config.timeoutMs },
        machines,
      );
    } finally {
      const status = machines.some((r) => r.status === 'reverted')
        ? 'reverted'
        : machines.some((r) => r.status === 'failed')
          ? 'failed'
          : machines.every((r) => r.status === 'started')
            ? 'started'
            : 'updating';
      if (machines.length > 0) report.deployment = this.view(machines, status);
    }
  }

  async deploy(ctx: RunContext, report: BackendReport): Promise<void> {
    const image = pinnedImage('image', this.image);
    await this.roll(ctx, () => image, report);
  }

  /** `previous`: each Machine's recorded previous image (metadata `deploy_kit_previous_image`); otherwise an image pinned by digest. */
  async rollback(to: string, ctx: RunContext, report: BackendReport): Promise<void> {
    const named = to === 'previous' ? undefined : pinnedImage('to', to);
    const unknown = this.machines.filter((m) => !named && !m.config.metadata?.[PREVIOUS_IMAGE_KEY]);
    if (unknown.length > 0) {
      throw new OperationalError(
        `${this.scope()}: no previous image is recorded on ${unknown.map((m) => m.id).join(', ')} (the kit records it when it deploys)`,
        'name the image to go back to in `to` (repository@sha256:...)',
      );
    }
    const target = (m: FlyMachine) => named ?? m.config.metadata![PREVIOUS_IMAGE_KEY]!;
    const from = { target: distinct(this.machines.map(target)), current: distinct(this.machines.map((m) => m.config.image)) };
    ctx.logger.info(`rolling ${this.scope()} back to ${from.target} (running now: ${from.current})`);
    report.from = from;
    await this.roll(ctx, target, report);
  }
}
