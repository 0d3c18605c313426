import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import type { RunContext } from '../core/action.js';
import { ConfigurationError, errorMessage, OperationalError } from '../core/errors.js';
import type { DumpEngine } from '../db/dump/engine.js';
import type { DatabaseTarget, EngineName } from '../db/dump/url.js';
import type { StorageTarget } from '../storage/target.js';
import type { Manifest } from './catalog.js';
import { loadInto } from './load.js';
import { scratchName } from './run.js';
import { planMysql } from './scratch/mysql.js';
import { planPostgres } from './scratch/postgres.js';
import type { ScratchPlan, ScratchServer } from './scratch/server.js';

/** `scratch`: a throwaway server on the runner; `server`: a scratch database on the database's own server (needs CREATEDB). */
export type VerifyMode = 'scratch' | 'server';

export interface VerifyOptions {
  db: DatabaseTarget;
  engine: DumpEngine;
  target: StorageTarget;
  manifest: Manifest;
  query: string;
  identityFile?: string;
  /** The database to restore into (default `<db>_verify_<stamp>`). */
  name?: string;
  /** Restoring into a scratch server: no GRANTs, its roles do not exist there. */
  noPrivileges?: boolean;
}

export interface VerifyReport {
  /** Where the copy was restored, for the summary. */
  where: string;
  result: string;
  /** [table, rows] of the restored copy. */
  counts: [string, string][];
}

/** Each engine's user tables as a JSON array of quoted identifiers, in one row. */
const TABLES: Record<EngineName, string> = {
  postgres: `SELECT coalesce(json_agg(format('%I.%I', schemaname, tablename) ORDER BY schemaname, tablename), '[]')::text FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
  mysql: `SELECT CAST(coalesce(JSON_ARRAYAGG(CONCAT('\`', REPLACE(TABLE_NAME, '\`', '\`\`'), '\`')), '[]') AS CHAR) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'`,
  sqlite: `SELECT json_group_array('"' || replace(name, '"', '""') || '"') FROM (SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name)`,
};

/** The summary lists at most this many tables. */
const MAX_TABLES = 200;

/** Exact row counts of every user table of database `name` (count(*), not the planner's estimates). */
export async function rowCounts(engine: DumpEngine, db: DatabaseTarget, name: string, ctx: RunContext): Promise<[string, string][]> {
  const tables = ((JSON.parse((await engine.query(db, name, TABLES[engine.name], ctx)) || '[]') as string[] | null) ?? []).sort();
  const counts: [string, string][] = [];
  for (const table of tables.slice(0, MAX_TABLES)) counts.push([table, await engine.query(db, name, `SELECT count(*) FROM ${table}`, ctx)]);
  if (tables.length > MAX_TABLES) counts.push([`… ${tables.length - MAX_TABLES} more tables`, '']);
  return counts;
}

/** Restores the backup into a scratch database on `db`'s server, runs the check query, counts rows, and drops the scratch database. */
export async function verifyInto(options: VerifyOptions, ctx: RunContext): Promise<Omit<VerifyReport, 'where'>> {
  const name = options.name ?? scratchName(options.db.database, 'verify', new Date(ctx.clock.now()));
  ctx.logger.info(`verifying ${options.manifest.key}: restoring into scratch database ${name}`);
  await options.engine.createDatabase(options.db, name, ctx);
  try {
    await loadInto({ ...options, name, clean: false }, ctx);
    const result = await options.engine.query(options.db, name, options.query, ctx).catch((error) => {
      throw new OperationalError(`the verify query failed on the restored copy: ${errorMessage(error)}`);
    });
    ctx.logger.info(`verify query returned ${JSON.stringify(result)}`);
    return { result, counts: await rowCounts(options.engine, options.db, name, ctx) };
  } finally {
    await options.engine
      .dropDatabase(options.db, name, ctx)
      .catch((error) => ctx.logger.warning(`could not drop scratch database ${name}: ${errorMessage(error)}`));
  }
}

/** Restores the new backup into a scratch database, runs the check query, and drops the scratch database. */
export async function verifyBackup(options: VerifyOptions, ctx: RunContext): Promise<string> {
  return (await verifyInto(options, ctx)).result;
}

/** SQLite's scratch copy is a file in the run's temp dir, never beside the database. */
function planSqlite(): ScratchPlan {
  return {
    label: 'a temporary SQLite file on the runner',
    async start(ctx): Promise<ScratchServer> {
      const dir = mkdtempSync(join(ctx.env.tempDir, 'dk-verify-sqlite-'));
      const db: DatabaseTarget = {
        engine: 'sqlite',
        database: 'verify',
        host: '',
        port: 0,
        user: '',
        file: join(dir, 'verify.sqlite'),
        params: {},
      };
      return { db, label: 'a temporary SQLite file', stop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  };
}

/** Server binaries on the runner that can take this engine's dump (`tools`: checkTools' versions), or what is missing. */
export function planScratch(engine: EngineName, tools: Record<string, string>, ctx: RunContext): Promise<ScratchPlan> | ScratchPlan {
  if (engine === 'postgres') return planPostgres(tools);
  if (engine === 'mysql') return planMysql(tools, ctx);
  return planSqlite();
}

export type VerifyChoice = { mode: 'server' } | { mode: 'scratch'; plan: Extract<ScratchPlan, { label: string }> };

/**
 * `verify: true` is scratch when the runner has server binaries of at least the dump's version, else
 * server (with a warning naming what is missing); `verify: scratch` without them is an error, before the dump.
 */
export async function chooseVerify(
  input: 'true' | VerifyMode,
  engine: EngineName,
  tools: Record<string, string>,
  ctx: RunContext,
): Promise<VerifyChoice> {
  if (input === 'server') return { mode: 'server' };
  const plan = await planScratch(engine, tools, ctx);
  if ('label' in plan) return { mode: 'scratch', plan };
  if (input === 'scratch')
    throw new ConfigurationError(
      `input "verify": scratch needs a database server on the runner, but ${plan.missing}. Or set verify: server to restore into a scratch database on the database server (needs CREATEDB).`,
    );
  ctx.logger.warning(
    `verify: no scratch server on the runner (${plan.missing}); verifying on the database server instead (verify: server)`,
  );
  return { mode: 'server' };
}

/** Verifies where `choice` says: a throwaway server started and removed around the restore, or the database's own server. */
export async function runVerify(choice: VerifyChoice, options: VerifyOptions, ctx: RunContext): Promise<VerifyReport> {
  if (choice.mode === 'server')
    return { where: `scratch database on ${options.db.host || 'the runner'}`, ...(await verifyInto(options, ctx)) };
  ctx.logger.info(`starting a scratch server: ${choice.plan.label}`);
  const server = await choice.plan.start(ctx);
  try {
    // The copy keeps the database's name, unless that is the scratch server's own maintenance database.
    const name = options.manifest.database === server.db.database ? undefined : options.manifest.database;
    return {
      where: `scratch server ${server.label}, stopped and removed`,
      ...(await verifyInto({ ...options, db: server.db, name, noPrivileges: true }, ctx)),
    };
  } finally {
    await server.stop().catch((error) => ctx.logger.warning(`could not stop the scratch server ${server.label}: ${errorMessage(error)}`));
  }
}
