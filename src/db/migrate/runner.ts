import type { Clock } from '../../core/clock.js';
import { ConfigurationError, OperationalError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { pollUntil } from '../../core/retry.js';
import type { AppliedMigration, MigrationEngine, Step } from './engine.js';
import { compareVersions, type MigrationFile, versionKey } from './files.js';

export interface RunnerConfig {
  files: readonly MigrationFile[];
  /** List what would run and stop; takes no lock and creates nothing. */
  plan: boolean;
  /** Roll back the last N applied files instead of applying pending ones (0: apply). */
  down: number;
  lockTimeoutMs: number;
}

/** What a migration run has done so far, filled in as it goes (the partial-result convention, src/core/action.ts). */
export interface RunnerReport {
  /** The plan is known (the lists below say where the run stands from then on). */
  planned: boolean;
  /** Files applied by this run, in order. */
  applied: string[];
  /** Files rolled back by this run, in order. */
  rolledBack: string[];
  /** Files not applied after this run (before it, in plan mode). */
  pending: string[];
  /** What this run does (or would do), one line per file. */
  plan: string[];
  /** The file that failed, if one did. */
  failed?: string;
}

export interface RunnerContext {
  logger: Logger;
  clock: Clock;
}

function describeStep(step: Step): string {
  return `${step.direction} ${step.id}${step.transaction ? '' : ' (no transaction)'}`;
}

/** Checks history against the files and returns the steps to run; throws before anything runs. */
export function planSteps(files: readonly MigrationFile[], applied: readonly AppliedMigration[], down: number, logger: Logger): Step[] {
  const byVersion = new Map(files.map((f) => [versionKey(f.version), f]));
  const done = new Map(applied.map((a) => [versionKey(a.version), a]));
  for (const row of applied) {
    const file = byVersion.get(versionKey(row.version));
    if (!file) {
      logger.warning(`version ${row.version} (${row.name}) is recorded as applied but has no file in the migrations directory`);
      continue;
    }
    if (file.checksum !== row.checksum) {
      throw new OperationalError(
        `${file.file} was changed after it was applied (${row.appliedAt}): its sha256 is ${file.checksum}, the history has ${row.checksum}`,
        'never edit an applied migration: restore the file as it was and put the change in a new migration',
      );
    }
  }
  if (down === 0) {
    const pending = files.filter((f) => !done.has(versionKey(f.version)));
    const latest = applied
      .map((a) => a.version)
      .sort(compareVersions)
      .at(-1);
    for (const file of pending) {
      if (latest !== undefined && compareVersions(file.version, latest) < 0)
        logger.warning(`${file.file} is older than the latest applied version ${latest}; applying it anyway`);
    }
    return pending.map((f) => ({
      version: f.version,
      name: f.name,
      id: f.id,
      file: f.file,
      checksum: f.checksum,
      direction: 'up',
      section: f.up,
      transaction: f.transaction,
    }));
  }
  const latestFirst = [...applied].sort((a, b) => compareVersions(b.version, a.version));
  if (down > latestFirst.length)
    throw new ConfigurationError(`input "down": ${down} files to roll back, but only ${latestFirst.length} are applied`);
  return latestFirst.slice(0, down).map((row) => {
    const file = byVersion.get(versionKey(row.version));
    if (!file)
      throw new ConfigurationError(
        `input "down": version ${row.version} (${row.name}) has no file in the migrations directory to roll it back with`,
      );
    if (!file.down)
      throw new ConfigurationError(`input "down": ${file.file} has no "-- migrate:down" section, so it cannot be rolled back`);
    return {
      version: file.version,
      name: file.name,
      id: file.id,
      file: file.file,
      checksum: file.checksum,
      direction: 'down',
      section: file.down,
      transaction: file.transaction,
    };
  });
}

async function acquire(engine: MigrationEngine, timeoutMs: number, ctx: RunnerContext): Promise<void> {
  let announced = false;
  try {
    await pollUntil({ what: 'the migration lock', timeoutMs, clock: ctx.clock, initialDelayMs: 200, maxDelayMs: 2000 }, async () => {
      if (await engine.tryLock()) return { done: true, value: undefined };
      if (!announced)
        ctx.logger.info(`${engine.label}: another migration run holds the lock; waiting up to ${Math.round(timeoutMs / 1000)}s`);
      announced = true;
      return { done: false, reason: 'held by another run' };
    });
  } catch {
    throw new OperationalError(
      `${engine.label}: another migration run held the migration lock for longer than lock-timeout (${Math.round(timeoutMs / 1000)}s)`,
      'wait for that run to finish or raise lock-timeout',
    );
  }
}

/** lock → history → check → plan → apply each file → unlock; `report` is brought up to date after every file. */
export async function runMigrations(
  engine: MigrationEngine,
  config: RunnerConfig,
  ctx: RunnerContext,
  report: RunnerReport,
): Promise<void> {
  const pendingNow = (applied: readonly AppliedMigration[]) => {
    const done = new Set(applied.map((a) => versionKey(a.version)));
    return config.files.filter((f) => !done.has(versionKey(f.version))).map((f) => f.id);
  };
  if (!config.plan) await acquire(engine, config.lockTimeoutMs, ctx);
  try {
    if (!config.plan) await engine.ensureHistory();
    const applied = await engine.applied();
    const steps = planSteps(config.files, applied, config.down, ctx.logger);
    report.pending = pendingNow(applied);
    report.plan = steps.map(describeStep);
    report.planned = true;
    if (config.plan) return;
    for (const step of steps) {
      const { id } = step;
      ctx.logger.info(`${describeStep(step)} ...`);
      try {
        await engine.apply(step);
      } catch (error) {
        report.failed = id;
        throw error;
      }
      if (step.direction === 'up') {
        report.applied.push(id);
        report.pending = report.pending.filter((p) => p !== id);
      } else {
        report.rolledBack.push(id);
        report.pending = config.files.map((f) => f.id).filter((f) => f === id || report.pending.includes(f));
      }
    }
  } finally {
    if (!config.plan)
      await engine
        .unlock()
        .catch((error: unknown) => ctx.logger.warning(`could not release the migration lock: ${(error as Error).message}`));
  }
}
