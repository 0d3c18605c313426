import type { RunContext } from '../core/action.js';
import { checkCancelled, isCancelled } from '../core/cancel.js';
import { errorMessage, OperationalError } from '../core/errors.js';
import { type ConnectionConfig } from '../ssh/connect.js';
import { previousActivated, pruneCandidates } from './activation.js';
import { connect } from './connect.js';
import { finalizeScript } from './finalize.js';
import type { HealthConfig, ReleaseHost } from './host.js';
import { type Inspection, partialName, removeReleaseScript } from './layout.js';
import type { LockConfig } from './lock.js';
import { type SwitchConfig, type SwitchStrategy, switchStrategy } from './switch/index.js';

export interface DeployConfig extends ConnectionConfig {
  releaseId: string;
  source: string;
  exclude: readonly string[];
  sharedDirs: readonly string[];
  sharedFiles: readonly string[];
  keepReleases: number;
  beforeSwitch?: string;
  restartCommand?: string;
  /** How the host starts serving the release; restart (switch current, restart-command) when absent. */
  switch?: SwitchConfig;
  health: HealthConfig;
  lock: LockConfig;
  maxParallel: number;
}

export interface HostReport {
  host: string;
  previous?: string;
  status: 'deployed' | 'failed' | 'reverted' | 'cancelled' | 'not started';
  upload?: string;
  health: string[];
  seconds: number;
  error?: string;
}

/** What a deploy has done so far, filled in as it goes (the partial-result convention, src/core/action.ts). */
export interface DeployReport {
  release: string;
  previous?: string;
  hosts: HostReport[];
}

interface HostRun {
  host: ReleaseHost;
  report: HostReport;
  switched: boolean;
  strategy: SwitchStrategy;
}

async function revert(run: HostRun, config: DeployConfig, reason: string, ctx: RunContext): Promise<void> {
  const { host, report } = run;
  try {
    await run.strategy.revert(host, report.previous, 'restart after revert');
    run.switched = false;
    report.status = 'reverted';
    await host.history('revert', { release: report.previous, previous: config.releaseId, reason });
    ctx.logger.warning(`${host.label}: reverted to ${report.previous ?? 'no release (this was the first deploy)'}`);
    // Say whether the old release serves again, so the log tells how urgent the failure is. Only the
    // status is checked: the expected body may name the new release's version.
    if (report.previous && config.health.url && !ctx.signal?.aborted) {
      await host.checkUrl({ ...config.health, expect: { status: config.health.expect.status } }).then(
        (result) => ctx.logger.info(`${host.label}: ${report.previous} passes the health check again (${result})`),
        (error: unknown) =>
          ctx.logger.error(`${host.label}: after the revert, ${report.previous} fails the health check too: ${errorMessage(error)}`),
      );
    }
  } catch (error) {
    ctx.logger.error(`${host.label}: revert to ${report.previous} failed: ${errorMessage(error)}`);
  }
}

