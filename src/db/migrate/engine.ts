import { OperationalError } from '../../core/errors.js';
import type { Section } from './files.js';

/** The history table every engine keeps: one row per applied file. */
export const HISTORY_TABLE = 'deploy_kit_migrations';

export interface AppliedMigration {
  version: string;
  name: string;
  checksum: string;
  appliedAt: string;
}

/** One file to run in one direction, and what to do with its history row afterwards. */
export interface Step {
  version: string;
  name: string;
  /** The file name without .sql, as outputs and the summary list it. */
  id: string;
  file: string;
  checksum: string;
  direction: 'up' | 'down';
  section: Section;
  transaction: boolean;
}

/**
 * What the runner needs from a database. An engine is connected when created; `apply` runs the
 * statements of one step and records it (up: insert the history row; down: delete it), inside one
 * transaction unless the step opts out. A failed step leaves no history change.
 */
export interface MigrationEngine {
  readonly label: string;
  /** Tries once to take the migration lock (advisory lock, GET_LOCK, lock file); true when taken. */
  tryLock(): Promise<boolean>;
  unlock(): Promise<void>;
  /** Creates the history table if absent. */
  ensureHistory(): Promise<void>;
  /** The history rows, or [] when the table does not exist yet (plan mode never creates it). */
  applied(): Promise<AppliedMigration[]>;
  apply(step: Step): Promise<void>;
  close(): Promise<void>;
}

/** A statement of a migration file failed; names the file, the statement's place and the database message. */
export class MigrationError extends OperationalError {
  constructor(
    readonly file: string,
    readonly where: string,
    readonly databaseMessage: string,
    hint?: string,
  ) {
    super(`${file}: ${where}: ${databaseMessage}`, hint);
  }
}

export const NOT_RECORDED = 'the file was not recorded as applied; fix it and run again';
