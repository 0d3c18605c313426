import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { RunContext } from '../../core/action.js';
import { freeLocalPort } from '../../core/ports.js';
import { mysqlEngine } from '../../db/dump/mysql.js';
import type { DatabaseTarget } from '../../db/dump/url.js';
import { runOnce, type ScratchPlan, serverDir, serverUser, startDaemon } from './server.js';

/** Where Debian, Ubuntu (GitHub's images carry MySQL) and the upstream tarballs put mariadbd or mysqld. */
const DIRECTORIES = ['/usr/sbin', '/usr/bin', '/usr/local/bin', '/usr/local/mysql/bin'];

interface Flavor {
  mariadb: boolean;
  major: number;
  minor: number;
}

/** `10.11.6-MariaDB-0+deb12u1` (SELECT VERSION()) or `mysqld  Ver 8.0.36-0ubuntu0…` (--version). */
export function flavorOf(version: string): Flavor | undefined {
  const match = /(\d+)\.(\d+)\.\d+/.exec(version);
  return match ? { mariadb: /mariadb/i.test(version), major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

async function findServer(ctx: RunContext): Promise<{ file: string; flavor: Flavor } | undefined> {
  for (const name of ['mariadbd', 'mysqld']) {
    for (const dir of DIRECTORIES) {
      const file = join(dir, name);
      if (!existsSync(file)) continue;
      const result = await ctx.exec.run([file, '--version']).catch(() => undefined);
      const flavor = result?.exitCode === 0 ? flavorOf(result.stdout) : undefined;
      if (flavor) return { file, flavor };
    }
  }
  return undefined;
}

/** A server of the dump's kind (MariaDB or MySQL) and at least its version (`server` in the manifest's tools). */
export async function planMysql(tools: Record<string, string>, ctx: RunContext): Promise<ScratchPlan> {
  const dumped = flavorOf(tools.server ?? '');
  const found = await findServer(ctx);
  const kind = (f?: Flavor) => (f?.mariadb ? 'MariaDB' : 'MySQL');
  if (!found) return { missing: `no mariadbd or mysqld in ${DIRECTORIES.join(', ')} (install mariadb-server or mysql-server)` };
  const { file, flavor } = found;
  if (dumped && (dumped.mariadb !== flavor.mariadb || flavor.major * 1000 + flavor.minor < dumped.major * 1000 + dumped.minor))
    return {
      missing: `the dump is from ${kind(dumped)} ${dumped.major}.${dumped.minor} but the runner has ${kind(flavor)} ${flavor.major}.${flavor.minor} (${file}); a scratch server needs ${kind(dumped)} ${dumped.major}.${dumped.minor} or newer`,
    };
  const user = serverUser('mysql');
  if (user === undefined) return { missing: 'the run is root and there is no mysql user to run the server as' };
  const asUser = user ? ['--user=mysql'] : [];
  return {
    label: `${kind(flavor)} ${flavor.major}.${flavor.minor} (${file})`,
    async start(ctx) {
      const dir = serverDir(ctx.env.tempDir, 'my', user);
      const data = join(dir, 'data');
      const password = randomBytes(18).toString('base64url');
      // Read by the server at start, before it accepts connections: the only account is verify@127.0.0.1.
      const initFile = join(dir, 'init.sql');
      writeFileSync(
        initFile,
        `CREATE USER 'verify'@'127.0.0.1' IDENTIFIED BY '${password}';\nGRANT ALL PRIVILEGES ON *.* TO 'verify'@'127.0.0.1' WITH GRANT OPTION;\n`,
        { mode: 0o600 },
      );
      if (user) chownSync(initFile, user.uid, user.gid);
      if (flavor.mariadb) {
        const install = [
          'mariadb-install-db',
          '--no-defaults',
          `--datadir=${data}`,
          '--auth-root-authentication-method=socket',
          '--skip-test-db',
        ];
        await runOnce('mariadb-install-db', [...install, ...asUser], user);
      } else
        await runOnce(
          'mysqld --initialize-insecure',
          [file, '--no-defaults', '--initialize-insecure', `--datadir=${data}`, ...asUser],
          user,
        );
      const port = await freeLocalPort();
      const argv = [file, '--no-defaults', `--datadir=${data}`, `--socket=${join(dir, 's')}`, `--port=${port}`, '--bind-address=127.0.0.1'];
      argv.push('--skip-name-resolve', `--pid-file=${join(dir, 'pid')}`, `--init-file=${initFile}`, '--skip-log-bin', ...asUser);
      if (!flavor.mariadb) argv.push('--mysqlx=OFF');
      const db: DatabaseTarget = { engine: 'mysql', database: 'mysql', host: '127.0.0.1', port, user: 'verify', password, params: {} };
      const stop = await startDaemon(kind(flavor), argv, {
        user,
        dir,
        signal: 'SIGTERM',
        ready: () => mysqlEngine.exists(db, 'mysql', ctx),
      });
      return { db, label: `${kind(flavor)} ${flavor.major}.${flavor.minor} on 127.0.0.1:${port}`, stop };
    },
  };
}
