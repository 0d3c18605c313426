import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

import { errorMessage, OperationalError, tail } from '../../core/errors.js';
import type { Executor } from '../../core/exec.js';
import { redactedJson } from '../../core/file-sinks.js';
import type { Logger } from '../../core/logger.js';
import { type AppliedMigration, HISTORY_TABLE, type MigrationEngine, MigrationError, NOT_RECORDED, type Step } from './engine.js';

/**
 * SQLite through the sqlite3 command-line shell, SQL on stdin. Node 20 has no node:sqlite, and the
 * npm drivers are native addons built for one Node ABI and platform, which an ncc bundle run by the
 * runner's node24 cannot carry; the shell is on the runner images and in Debian (`sqlite3`). One shell
 * per step: `.bail on` stops at the first error and the shell exits, rolling the transaction back.
 * The migration lock is a lock file beside the database (created with O_EXCL), since SQLite has no
 * advisory locks; a lock whose process is gone on this machine is taken over.
 */

const HEAD = ['.bail on', '.timeout 30000'];
const ERROR_LINE = /^(?:Parse|Runtime) error near line (\d+): ([\s\S]*)$/m;

function sqlLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

interface LockRecord {
  token: string;
  pid: number;
  host: string;
  run: string;
  started: string;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface SqliteOptions {
  exec: Executor;
  logger: Logger;
  runUrl: string;
}

export class SqliteEngine implements MigrationEngine {
  readonly label: string;
  private readonly lockFile: string;
  private token?: string;

  constructor(
    private readonly path: string,
    private readonly options: SqliteOptions,
  ) {
    this.label = `sqlite://${path}`;
    this.lockFile = `${path}.deploy-kit-migrate.lock`;
  }

  private async shell(script: string, json = false): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    try {
      return await this.options.exec.run(['sqlite3', '-batch', ...(json ? ['-json'] : []), this.path], { stdin: `${script}\n` });
    } catch (error) {
      throw new OperationalError(
        `could not run sqlite3: ${errorMessage(error)}`,
        'install the SQLite shell on the runner (apt-get install sqlite3)',
      );
    }
  }

  private async query(sql: string): Promise<Record<string, unknown>[]> {
    const result = await this.shell([...HEAD, sql].join('\n'), true);
    if (result.exitCode !== 0) throw new OperationalError(`${this.label}: ${tail(result.stderr, 5)}`);
    return result.stdout.trim() === '' ? [] : (JSON.parse(result.stdout) as Record<string, unknown>[]);
  }

  async tryLock(): Promise<boolean> {
    const token = randomUUID();
    const record: LockRecord = { token, pid: process.pid, host: hostname(), run: this.options.runUrl, started: new Date().toISOString() };
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const fd = openSync(this.lockFile, 'wx', 0o600);
        writeSync(fd, redactedJson(this.options.logger, record));
        closeSync(fd);
        this.token = token;
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      let holder: LockRecord | undefined;
      try {
        holder = JSON.parse(readFileSync(this.lockFile, 'utf8')) as LockRecord;
      } catch {
        return false; // being written right now, or just removed: try again later
      }
      if (holder.host !== record.host || processAlive(holder.pid)) return false;
      this.options.logger.warning(
        `taking over the migration lock ${this.lockFile} left by process ${holder.pid} (${holder.run || 'unknown run'}, started ${holder.started}), which is gone`,
      );
      try {
        unlinkSync(this.lockFile);
      } catch {
        return false;
      }
    }
    return false;
  }

  async unlock(): Promise<void> {
    if (!this.token) return;
    try {
      const holder = JSON.parse(readFileSync(this.lockFile, 'utf8')) as LockRecord;
      if (holder.token === this.token) unlinkSync(this.lockFile);
    } finally {
      this.token = undefined;
    }
  }

  async ensureHistory(): Promise<void> {
    await this.query(
      `CREATE TABLE IF NOT EXISTS ${HISTORY_TABLE} (version TEXT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL);`,
    );
  }

  async applied(): Promise<AppliedMigration[]> {
    if (!existsSync(this.path)) return [];
    const present = await this.query(`SELECT count(*) AS present FROM sqlite_master WHERE type = 'table' AND name = '${HISTORY_TABLE}';`);
    if (!Number(present[0]?.present)) return [];
    const rows = await this.query(`SELECT version, name, checksum, applied_at FROM ${HISTORY_TABLE};`);
    return rows.map((r) => ({
      version: String(r.version),
      name: String(r.name),
      checksum: String(r.checksum),
      appliedAt: String(r.applied_at),
    }));
  }

  async apply(step: Step): Promise<void> {
    const before = [...HEAD, ...(step.transaction ? ['BEGIN IMMEDIATE;'] : [])];
    const record =
      step.direction === 'up'
        ? `INSERT INTO ${HISTORY_TABLE} (version, name, checksum, applied_at) VALUES (${sqlLiteral(step.version)}, ${sqlLiteral(step.name)}, ${sqlLiteral(step.checksum)}, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));`
        : `DELETE FROM ${HISTORY_TABLE} WHERE version = ${sqlLiteral(step.version)};`;
    const sectionLines = step.section.sql.split('\n').length;
    const script = [...before, step.section.sql, ';', record, ...(step.transaction ? ['COMMIT;'] : [])].join('\n');
    const result = await this.shell(script);
    if (result.exitCode === 0) return;
    const output = result.stderr.trim() || result.stdout.trim();
    const match = ERROR_LINE.exec(output);
    const scriptLine = match ? Number(match[1]) : undefined;
    const firstSectionLine = before.length + 1;
    let where = 'running it';
    if (scriptLine !== undefined && scriptLine >= firstSectionLine && scriptLine < firstSectionLine + sectionLines) {
      where = `statement at line ${step.section.startLine + scriptLine - firstSectionLine}`;
    } else if (scriptLine !== undefined && scriptLine > firstSectionLine + sectionLines) {
      where = 'recording it in the history';
    }
    const hint = step.transaction
      ? NOT_RECORDED
      : `${NOT_RECORDED}. The file runs without a transaction, so statements before the failing one may have taken effect: check before running again`;
    throw new MigrationError(step.file, where, tail(match ? match[2]! : output, 10), hint);
  }

  async close(): Promise<void> {
    await this.unlock();
  }
}
