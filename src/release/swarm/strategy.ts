import type { RunContext } from '../../core/action.js';
import { OperationalError, tail } from '../../core/errors.js';
import { pollUntil } from '../../core/retry.js';
import type { ReleaseHost } from '../host.js';
import type { SwitchStrategy } from '../switch/strategy.js';
import type { SwarmConfig } from './config.js';
import { judge, parseSnapshot, type StackSnapshot, type Verdict } from './converge.js';
import { snapshotScript, stackDeployScript, writeRenderedScript } from './scripts.js';

type Failed = Extract<Verdict, { state: 'failed' }>;

/**
 * `mode: swarm` as a switch strategy, so deploy and rollback keep their fixed sequence (lock,
 * upload, before-switch, switch, health-url, revert, history): activate switches `current`, runs
 * `docker stack deploy` of the release's stack file and waits until the stack has converged;
 * revert deploys the previous release's stack file again, unless Swarm already put every changed
 * service back by itself (`update_config.failure_action: rollback`), which it then says.
 */
export function swarmStrategy(config: SwarmConfig, ctx: RunContext): SwitchStrategy {
  /** The last failed wait per host, so revert knows whether Swarm already rolled back. */
  const failures = new Map<string, Failed>();

  const snapshot = async (host: ReleaseHost): Promise<StackSnapshot> =>
    parseSnapshot(await host.script(`reading stack ${config.stack}`, snapshotScript(config.stack)));

  async function deployStack(host: ReleaseHost, release: string): Promise<StackSnapshot> {
    const before = await snapshot(host);
    const script = stackDeployScript({ root: host.root, release, rendered: config.rendered, file: config.file, stack: config.stack });
    const output = await host.script(`docker stack deploy of ${release}`, script);
    if (output.trim()) ctx.logger.info(tail(output, 30));
    return before;
  }

  /** Polls the stack until it converges or fails; every attempt is one SSH round trip. */
  async function waitFor(
    host: ReleaseHost,
    release: string,
    before: StackSnapshot,
    expected: readonly string[],
  ): Promise<{ verdict: Verdict; seconds: number }> {
    const started = ctx.clock.now();
    const result = await pollUntil(
      {
        what: `stack ${config.stack} to converge on ${release} on ${host.label}`,
        timeoutMs: config.timeoutMs,
        clock: ctx.clock,
        initialDelayMs: 500,
        maxDelayMs: 2000,
      },
      async () => {
        const verdict = judge(before, await snapshot(host), config.stack, expected);
        return verdict.state === 'waiting' ? { done: false, reason: verdict.reason } : { done: true, value: verdict };
      },
    );
    const seconds = (ctx.clock.now() - started) / 1000;
    const verdict = result.value;
    if (config.report) config.report.services = verdict.services;
    ctx.logger.info(
      `${host.label}: stack ${config.stack} ${verdict.state} on ${release} after ${seconds.toFixed(1)}s (${result.attempts} reads)`,
    );
    return { verdict, seconds };
  }

  function failure(host: ReleaseHost, release: string, verdict: Failed): OperationalError {
    const swarm = verdict.rolledBack.length > 0 ? ` Swarm rolled back ${verdict.rolledBack.join(', ')} by itself.` : '';
    const tasks =
      verdict.taskErrors.length > 0
        ? `\nfailed tasks (docker service ps --no-trunc):\n${[...new Set(verdict.taskErrors)].slice(-10).join('\n')}`
        : '';
    return new OperationalError(
      `${host.label}: stack ${config.stack} did not converge on ${release}: ${verdict.reasons.join('; ')}.${swarm}${tasks}`,
      `look at docker service ps --no-trunc ${config.stack}_<service> and docker service logs on the manager, fix the release and deploy again`,
    );
  }

  return {
    async activate(host, release, switched) {
      failures.delete(host.label);
      if (config.content !== undefined) {
        await host.script('writing the stack file', writeRenderedScript(host.root, release, config.rendered, config.content));
      }
      await host.switchTo(release);
      switched();
      const { verdict, seconds } = await ctx.logger.group(`${host.label}: docker stack deploy ${config.stack}`, async () => {
        const before = await deployStack(host, release);
        return waitFor(host, release, before, config.services ?? []);
      });
      if (verdict.state === 'failed') {
        failures.set(host.label, verdict);
        throw failure(host, release, verdict);
      }
      const services = verdict.state === 'converged' ? verdict.services : {};
      const summary = Object.entries(services).map(([name, s]) => `${name} ${s.running}/${s.desired}`);
      return [`stack ${config.stack} converged in ${seconds.toFixed(1)}s: ${summary.join(', ')}`];
    },

    async revert(host, previous, why) {
      const failed = failures.get(host.label);
      failures.delete(host.label);
      await host.switchTo(previous);
      if (!previous) {
        ctx.logger.warning(
          `${host.label}: the first deploy of stack ${config.stack} failed; it is left as it is for inspection (docker stack rm ${config.stack} removes it)`,
        );
        return;
      }
      if (failed?.swarmRestoredAll) {
        ctx.logger.warning(
          `${host.label}: Swarm already rolled ${failed.rolledBack.join(', ')} back to the previous spec by itself (update_config.failure_action: rollback); current points at ${previous} again, its stack file is not deployed a second time`,
        );
        return;
      }
      await ctx.logger.group(`${host.label}: ${why}: docker stack deploy ${config.stack} of ${previous}`, async () => {
        const before = await deployStack(host, previous);
        const { verdict } = await waitFor(host, previous, before, []);
        if (verdict.state === 'failed') throw failure(host, previous, verdict);
      });
    },
  };
}
