import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, waitForPort } from './ports.js';

export interface PostgresServer {
  port: number;
  /** postgres://postgres:secret@127.0.0.1:PORT/postgres */
  url(database?: string): string;
  /** Runs SQL through psql as the superuser and returns stdout. */
  psql(sql: string, database?: string): string;
  dir: string;
  stop(): Promise<void>;
}

/** The newest PostgreSQL server installed from Debian's packages (/usr/lib/postgresql/<major>/bin). */
export function postgresBin(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const majors = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] ? join(base, majors[0], 'bin') : undefined;
}

const PASSWORD = 'secret-pg-password';

/** initdb + pg_ctl into a temp dir on a free port, as the postgres user (it refuses to run as root). */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'dk-pg-'));
  chmodSync(dir, 0o755);
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(dir, uid, gid);
  const data = join(dir, 'data');
  const asPostgres = (args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'pipe', encoding: 'utf8' });
  execFileSync('sh', ['-c', `echo ${PASSWORD} > ${dir}/pw && chown postgres ${dir}/pw`]);
  asPostgres([
    join(bin, 'initdb'),
    '-D',
    data,
    '-U',
    'postgres',
    '--pwfile',
    join(dir, 'pw'),
    '-A',
    'scram-sha-256',
    '--auth-local',
    'trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  const port = await freePort();
  const child = spawn(
    'runuser',
    [
      '-u',
      'postgres',
      '--',
      join(bin, 'postgres'),
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-h',
      '127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  try {
    await waitForPort(port, 30_000);
    for (let i = 0; i < 50; i += 1) {
      try {
        execFileSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`postgres did not start: ${log}`, { cause: error });
  }
  const url = (database = 'postgres') => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return {
    port,
    dir,
    url,
    psql: (sql, database = 'postgres') =>
      execFileSync(join(bin, 'psql'), ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url(database), '-c', sql], {
        encoding: 'utf8',
      }),
    // runuser does not forward signals to postgres, so stop it the way its own tools do.
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        try {
          asPostgres([join(bin, 'pg_ctl'), '-D', data, 'stop', '-m', 'fast', '-w']);
        } catch {
          child.kill('SIGKILL');
        }
      }),
  };
}
