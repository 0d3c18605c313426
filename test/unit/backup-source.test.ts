import { describe, expect, it } from 'vitest';

import { filesName, filesPaths } from '../../src/backup/files/inputs.js';
import { filesScripts, tarCreateArgv } from '../../src/backup/files/scripts.js';
import { containerArgv, envPrelude, remoteToolArgv } from '../../src/backup/source/place.js';
import { checkSourceInputs, sourceComposeProject, type SourceInputs } from '../../src/backup/source/session.js';
import { remoteEndpoint, throughForward, urlThroughForward } from '../../src/db/tunnel.js';
import { composeProject } from '../../src/release/compose-project.js';
import { forwardSpec } from '../../src/ssh/forward.js';

const server = (engine: 'postgres' | 'mysql', host: string, port: number) => ({ engine, host, port, params: {} });

describe('tunnel endpoints', () => {
  it.each([
    [server('postgres', '127.0.0.1', 5432), { host: '127.0.0.1', port: 5432 }, '127.0.0.1:40000:127.0.0.1:5432'],
    [
      server('postgres', '/var/run/postgresql/', 5433),
      { socket: '/var/run/postgresql/.s.PGSQL.5433' },
      '127.0.0.1:40000:/var/run/postgresql/.s.PGSQL.5433',
    ],
    [server('mysql', 'db.internal', 3306), { host: 'db.internal', port: 3306 }, '127.0.0.1:40000:db.internal:3306'],
    [server('mysql', '::1', 3306), { host: '::1', port: 3306 }, '127.0.0.1:40000:[::1]:3306'],
  ])('%o → %o → -L %s', (db, endpoint, spec) => {
    expect(remoteEndpoint(db)).toEqual(endpoint);
    expect(forwardSpec(40000, endpoint)).toBe(spec);
  });

  it('refuses what a forward cannot reach', () => {
    expect(() => remoteEndpoint({ engine: 'sqlite', host: '', port: 0, params: {} })).toThrow(/input "source-host"/);
    expect(() => remoteEndpoint(server('mysql', '/run/mysqld', 3306))).toThrow(/input "database-url"/);
  });

  it('points the database and its URL at the local end', () => {
    expect(
      throughForward({ ...server('postgres', '/run/pg', 5432), params: { host: '/run/pg', sslmode: 'disable' } }, { port: 41000 }),
    ).toEqual({
      engine: 'postgres',
      host: '127.0.0.1',
      port: 41000,
      params: { sslmode: 'disable' },
    });
    expect(urlThroughForward('postgres://app:p%40ss@localhost:5432/app?host=/run/pg&sslmode=disable', { port: 41000 })).toBe(
      'postgres://app:p%40ss@127.0.0.1:41000/app?sslmode=disable',
    );
  });
});

describe('tools at a place', () => {
  it('hands secrets over stdin as base64 lines, never argv', () => {
    expect(envPrelude({ PGPASSWORD: "p'w\n$x" })).toBe(`PGPASSWORD=${Buffer.from("p'w\n$x").toString('base64')}\n\n`);
    expect(envPrelude({})).toBe('\n');
    const argv = remoteToolArgv(['pg_dump', '-Fc']);
    expect(argv.slice(0, 4)).toEqual(['bash', '--noprofile', '--norc', '-c']);
    expect(argv.slice(5)).toEqual(['bash', 'pg_dump', '-Fc']);
  });

  it.each([
    [{ container: 'db' }, ['-e', 'PGPASSWORD', 'db', 'pg_dump'], 'exec "$e" exec -i "$@"'],
    [{ container: 'compose:db', project: 'shop' }, ['-e', 'PGPASSWORD', 'db', 'pg_dump'], `exec "$e" compose -p shop exec -T "$@"`],
  ])('container %o', (ref, tail, exec) => {
    const argv = containerArgv(ref, ['PGPASSWORD'], ['pg_dump']);
    expect(argv[2]).toContain(exec);
    expect(argv[2]).toContain('command -v docker');
    expect(argv.slice(4)).toEqual(tail);
  });
});

describe('files backups', () => {
  it('archives each directory by its last segment, with numeric owners, sparse files and excludes', () => {
    const paths = filesPaths(['/srv/app/shared/media/', 'uploads'], { remote: true, workspace: '/w' });
    expect(paths).toEqual([
      { path: '/srv/app/shared/media', parent: '/srv/app/shared', base: 'media' },
      { path: 'uploads', parent: '.', base: 'uploads' },
    ]);
    expect(tarCreateArgv(paths, ['cache', '*.tmp']).slice(4)).toEqual([
      '--create',
      '--file=-',
      '--numeric-owner',
      '--sparse',
      '--format=gnu',
      '--exclude=cache',
      '--exclude=*.tmp',
      '-C',
      '/srv/app/shared',
      'media',
      '-C',
      '.',
      'uploads',
    ]);
    expect(filesPaths(['uploads'], { remote: false, workspace: '/w' })[0]!.path).toBe('/w/uploads');
    expect(filesName({ paths: ['/srv/app/media'] })).toBe('media');
    expect(filesName({ paths: ['/srv/app/media'], name: 'site-media' })).toBe('site-media');
  });

  it.each(['/srv/../etc', '/srv/my media', '/', '-rf', '/srv/$(x)'])('refuses the path %j', (path) => {
    expect(() => filesPaths([path], { remote: true, workspace: '/w' })).toThrow(/input "paths"/);
  });

  it('refuses two directories with the same last segment', () => {
    expect(() => filesPaths(['/a/media', '/b/media'], { remote: true, workspace: '/w' })).toThrow(/two directories end in "media"/);
  });

  it('passes the directory and stamp as arguments, never inside the script', () => {
    const argv = filesScripts.swap("/srv/it's", '20260101T000000Z');
    expect(argv.slice(3)).toEqual(['sh', "/srv/it's", '20260101T000000Z']);
    expect(argv[2]).not.toContain("it's");
  });
});

