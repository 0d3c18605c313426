import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type SocketPostgres, startSocketPostgres } from '../../harness/services/postgres-socket.js';
import { printed, runBundle } from '../../harness/services/runner.js';
import { ensureUser, type SshServer, startSshd } from '../../harness/services/sshd.js';

const USER = 'dksource';
let sshd: SshServer;
let pg: SocketPostgres;

beforeAll(async () => {
  ensureUser(USER);
  [sshd, pg] = await Promise.all([startSshd(), startSocketPostgres(USER)]);
  pg.psql('CREATE DATABASE app');
}, 120_000);

afterAll(async () => {
  await Promise.all([sshd?.stop(), pg?.stop()]);
});

describe('migrate through the tunnel to source-host', () => {
  it('the built-in SQL runner applies files to a PostgreSQL that only listens on a Unix socket there', async () => {
    const work = mkdtempSync(join(tmpdir(), 'dk-migrate-src-'));
    mkdirSync(join(work, 'migrations'));
    writeFileSync(
      join(work, 'migrations', '0001_notes.sql'),
      '-- migrate:up\nCREATE TABLE notes (id int);\n-- migrate:down\nDROP TABLE notes;\n',
    );
    writeFileSync(
      join(work, 'migrations', '0002_seed.sql'),
      '-- migrate:up\nINSERT INTO notes VALUES (1), (2);\n-- migrate:down\nDELETE FROM notes;\n',
    );
    const inputs = {
      'database-url': pg.url('app'),
      'working-directory': work,
      'source-host': `${USER}@127.0.0.1:${sshd.port}`,
      'ssh-key': sshd.privateKey,
      'known-hosts': sshd.knownHosts,
    };
    const run = await runBundle('migrate', inputs, { post: true });
    expect(run.exitCode, printed(run)).toBe(0);
    expect(run.outputs.applied).toBe('0001_notes,0002_seed');
    expect(pg.psql('SELECT count(*) FROM notes', 'app').trim()).toBe('2');
    expect(printed(run)).not.toContain(pg.password);

    const again = await runBundle('migrate', { ...inputs, plan: 'true' }, { post: true });
    expect(again.exitCode, printed(again)).toBe(0);
    expect(again.outputs.plan).toBe('nothing to do');
  }, 120_000);

  it('source-host with where: ssh is refused before anything connects', async () => {
    const run = await runBundle('migrate', {
      tool: 'django',
      where: 'ssh',
      hosts: '127.0.0.1',
      path: '/srv/app',
      'source-host': `${USER}@127.0.0.1:${sshd.port}`,
      'known-hosts': sshd.knownHosts,
    });
    expect(run.exitCode).not.toBe(0);
    expect(printed(run)).toContain('input "source-host"');
  });
});