/** lock + inspect → upload → finish upload → before-switch → check → switch → restart → check → history + prune + unlock. */
async function deployHost(run: HostRun, config: DeployConfig, ctx: RunContext): Promise<void> {
  const { host, report } = run;
  const started = ctx.clock.now();
  const release = config.releaseId;
  const step = (what: string) => checkCancelled(ctx.signal, `the deploy of ${release} on ${host.label} (${what})`);
  let uploaded = false;
  // Every failure: mark the host failed, undo what was done on it, time it, re-raise.
  const fail = async (error: unknown, undo: () => Promise<void>): Promise<never> => {
    const cancelled = isCancelled(error, ctx.signal);
    report.status = cancelled ? 'cancelled' : 'failed';
    report.error = cancelled ? `cancelled: ${errorMessage(error)}` : errorMessage(error);
    await undo();
    // A cancelled run says so in history, after whatever it undid.
    if (cancelled && host.locked) await host.history('cancelled', { release, previous: report.previous, reason: report.error });
    report.seconds = (ctx.clock.now() - started) / 1000;
    throw error;
  };
  const discard = async (remove: boolean) => {
    if (remove) await host.script('removing the failed release', removeReleaseScript(config.root, release)).catch(() => undefined);
    if (host.locked && !ctx.signal?.aborted) await host.history('failed', { release, previous: report.previous, reason: report.error });
  };
  let layout: Inspection;
  try {
    step('taking the lock');
    layout = await host.lockAndInspect(config.lock, `deploy ${release}`);
    report.previous = layout.current;
    if (layout.partials.removed.length > 0)
      ctx.logger.info(`${host.label}: removed partial uploads left by a run that died: ${layout.partials.removed.join(', ')}`);
    if (layout.releases.includes(release)) {
      throw new OperationalError(
        `${host.label}: release ${release} already exists`,
        'choose another release-id, or use rollback to return to it',
      );
    }
    await ctx.logger.group(`${host.label}: upload ${release}`, async () => {
      step('upload');
      uploaded = true;
      // Into a partial name, renamed into place when complete: a cut upload is never a release.
      const linkDest = layout.current ? `../${layout.current}` : undefined;
      const result = await host.transport.upload(config.source, `${config.root}/releases/${partialName(release)}`, {
        linkDest,
        exclude: config.exclude,
        remoteRsync: layout.rsync,
      });
      report.upload = `${result.method}, ${result.bytesSent} bytes sent`;
      ctx.logger.info(`${host.label}: ${report.upload}`);
      step('upload');
      await host.script('finishing the upload', finalizeScript(config.root, release, config.sharedDirs, config.sharedFiles));
    });
    if (config.beforeSwitch) {
      step('before-switch');
      await ctx.logger.group(`${host.label}: before-switch`, () =>
        host.runCommand('before-switch', `releases/${release}`, config.beforeSwitch!, release),
      );
    }
    if (config.health.command) report.health.push(await host.checkCommand(config.health, release));
    step('switch');
  } catch (error) {
    return fail(error, () => discard(uploaded));
  }

  try {
    report.health.push(...(await run.strategy.activate(host, release, () => (run.switched = true))));
    step('health check');
    if (config.health.url) report.health.push(await host.checkUrl(config.health));
    step('health check');
  } catch (error) {
    return fail(error, () => (run.switched ? revert(run, config, report.error!, ctx) : discard(true)));
  }
  report.status = 'deployed';
  // Pruning follows activation order; this release was just switched to, so it is the newest.
  const present = [...layout.releases, release];
  const order = { ...layout.history, order: [...layout.history.order.filter((r) => r !== release), release] };
  const protect = [release, report.previous, previousActivated(order, release, present)].filter((r) => r !== undefined);
  // With one host the lock goes in the same round trip; with several, every host stays locked
  // until the rollout is over, since a later failure reverts this one.
  const prune = pruneCandidates(order, present, config.keepReleases, protect);
  await host.finish('deploy', { release, previous: report.previous }, prune, config.hosts.length <= 1);
  report.seconds = (ctx.clock.now() - started) / 1000;
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Rolls a release out host by host in batches of max-parallel. The first failed batch stops the
 * rollout, and every host already switched goes back to its previous release. `report` gets one
 * entry per host once they are connected, filled in as the rollout goes, also when it fails.
 */
export async function deploy(config: DeployConfig, ctx: RunContext, report: DeployReport): Promise<void> {
  // The strategy first: a switch config it refuses must not leave the connections open.
  const strategy = switchStrategy(config.switch, { restartCommand: config.restartCommand, health: config.health }, ctx);
  const connections = await connect(config, ctx);
  const runs: HostRun[] = connections.hosts.map((host) => ({
    host,
    switched: false,
    strategy,
    report: { host: host.label, status: 'not started', health: [], seconds: 0 },
  }));
  report.hosts.push(...runs.map((r) => r.report));
  try {
    for (const batch of batches(runs, config.maxParallel)) {
      const results = await Promise.allSettled(batch.map((run) => deployHost(run, config, ctx)));
      report.previous ??= batch.find((r) => r.report.previous)?.report.previous;
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) {
        const switched = runs.filter((r) => r.switched);
        for (const run of switched) await revert(run, config, `another host failed: ${errorMessage(failure.reason)}`, ctx);
        throw failure.reason;
      }
    }
  } finally {
    for (const run of runs) await run.host.unlock();
    await connections.close();
  }
}
