import type { RunContext } from '../core/action.js';
import { CancelledError, checkCancelled } from '../core/cancel.js';
import { errorMessage, tail } from '../core/errors.js';
import { checkResult } from '../core/exec.js';
import { redactValues } from '../core/file-sinks.js';
import { checkHttp, describeExpectation, type HealthExpectation } from '../core/health.js';
import type { HealthRouting } from '../core/health-host.js';
import type { Logger } from '../core/logger.js';
import { pollUntil } from '../core/retry.js';
import { displayUrl } from '../core/url-credentials.js';
import { appendHistoryScript, finishScript, type HistoryEvent, type HistoryFields } from './history.js';
import { HostLock, type LockListener } from './host-lock.js';
import { INSPECT_BODY, type Inspection, inspectScript, parseInspection, runInScript } from './layout.js';
import type { LockConfig } from './lock.js';
import { parsePrune, type PruneResult, pruneScript } from './prune.js';
import { switchScript, unlinkCurrentScript } from './switch/symlink.js';
import type { Transport } from './upload/transport.js';

export interface HealthConfig {
  /** Run on the host in the new release before the switch. */
  command?: string;
  /** Fetched from the runner after the switch. */
  url?: string;
  expect: HealthExpectation;
  /** Host header / TLS server name and X-Forwarded-Proto for the URL and the blue/green probe (health-host). */
  routing?: HealthRouting;
  timeoutMs: number;
}

/** One deploy root on one host, and the release-model operations on it. */
export class ReleaseHost {
  private readonly deployLock: HostLock;

  constructor(
    readonly transport: Transport,
    readonly root: string,
    private readonly ctx: RunContext,
    onLockChange?: LockListener,
  ) {
    this.deployLock = new HostLock(transport, root, ctx, onLockChange);
  }

  get label(): string {
    return this.transport.label;
  }

  /** Whether this run holds the host's deploy lock. */
  get locked(): boolean {
    return this.deployLock.token !== undefined;
  }

  /** Runs a script and returns stdout; a non-zero exit fails with the exit code and last output lines. */
  async script(what: string, body: string): Promise<string> {
    return checkResult(`${what} on ${this.label}`, await this.transport.run(body)).stdout;
  }

  async inspect(): Promise<Inspection> {
    return parseInspection(await this.script('reading the release layout', inspectScript(this.root)));
  }

  /** Waits for the deploy lock up to lock-wait (taking over one whose heartbeat is stale); renews it while held. */
  async lock(config: LockConfig, purpose: string): Promise<void> {
    await this.deployLock.acquire(config, purpose);
  }

  /** The lock and the layout in one round trip (stale partial uploads are removed under the lock). */
  async lockAndInspect(config: LockConfig, purpose: string): Promise<Inspection> {
    return parseInspection(await this.deployLock.acquire(config, purpose, INSPECT_BODY));
  }

  /** Releases the lock if this run still holds it; never throws. */
  async unlock(): Promise<void> {
    await this.deployLock.release();
  }

  /**
   * The end of a deploy in one round trip: the history line, pruning (failures are warnings naming
   * what was left) and, when `unlock`, the lock released.
   */
  async finish(event: HistoryEvent, fields: HistoryFields, prune: readonly string[], unlock: boolean): Promise<void> {
    const token = unlock ? (this.deployLock.token ?? '') : '';
    try {
      const out = await this.script(
        'recording the deploy and pruning',
        finishScript(this.root, this.historyEntry(event, fields), prune, token),
      );
      if (token) this.deployLock.forget();
      reportPrune(this.label, parsePrune(out), this.ctx.logger);
    } catch (error) {
      this.ctx.logger.warning(`${this.label}: recording the deploy or pruning failed (the deploy stands): ${errorMessage(error)}`);
    }
  }

  async switchTo(release: string | undefined): Promise<void> {
    await this.script(
      release ? `switching current to ${release}` : 'removing current',
      release ? switchScript(this.root, release) : unlinkCurrentScript(this.root),
    );
  }

