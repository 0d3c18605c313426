import { errorMessage } from '../../core/errors.js';
import { type AppliedMigration, HISTORY_TABLE, type MigrationEngine, MigrationError, NOT_RECORDED, type Step } from './engine.js';
import { lineOfPosition, type SplitDialect, splitStatements } from './split.js';

/** A connection to a server database: one query at a time, rows as plain objects. */
export interface SqlSession {
  query(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** What differs between PostgreSQL and MySQL/MariaDB; everything else is shared by SessionEngine. */
export interface Dialect {
  split: SplitDialect;
  /** Placeholder for the i-th (1-based) parameter. */
  param(i: number): string;
  createHistory: string;
  /** One row whose `present` is truthy when the history table exists. */
  historyExists: string;
  /** One row whose `locked` is truthy when the lock was taken. */
  tryLock: string;
  unlock: string;
  lockParams: readonly unknown[];
  /** SQL expression for the current UTC time. */
  now: string;
  /** False where DDL commits implicitly (MySQL), so a failed file may leave earlier statements applied. */
  transactionalDdl: boolean;
  /** The database's message with its code and details. */
  describe(error: unknown): string;
  /** A 1-based character position inside the statement, when the database reports one. */
  position(error: unknown): number | undefined;
}

function iso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return String(value ?? '');
}

/** The engine for server databases: one session, one dialect. */
export class SessionEngine implements MigrationEngine {
  constructor(
    readonly label: string,
    private readonly session: SqlSession,
    private readonly dialect: Dialect,
  ) {}

  async tryLock(): Promise<boolean> {
    const rows = await this.session.query(this.dialect.tryLock, this.dialect.lockParams);
    return Boolean(Number(rows[0]?.locked ?? 0)) || rows[0]?.locked === true;
  }

  async unlock(): Promise<void> {
    await this.session.query(this.dialect.unlock, this.dialect.lockParams);
  }

  async ensureHistory(): Promise<void> {
    await this.session.query(this.dialect.createHistory);
  }

  async applied(): Promise<AppliedMigration[]> {
    const present = await this.session.query(this.dialect.historyExists);
    const flag = present[0]?.present;
    if (!(flag === true || Number(flag) > 0)) return [];
    const rows = await this.session.query(`SELECT version, name, checksum, applied_at FROM ${HISTORY_TABLE}`);
    return rows.map((r) => ({
      version: String(r.version),
      name: String(r.name),
      checksum: String(r.checksum).trim(),
      appliedAt: iso(r.applied_at),
    }));
  }

  async apply(step: Step): Promise<void> {
    const { dialect, session } = this;
    const statements = splitStatements(step.section.sql, step.section.startLine, dialect.split);
    const inTx = step.transaction;
    if (inTx) await session.query('BEGIN');
    try {
      for (const [index, statement] of statements.entries()) {
        try {
          await session.query(statement.sql);
        } catch (error) {
          const position = dialect.position(error);
          const line = position === undefined ? statement.line : lineOfPosition(statement, position);
          const where = `statement ${index + 1} of ${statements.length} (line ${line}${position === undefined ? '' : `, position ${position} in the statement`})`;
          const partial = index > 0 && (!inTx || !dialect.transactionalDdl);
          const hint = partial
            ? `${NOT_RECORDED}. ${inTx ? 'This database commits DDL implicitly, so' : 'The file runs without a transaction, so'} statements 1 to ${index} of this ${step.direction} section may have taken effect: check before running again`
            : NOT_RECORDED;
          throw new MigrationError(step.file, where, dialect.describe(error), hint);
        }
      }
      if (step.direction === 'up') {
        const p = (i: number) => dialect.param(i);
        await session.query(
          `INSERT INTO ${HISTORY_TABLE} (version, name, checksum, applied_at) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${dialect.now})`,
          [step.version, step.name, step.checksum],
        );
      } else {
        await session.query(`DELETE FROM ${HISTORY_TABLE} WHERE version = ${dialect.param(1)}`, [step.version]);
      }
      if (inTx) await session.query('COMMIT');
    } catch (error) {
      if (inTx) await session.query('ROLLBACK').catch(() => undefined);
      if (error instanceof MigrationError) throw error;
      throw new MigrationError(step.file, 'recording it in the history', errorMessage(error), NOT_RECORDED);
    }
  }

  close(): Promise<void> {
    return this.session.close();
  }
}