const base: SourceInputs = {
  'dump-on': 'runner',
  paths: [],
  'host-fingerprint': [],
  'insecure-skip-host-key-check': false,
  'ssh-key': undefined,
  user: undefined,
  'known-hosts': undefined,
  'jump-host': undefined,
};

describe('source inputs', () => {
  it.each([
    [{ 'dump-on': 'host' as const }, true, 'input "dump-on"'],
    [{}, false, 'input "database-url"'],
    [{ paths: ['/srv/media'] }, true, 'input "paths"'],
    [{ container: 'compose:db' }, true, 'input "compose-project": container: compose:<service> needs the compose project'],
    [{ container: 'compose:db' }, true, 'set compose-project or deploy-path'],
    [{ container: 'db', 'deploy-path': '/srv/shop' }, true, 'input "deploy-path": only used with container: compose:<service>'],
    [{ 'deploy-path': '/srv/shop' }, true, 'input "deploy-path"'],
    [{ container: 'compose:db', 'deploy-path': '/srv/../etc' }, true, 'input "deploy-path": expected the deploy\'s path'],
    [{ container: 'compose:db', 'deploy-path': '/' }, true, 'input "deploy-path"'],
    [{ container: 'compose:db', 'deploy-path': '/srv/a b' }, true, 'input "deploy-path"'],
    [{ container: 'db', paths: ['/srv/media'] }, false, 'input "container"'],
    [{ 'source-host': 'a b' }, true, 'input "source-host"'],
    [
      { 'source-host': 'app@vps', 'dump-on': 'host' as const, 'database-url': 'sqlite:data/app.db' },
      true,
      'input "database-url": with dump-on: host the SQLite file is on source-host; give its absolute path',
    ],
  ])('%o (database: %s) → %s', (extra, database, message) => {
    expect(() => checkSourceInputs({ ...base, ...extra }, database || undefined)).toThrow(message);
  });
});

describe('a SQLite database-url with source-host', () => {
  it('takes an absolute SQLite path on source-host, and a relative one on the runner', () => {
    const host = { ...base, 'source-host': 'app@vps', 'dump-on': 'host' as const };
    for (const url of ['sqlite:///srv/app/db.sqlite3', 'sqlite3:/srv/app/db.sqlite3'])
      expect(() => checkSourceInputs({ ...host, 'database-url': url }, true)).not.toThrow();
    expect(() => checkSourceInputs({ ...base, 'database-url': 'sqlite:data/app.db' }, true)).not.toThrow();
  });
});

describe('compose project of container: compose:<service>', () => {
  it('accepts compose:<service> with deploy-path alone, or with compose-project alone', () => {
    expect(() => checkSourceInputs({ ...base, container: 'compose:db', 'deploy-path': '/srv/shop' }, true)).not.toThrow();
    expect(() => checkSourceInputs({ ...base, container: 'compose:db', 'compose-project': 'shop' }, true)).not.toThrow();
  });
  it.each([
    [{ 'deploy-path': '/srv/shop' }, 'shop'],
    [{ 'deploy-path': '/srv/Shop.API/' }, 'shop-api'],
    [{ 'deploy-path': 'apps/shop' }, 'shop'],
    [{ 'deploy-path': '/srv/shop', 'compose-project': 'custom' }, 'custom'],
    [{ 'compose-project': 'custom' }, 'custom'],
  ])('%o → %s', (extra, project) => {
    expect(sourceComposeProject({ container: 'compose:db', ...extra })).toBe(project);
  });
  it('is the project mode: compose deploys the same path under', () => {
    for (const path of ['/srv/shop', '/home/deploy/My App', '/srv/_x', '/srv/---']) {
      expect(sourceComposeProject({ container: 'compose:db', 'deploy-path': path })).toBe(composeProject(path, undefined));
    }
  });
  it('is undefined for a plain container', () => {
    expect(sourceComposeProject({ container: 'db', 'compose-project': 'shop' })).toBeUndefined();
    expect(sourceComposeProject({})).toBeUndefined();
  });
  it('reaches docker compose -p', () => {
    const argv = containerArgv(
      { container: 'compose:db', project: sourceComposeProject({ container: 'compose:db', 'deploy-path': '/srv/shop' }) },
      [],
      ['psql'],
    );
    expect(argv[2]).toContain('compose -p shop exec -T');
    expect(argv.slice(-2)).toEqual(['db', 'psql']);
  });
});
