import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { freeLocalPort } from '../../core/ports.js';
import { majorOfServerVersionNum, postgresEngine } from '../../db/dump/postgres.js';
import type { DatabaseTarget } from '../../db/dump/url.js';
import { runOnce, type ScratchPlan, serverDir, serverUser, startDaemon } from './server.js';

/** Where Debian and Ubuntu (GitHub's runner images too) put each major's server: /usr/lib/postgresql/<major>/bin. */
export const POSTGRES_BINARIES = '/usr/lib/postgresql';

/** The installed server majors, newest first. */
export function postgresMajors(base = POSTGRES_BINARIES): number[] {
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(base, v, 'bin', 'initdb')) && existsSync(join(base, v, 'bin', 'postgres')))
    .map(Number)
    .sort((a, b) => b - a);
}

/** A server of at least the dumped server's major (`server` in the manifest's tools: server_version_num). */
export function planPostgres(tools: Record<string, string>, base = POSTGRES_BINARIES): ScratchPlan {
  const needed = tools.server ? majorOfServerVersionNum(tools.server) : 0;
  const majors = postgresMajors(base);
  const major = majors.find((m) => m >= needed);
  if (major === undefined)
    return {
      missing: `no PostgreSQL server of version ${needed} or newer on the runner (${majors.length ? `found ${majors.join(', ')}` : `nothing under ${base}/<major>/bin`}); install postgresql-${needed} (apt.postgresql.org)`,
    };
  const user = serverUser('postgres');
  if (user === undefined) return { missing: 'the run is root and there is no postgres user to run the PostgreSQL server as' };
  const bin = join(base, String(major), 'bin');
  return {
    label: `PostgreSQL ${major} (${bin})`,
    async start(ctx) {
      const dir = serverDir(ctx.env.tempDir, 'pg', user);
      const password = randomBytes(18).toString('base64url');
      const pwfile = join(dir, 'pw');
      writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
      if (user) chownSync(pwfile, user.uid, user.gid);
      const data = join(dir, 'data');
      const initdb = [join(bin, 'initdb'), '-D', data, '-U', 'postgres', '--pwfile', pwfile, '-A', 'scram-sha-256', '-E', 'UTF8'];
      await runOnce('initdb', [...initdb, '--locale=C', '--no-sync'], user);
      const port = await freeLocalPort();
      const db: DatabaseTarget = {
        engine: 'postgres',
        database: 'postgres',
        host: '127.0.0.1',
        port,
        user: 'postgres',
        password,
        params: {},
      };
      const settings = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'].flatMap((s) => ['-c', s]);
      const argv = [join(bin, 'postgres'), '-D', data, '-p', String(port), '-k', dir, '-h', '127.0.0.1', ...settings];
      // SIGINT is PostgreSQL's fast shutdown.
      const stop = await startDaemon('PostgreSQL', argv, {
        user,
        dir,
        signal: 'SIGINT',
        ready: () => postgresEngine.exists(db, 'postgres', ctx),
      });
      return { db, label: `PostgreSQL ${major} on 127.0.0.1:${port}`, stop };
    },
  };
}