  /** Runs a user command in a directory under the root (a release, or current). */
  async runCommand(what: string, dir: string, command: string, release: string): Promise<void> {
    const env = { DEPLOY_KIT_RELEASE: release, DEPLOY_KIT_SHA: this.ctx.env.sha };
    const output = await this.script(what, runInScript(this.root, dir, command, env));
    if (output.trim()) this.ctx.logger.info(tail(output, 20));
  }

  /** The pre-switch check: a command in the new release, retried to the deadline. */
  async checkCommand(health: HealthConfig, release: string): Promise<string> {
    const command = health.command!;
    const result = await pollUntil(
      { what: `health-command on ${this.label}`, timeoutMs: health.timeoutMs, clock: this.ctx.clock, isFatal: isCancelledError },
      async () => {
        checkCancelled(this.ctx.signal, `health-command on ${this.label}`);
        const run = await this.transport.run(runInScript(this.root, `releases/${release}`, command, { DEPLOY_KIT_RELEASE: release }));
        return run.exitCode === 0
          ? { done: true, value: 'ok' }
          : { done: false, reason: `exit ${run.exitCode}: ${tail(`${run.stdout}\n${run.stderr}`, 3)}` };
      },
    );
    return `command ok after ${result.attempts} attempt(s)`;
  }

  /** The post-switch check: the public URL from the runner, retried to the deadline. */
  async checkUrl(health: HealthConfig): Promise<string> {
    const url = health.url!;
    const result = await pollUntil(
      {
        what: `health check ${displayUrl(url)} (expecting ${describeExpectation(health.expect)})`,
        timeoutMs: health.timeoutMs,
        clock: this.ctx.clock,
        isFatal: isCancelledError,
      },
      () => (
        checkCancelled(this.ctx.signal, `the health check on ${this.label}`),
        checkHttp(url, health.expect, undefined, health.routing)
      ),
    );
    return `${result.value} after ${result.attempts} attempt(s)`;
  }

  /** Removes old releases; housekeeping, so a failure is a warning naming what was left, never an error. */
  async prune(releases: readonly string[]): Promise<void> {
    if (releases.length === 0) return;
    try {
      reportPrune(this.label, parsePrune(await this.script('pruning old releases', pruneScript(this.root, releases))), this.ctx.logger);
    } catch (error) {
      this.ctx.logger.warning(`${this.label}: pruning old releases failed (the deploy stands): ${errorMessage(error)}`);
    }
  }

  private historyEntry(event: HistoryEvent, fields: HistoryFields): object {
    const { env, clock } = this.ctx;
    // history.jsonl is readable on the host: every field (a reason quoting an error) is redacted like the log.
    return redactValues(this.ctx.logger, {
      time: new Date(clock.now()).toISOString(),
      event,
      host: this.label,
      ...fields,
      sha: env.sha || undefined,
      actor: env.actor || undefined,
      run: env.runUrl || undefined,
    });
  }

  /** Appends one line to history.jsonl; a failure to write it is a warning, not a failed deploy. */
  async history(event: HistoryEvent, fields: HistoryFields): Promise<void> {
    try {
      await this.script('writing history', appendHistoryScript(this.root, this.historyEntry(event, fields)));
    } catch (error) {
      this.ctx.logger.warning(`${this.label}: could not write history: ${errorMessage(error)}`);
    }
  }
}

function reportPrune(label: string, result: PruneResult, logger: Logger): void {
  if (result.pruned.length > 0) logger.info(`${label}: removed old releases ${result.pruned.join(', ')}`);
  if (result.left.length > 0)
    logger.warning(
      `${label}: could not remove every old release (the deploy stands): ${result.left.join('; ')}; remove them by hand (files owned by another user, or chattr +i)`,
    );
}

const isCancelledError = (error: unknown) => error instanceof CancelledError;
