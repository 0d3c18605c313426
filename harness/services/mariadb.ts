import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, startDaemon } from './ports.js';

export interface MariaDbServer {
  port: number;
  socket: string;
  /** mysql://root:secret@127.0.0.1:PORT/DB */
  url(database?: string): string;
  /** Runs SQL through the mariadb client as root and returns stdout (tab separated, no headers). */
  sql(statement: string, database?: string): string;
  dir: string;
  stop(): Promise<void>;
}

const PASSWORD = 'secret-maria-password';

/** mariadb-install-db + mariadbd into a temp dir on a free port, TCP on 127.0.0.1 only. */
export async function startMariaDb(): Promise<MariaDbServer> {
  const dir = mkdtempSync(join(tmpdir(), 'dk-maria-'));
  chmodSync(dir, 0o755);
  const uid = Number(execFileSync('id', ['-u', 'mysql'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'mysql'], { encoding: 'utf8' }).trim());
  chownSync(dir, uid, gid);
  const data = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  execFileSync('mariadb-install-db', ['--user=mysql', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db'], {
    stdio: 'pipe',
  });
  const port = await freePort();
  const daemon = await startDaemon(
    'mariadbd',
    [
      'mariadbd',
      `--datadir=${data}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--user=mysql',
      `--pid-file=${join(dir, 'pid')}`,
      '--innodb-flush-log-at-trx-commit=0',
      '--skip-log-bin',
    ],
    port,
    30_000,
  );
  const client = (statement: string, database?: string, viaSocket = false) =>
    execFileSync(
      'mariadb',
      [
        ...(viaSocket ? [`--socket=${socket}`, '-uroot'] : ['-h127.0.0.1', `-P${port}`, '-uroot', `-p${PASSWORD}`]),
        '-N',
        '-B',
        ...(database ? [database] : []),
        '-e',
        statement,
      ],
      {
        encoding: 'utf8',
      },
    );
  client(
    `ALTER USER 'root'@'localhost' IDENTIFIED BY '${PASSWORD}'; CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '${PASSWORD}'; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION; FLUSH PRIVILEGES;`,
    undefined,
    true,
  );
  return {
    port,
    socket,
    dir,
    url: (database = 'mysql') => `mysql://root:${PASSWORD}@127.0.0.1:${port}/${database}`,
    sql: (statement, database) => client(statement, database),
    stop: () => daemon.stop(),
  };
}
