import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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

/** A PostgreSQL cluster initdb'd into a temp dir and run as `owner`; the two servers below differ only in how they listen. */
export interface Cluster {
  bin: string;
  dir: string;
  port: number;
  /** Runs a command as the cluster's owner (PostgreSQL refuses to run as root). */
  asOwner(args: string[], env?: Record<string, string>): string;
  /** Stops the server the way its own tools do (runuser does not forward signals) and removes the dir. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  owner: string;
  password: string;
  /** initdb arguments beyond data dir, superuser and password file. */
  initArgs: string[];
  /** postgres arguments beyond data dir and port. */
  serverArgs(dir: string): string[];
  /** Resolves once the server accepts connections; throws if it never does. */
  ready(cluster: Cluster): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'dk-pg-'));
  chmodSync(dir, 0o755);
  const uid = Number(execFileSync('id', ['-u', options.owner], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', options.owner], { encoding: 'utf8' }).trim());
  chownSync(dir, uid, gid);
  writeFileSync(join(dir, 'pw'), `${options.password}\n`);
  chownSync(join(dir, 'pw'), uid, gid);
  const data = join(dir, 'data');
  const asOwner = (args: string[], env: Record<string, string> = {}) =>
    execFileSync('runuser', ['-u', options.owner, '--', 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...args], {
      stdio: 'pipe',
      encoding: 'utf8',
    });
  asOwner([join(bin, 'initdb'), '-D', data, '-U', 'postgres', '--pwfile', join(dir, 'pw'), '-E', 'UTF8', '--no-sync', ...options.initArgs]);
  const port = await freePort();
  const child = spawn(
    'runuser',
    ['-u', options.owner, '--', join(bin, 'postgres'), '-D', data, '-p', String(port), ...options.serverArgs(dir)],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const stop = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        rmSync(dir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null) return done();
      child.once('exit', done);
      try {
        asOwner([join(bin, 'pg_ctl'), '-D', data, 'stop', '-m', 'fast', '-w']);
      } catch {
        child.kill('SIGKILL');
      }
    });
  const cluster: Cluster = { bin, dir, port, asOwner, stop };
  try {
    await options.ready(cluster);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`postgres did not start: ${log}`, { cause: error });
  }
  return cluster;
}

/** Polls `check` (every `ms`) until it stops throwing, `tries` times at most. */
export async function retry(check: () => unknown, tries: number, ms: number): Promise<void> {
  for (let i = 1; ; i += 1) {
    try {
      check();
      return;
    } catch (error) {
      if (i >= tries) throw error;
      await new Promise((r) => setTimeout(r, ms));
    }
  }
}

/** initdb + postgres on a free TCP port of 127.0.0.1, as the postgres user. */
export async function startPostgres(): Promise<PostgresServer> {
  const cluster = await startCluster({
    owner: 'postgres',
    password: PASSWORD,
    initArgs: ['-A', 'scram-sha-256', '--auth-local', 'trust'],
    serverArgs: (dir) => ['-k', dir, '-h', '127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    ready: async ({ bin, port }) => {
      await waitForPort(port, 30_000);
      await retry(() => execFileSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' }), 50, 100);
    },
  });
  const url = (database = 'postgres') => `postgres://postgres:${PASSWORD}@127.0.0.1:${cluster.port}/${database}`;
  return {
    port: cluster.port,
    dir: cluster.dir,
    url,
    psql: (sql, database = 'postgres') =>
      execFileSync(join(cluster.bin, 'psql'), ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url(database), '-c', sql], {
        encoding: 'utf8',
      }),
    stop: cluster.stop,
  };
}
