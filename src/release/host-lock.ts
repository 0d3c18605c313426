import { randomUUID } from 'node:crypto';

import type { RunContext } from '../core/action.js';
import { CancelledError, checkCancelled } from '../core/cancel.js';
import { CommandError, errorMessage, OperationalError } from '../core/errors.js';
import { redactValues } from '../core/file-sinks.js';
import { pollUntil } from '../core/retry.js';
import { acquireLockScript, heartbeatIntervalMs, heartbeatScript, type LockConfig, parseLockAttempt, releaseLockScript } from './lock.js';
import type { Transport } from './upload/transport.js';

/** Told when this run takes or lets go of a host's lock, so the post step can release one left held. */
export type LockListener = (token: string | undefined) => void;

/** The deploy lock of one host, held by this run: taken with a wait, renewed by a heartbeat, released. */
export class HostLock {
  private heldToken?: string;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly transport: Transport,
    private readonly root: string,
    private readonly ctx: RunContext,
    private readonly onChange: LockListener = () => undefined,
  ) {}

  get token(): string | undefined {
    return this.heldToken;
  }

  /**
   * Waits for the lock up to lock-wait; takes over one whose heartbeat is older than lock-ttl. Runs
   * `then` (a fixed script body) in the same round trip once held, and returns its output.
   */
  async acquire(config: LockConfig, purpose: string, then = ''): Promise<string> {
    const { env, logger, clock, signal } = this.ctx;
    const label = this.transport.label;
    const token = randomUUID();
    // owner.json is a file on the host: redacted like every file the kit writes (the token is the kit's own).
    const owner = {
      ...redactValues(logger, { owner: env.actor || 'unknown', run: env.runUrl, purpose, started: new Date(clock.now()).toISOString() }),
      token,
    };
    const ttlSeconds = Math.max(1, Math.round(config.ttlMs / 1000));
    let lastHolder = '';
    let output = '';
    try {
      await pollUntil(
        {
          what: `the deploy lock on ${label}`,
          timeoutMs: config.waitMs,
          clock,
          initialDelayMs: 1000,
          maxDelayMs: 5000,
          isFatal: (error) => error instanceof CommandError || error instanceof CancelledError,
        },
        async () => {
          checkCancelled(signal, `waiting for the deploy lock on ${label}`);
          const result = await this.transport.run(acquireLockScript(this.root, owner, ttlSeconds, then));
          output = result.stdout;
          const attempt = parseLockAttempt(output);
          if (attempt.state !== 'held') {
            // Held now, whatever else the script says: record it before anything can fail.
            this.hold(token, config);
            if (result.exitCode !== 0) throw new CommandError(`taking the deploy lock on ${label}`, result.exitCode, result.stderr.trim());
          } else if (result.exitCode !== 0) {
            throw new CommandError(`taking the deploy lock on ${label}`, result.exitCode, `${result.stdout}\n${result.stderr}`.trim());
          }
          if (attempt.state === 'held') {
            if (attempt.holder !== lastHolder)
              logger.info(`${label}: waiting for the deploy lock held by ${attempt.holder} (heartbeat ${attempt.ageSeconds}s old)`);
            lastHolder = attempt.holder;
            return { done: false, reason: `held by ${attempt.holder}, heartbeat ${attempt.ageSeconds}s old` };
          }
          if (attempt.state === 'taken-over') {
            logger.warning(
              `${label}: took over a stale deploy lock (heartbeat ${attempt.ageSeconds}s old, older than lock-ttl ${ttlSeconds}s) held by ${attempt.holder}`,
            );
          }
          return { done: true, value: undefined };
        },
      );
    } catch (error) {
      if (error instanceof CommandError || error instanceof CancelledError) throw error;
      throw new OperationalError(
        `${label}: the deploy lock is held by another run (${lastHolder}); waited ${Math.round(config.waitMs / 1000)}s`,
        'wait for that run to finish or raise lock-wait; a lock whose holder died is taken over once its heartbeat is older than lock-ttl',
      );
    }
    return output;
  }

  private hold(token: string, config: LockConfig): void {
    this.heldToken = token;
    this.onChange(token);
    let beating = false;
    this.timer = setInterval(() => {
      if (beating || this.heldToken !== token) return;
      beating = true;
      this.transport
        .run(heartbeatScript(this.root, token))
        .then((result) => {
          if (/beat=lost/.test(result.stdout) && this.heldToken === token)
            this.ctx.logger.warning(
              `${this.transport.label}: the deploy lock was taken over by another run (its heartbeat was older than lock-ttl)`,
            );
        })
        .catch(() => undefined)
        .finally(() => (beating = false));
    }, heartbeatIntervalMs(config.ttlMs));
    this.timer.unref();
  }

  /** Forgets the lock locally (after a script that released it on the host). */
  forget(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.heldToken === undefined) return;
    this.heldToken = undefined;
    this.onChange(undefined);
  }

  /** Releases the lock if this run still holds it; never throws. */
  async release(): Promise<void> {
    const token = this.heldToken;
    if (!token) return;
    this.forget();
    const result = await this.transport.run(releaseLockScript(this.root, token)).catch((error: unknown) => error);
    if (result instanceof Error || (result as { exitCode: number }).exitCode !== 0) {
      const why = result instanceof Error ? errorMessage(result) : (result as { stderr: string }).stderr.trim();
      this.ctx.logger.warning(`${this.transport.label}: could not release the deploy lock: ${why}`);
      // Still held on the host: the post step tries again.
      this.heldToken = token;
      this.onChange(token);
    }
  }
}
