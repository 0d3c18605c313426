import { randomUUID } from 'node:crypto';

import type { RunContext } from '../core/action.js';
import { CommandError, errorMessage, OperationalError, tail } from '../core/errors.js';
import { checkResult } from '../core/exec.js';
import { redactValues } from '../core/file-sinks.js';
import { checkHttp, describeExpectation, type HealthExpectation } from '../core/health.js';
import { pollUntil } from '../core/retry.js';
import { displayUrl } from '../core/url-credentials.js';
import { appendHistoryScript, type HistoryEvent } from './history.js';
import { type Inspection, inspectScript, parseInspection, runInScript } from './layout.js';
import { acquireLockScript, type LockConfig, parseLockAttempt, releaseLockScript } from './lock.js';
import { pruneScript } from './prune.js';
import { switchScript, unlinkCurrentScript } from './switch/symlink.js';
import type { Transport } from './upload/transport.js';

export interface HealthConfig {
  /** Run on the host in the new release before the switch. */
  command?: string;
  /** Fetched from the runner after the switch. */
  url?: string;
  expect: HealthExpectation;
  timeoutMs: number;
}

/** One deploy root on one host, and the release-model operations on it. */
export class ReleaseHost {
  private lockToken?: string;

  constructor(
    readonly transport: Transport,
    readonly root: string,
    private readonly ctx: RunContext,
  ) {}

  get label(): string {
    return this.transport.label;
  }

  /** Runs a script and returns stdout; a non-zero exit fails with the exit code and last output lines. */
  async script(what: string, body: string): Promise<string> {
    return checkResult(`${what} on ${this.label}`, await this.transport.run(body)).stdout;
  }

  async inspect(): Promise<Inspection> {
    return parseInspection(await this.script('reading the release layout', inspectScript(this.root)));
  }

  /** Waits for the deploy lock up to the configured time; takes over a lock older than the TTL. */
  async lock(config: LockConfig, purpose: string): Promise<void> {
    const { env, logger, clock } = this.ctx;
    const token = randomUUID();
    // owner.json is a file on the host: redacted like every file the kit writes (the token is the kit's own).
    const owner = {
      ...redactValues(logger, { owner: env.actor || 'unknown', run: env.runUrl, purpose, started: new Date(clock.now()).toISOString() }),
      token,
    };
    const ttlSeconds = Math.max(1, Math.round(config.ttlMs / 1000));
    let lastHolder = '';
    try {
      await pollUntil(
        {
          what: `the deploy lock on ${this.label}`,
          timeoutMs: config.waitMs,
          clock,
          initialDelayMs: 1000,
          maxDelayMs: 5000,
          isFatal: (error) => error instanceof CommandError,
        },
        async () => {
          const attempt = parseLockAttempt(await this.script('taking the deploy lock', acquireLockScript(this.root, owner, ttlSeconds)));
          if (attempt.state === 'held') {
            if (attempt.holder !== lastHolder)
              logger.info(`${this.label}: waiting for the deploy lock held by ${attempt.holder} (${attempt.ageSeconds}s old)`);
            lastHolder = attempt.holder;
            return { done: false, reason: `held by ${attempt.holder}, ${attempt.ageSeconds}s old` };
          }
          if (attempt.state === 'taken-over') {
            logger.warning(
              `${this.label}: took over a stale deploy lock (${attempt.ageSeconds}s old, older than lock-ttl ${ttlSeconds}s) held by ${attempt.holder}`,
            );
          }
          return { done: true, value: undefined };
        },
      );
    } catch (error) {
      if (error instanceof CommandError) throw error;
      throw new OperationalError(
        `${this.label}: the deploy lock is held by another run (${lastHolder}); waited ${Math.round(config.waitMs / 1000)}s`,
        'wait for that run to finish, raise lock-wait, or lower lock-ttl if the lock was left behind by a run that died',
      );
    }
    this.lockToken = token;
  }

  /** Releases the lock if this run still holds it; never throws. */
  async unlock(): Promise<void> {
    if (!this.lockToken) return;
    const token = this.lockToken;
    this.lockToken = undefined;
    try {
      await this.script('releasing the deploy lock', releaseLockScript(this.root, token));
    } catch (error) {
      this.ctx.logger.warning(`${this.label}: could not release the deploy lock: ${errorMessage(error)}`);
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
      { what: `health-command on ${this.label}`, timeoutMs: health.timeoutMs, clock: this.ctx.clock },
      async () => {
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
      },
      () => checkHttp(url, health.expect),
    );
    return `${result.value} after ${result.attempts} attempt(s)`;
  }

  async prune(keep: number, protect: readonly string[]): Promise<string[]> {
    const out = await this.script('pruning old releases', pruneScript(this.root, keep, protect));
    return out
      .split('\n')
      .filter((line) => line.startsWith('pruned='))
      .map((line) => line.slice(7));
  }

  /** Appends one line to history.jsonl; a failure to write it is a warning, not a failed deploy. */
  async history(event: HistoryEvent, fields: { release?: string; previous?: string; reason?: string }): Promise<void> {
    const { env, clock } = this.ctx;
    // history.jsonl is readable on the host: every field (a reason quoting an error) is redacted like the log.
    const entry = redactValues(this.ctx.logger, {
      time: new Date(clock.now()).toISOString(),
      event,
      host: this.label,
      ...fields,
      sha: env.sha || undefined,
      actor: env.actor || undefined,
      run: env.runUrl || undefined,
    });
    try {
      await this.script('writing history', appendHistoryScript(this.root, entry));
    } catch (error) {
      this.ctx.logger.warning(`${this.label}: could not write history: ${errorMessage(error)}`);
    }
  }
}
