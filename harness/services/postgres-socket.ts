import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from './ports.js';
import { postgresBin } from './postgres.js';

export interface SocketPostgres {
  /** The socket directory (0700, owned by the owner). */
  socketDir: string;
  /** The port number that names the socket (.s.PGSQL.<port>); nothing listens on TCP. */
  port: number;
  password: string;
  /** postgres://postgres:pw@localhost:PORT/db?host=<socketDir>: as seen from the machine itself. */
  url(database?: string): string;
  /** psql as the owner through the socket. */
  psql(sql: string, database?: string): string;
  stop(): Promise<void>;
}

const PASSWORD = 'sock-pg-secret';

/**
 * A PostgreSQL that listens on a Unix socket only (listen_addresses = ''), run as `owner` with the
 * socket in a 0700 directory of that user: only that account (the SSH user) can connect.
 */
export async function startSocketPostgres(owner: string): Promise<SocketPostgres> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'dk-pgsock-'));
  chmodSync(dir, 0o755);
  const uid = Number(execFileSync('id', ['-u', owner], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', owner], { encoding: 'utf8' }).trim());
  const socketDir = join(dir, 'run');
  const data = join(dir, 'data');
  execFileSync('mkdir', ['-p', socketDir]);
  chownSync(dir, uid, gid);
  chownSync(socketDir, uid, gid);
  chmodSync(socketDir, 0o700);
  writeFileSync(join(dir, 'pw'), `${PASSWORD}\n`);
  chownSync(join(dir, 'pw'), uid, gid);
  const asOwner = (args: string[], env: Record<string, string> = {}) =>
    execFileSync('runuser', ['-u', owner, '--', 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...args], {
      stdio: 'pipe',
      encoding: 'utf8',
    });
  asOwner([
    join(bin, 'initdb'),
    '-D',
    data,
    '-U',
    'postgres',
    '--pwfile',
    join(dir, 'pw'),
    '-A',
    'scram-sha-256',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  const port = await freePort();
  const child = spawn(
    'runuser',
    [
      '-u',
      owner,
      '--',
      join(bin, 'postgres'),
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      socketDir,
      '-c',
      'listen_addresses=',
      '-c',
      'fsync=off',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const socket = join(socketDir, `.s.PGSQL.${port}`);
  for (let i = 0; i < 300 && !existsSync(socket); i += 1) await new Promise((r) => setTimeout(r, 100));
  if (!existsSync(socket)) {
    child.kill('SIGKILL');
    throw new Error(`socket-only postgres did not start: ${log}`);
  }
  const psql = (sql: string, database = 'postgres') =>
    asOwner(
      [
        join(bin, 'psql'),
        '-X',
        '-q',
        '-A',
        '-t',
        '-v',
        'ON_ERROR_STOP=1',
        '-h',
        socketDir,
        '-p',
        String(port),
        '-U',
        'postgres',
        '-d',
        database,
        '-c',
        sql,
      ],
      {
        PGPASSWORD: PASSWORD,
      },
    );
  for (let i = 0; i < 50; i += 1) {
    try {
      psql('SELECT 1');
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    socketDir,
    port,
    password: PASSWORD,
    url: (database = 'postgres') => `postgres://postgres:${PASSWORD}@localhost:${port}/${database}?host=${socketDir}`,
    psql,
    stop: () =>
      new Promise((resolve) => {
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
      }),
  };
}
