import type { RunContext } from '../../core/action.js';
import { errorMessage, OperationalError, tail } from '../../core/errors.js';
import { describeExpectation, judgeResponse } from '../../core/health.js';
import { pollUntil } from '../../core/retry.js';
import type { ReleaseHost } from '../host.js';
import {
  logTailScript,
  parseProbe,
  parseState,
  probeScript,
  recordActivePortScript,
  startInstanceScript,
  stateScript,
  stopInstanceScript,
} from './bluegreen-scripts.js';
import { type NginxConfig, switchUpstreamScript } from './nginx.js';
import type { StrategyHealth, SwitchStrategy } from './strategy.js';

export interface BlueGreenConfig {
  /** The two loopback ports the app alternates between. */
  ports: readonly [number, number];
  startCommand: string;
  /** Default: SIGTERM to the process group the kit started on that port. */
  stopCommand?: string;
  healthPath: string;
  nginx: NginxConfig;
  drainMs: number;
}

/** Seconds a stopped instance gets between SIGTERM and SIGKILL when the kit stops it itself. */
const STOP_GRACE_SECONDS = 30;

/**
 * Blue/green behind nginx: start the release on the idle port, check it there, point the upstream
 * include at it (nginx -t, graceful reload), switch `current`, record the port, let in-flight
 * requests drain, stop the old instance. Until the reload, the old instance is the one serving;
 * any failure before then stops the new instance and leaves the upstream file as it was.
 */
export function blueGreenStrategy(config: BlueGreenConfig, health: StrategyHealth, ctx: RunContext): SwitchStrategy {
  const stop = (host: ReleaseHost, port: number) =>
    host.script(`stopping the instance on port ${port}`, stopInstanceScript(host.root, port, config.stopCommand, STOP_GRACE_SECONDS));
  const stopQuietly = (host: ReleaseHost, port: number) =>
    stop(host, port).catch((error: unknown) =>
      ctx.logger.warning(`${host.label}: could not stop the instance on port ${port}: ${errorMessage(error)}`),
    );

  /** Fails the check with the last lines of the instance's log appended, when there are any. */
  async function failWithLog(host: ReleaseHost, port: number, message: string, separator: string): Promise<never> {
    const log = await host.script('reading the instance log', logTailScript(host.root, port)).catch(() => '');
    throw new OperationalError(
      `${message}${log.trim() ? `${separator}last lines of .deploy-kit/port-${port}.log:\n${tail(log, 15)}` : ''}`,
      'the old instance is still serving; fix the release or start-command and deploy again',
    );
  }

  async function checkPort(host: ReleaseHost, port: number, curl: boolean): Promise<string> {
    const what = `health check http://127.0.0.1:${port}${config.healthPath} on ${host.label} (expecting ${describeExpectation(health.expect)})`;
    const result = await pollUntil(
      { what, timeoutMs: health.timeoutMs, clock: ctx.clock, initialDelayMs: 200, maxDelayMs: 2000 },
      async () => {
        const probe = parseProbe(
          await host.script('probing the new instance', probeScript(host.root, port, config.healthPath, curl, health.routing)),
        );
        // A process the kit started that is gone will not come back: stop waiting.
        if (!config.stopCommand && !probe.alive) return { done: true, value: { exited: true, detail: `HTTP ${probe.status || 'none'}` } };
        if (probe.status === 0) return { done: false, reason: `nothing answers on 127.0.0.1:${port}` };
        const judged = judgeResponse(probe.status, probe.body, health.expect);
        return judged.done ? { done: true, value: { exited: false, detail: judged.value } } : judged;
      },
    ).catch((error: unknown) => failWithLog(host, port, errorMessage(error), '\n'));
    if (result.value.exited)
      await failWithLog(host, port, `${host.label}: the instance started on port ${port} exited before it was healthy`, '; ');
    return `port ${port}: ${result.value.detail} after ${result.attempts} attempt(s)`;
  }

  async function activate(host: ReleaseHost, release: string, switched: () => void): Promise<string[]> {
    const state = parseState(await host.script('reading the blue-green state', stateScript(host.root)));
    const live = state.active;
    const idle = live === config.ports[0] ? config.ports[1] : config.ports[0];
    ctx.logger.info(
      `${host.label}: live port ${live ?? 'none'}, starting ${release} on port ${idle}${state.curl ? '' : ' (no curl on the host: checking over /dev/tcp)'}`,
    );
    // Whatever a failed run left on the idle port goes first, so the check can only reach this release.
    await stop(host, idle);
    const notes: string[] = [];
    await host.script(`start-command for ${release} on port ${idle}`, startInstanceScript(host.root, release, idle, config.startCommand));
    try {
      notes.push(await checkPort(host, idle, state.curl));
      await host.script(`switching nginx to port ${idle}`, switchUpstreamScript(config.nginx, idle));
    } catch (error) {
      await stopQuietly(host, idle);
      throw error;
    }
    switched();
    await host.switchTo(release);
    await host.script('recording the active port', recordActivePortScript(host.root, idle));
    if (live !== undefined && live !== idle) {
      ctx.logger.info(`${host.label}: nginx now sends new requests to port ${idle}; draining port ${live} for ${config.drainMs / 1000}s`);
      if (config.drainMs > 0) await ctx.clock.sleep(config.drainMs);
      await stopQuietly(host, live);
    }
    return notes;
  }

  return {
    activate,
    async revert(host, previous, why) {
      if (previous) {
        ctx.logger.warning(`${host.label}: ${why}: starting ${previous} again on the idle port`);
        await activate(host, previous, () => undefined);
        return;
      }
      const state = parseState(await host.script('reading the blue-green state', stateScript(host.root)));
      if (state.active !== undefined) await stopQuietly(host, state.active);
      await host.script('clearing the active port', recordActivePortScript(host.root, undefined));
      await host.switchTo(undefined);
    },
  };
}
