import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ageKeyPair, backupDir, readManifestFile, storedFiles } from '../../harness/services/backup.js';
import { type PostgresServer, startPostgres } from '../../harness/services/postgres.js';
import { printed, runBundle } from '../../harness/services/runner.js';
import { startS3 } from '../../harness/services/s3.js';

let pg: PostgresServer;
const rows = (db = 'shop') => pg.psql('SELECT id, name, balance, created, data FROM customers ORDER BY id', db);
const databases = () => pg.psql("SELECT datname FROM pg_database WHERE datname LIKE 'shop%' ORDER BY 1").trim().split('\n');

beforeAll(async () => {
  pg = await startPostgres();
  pg.psql('CREATE DATABASE shop');
  pg.psql(
    `CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, balance numeric(12,2), created timestamptz, data bytea);
     INSERT INTO customers SELECT g, 'customer ' || g || ' ünïcode ''quoted''', g * 1.25, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 hour', decode(md5(g::text), 'hex')
       FROM generate_series(1, 5000) g;
     CREATE VIEW rich AS SELECT id FROM customers WHERE balance > 100;
     CREATE FUNCTION double_it(x int) RETURNS int LANGUAGE sql AS 'SELECT x * 2';`,
    'shop',
  );
});

afterAll(async () => {
  await pg?.stop();
});

describe('backup + restore on PostgreSQL with a local target', () => {
  it('round trip: restores the backed-up rows row for row into a new database swapped under the old name', async () => {
    const dir = backupDir();
    const before = rows();
    const backup = await runBundle('backup', {
      'database-url': pg.url('shop'),
      path: dir,
      prefix: 'prod',
      verify: 'true',
      'verify-query': 'SELECT count(*) FROM customers',
    });
    expect(backup.exitCode, backup.stdout + backup.stderr).toBe(0);
    expect(backup.outputs.key).toMatch(/^prod\/shop\/\d{8}T\d{6}Z\.pgdump\.zst$/);
    const manifest = readManifestFile(dir, backup.outputs.key!);
    expect(manifest).toMatchObject({
      engine: 'postgres',
      database: 'shop',
      compression: 'zstd',
      encrypted: false,
      sha256: backup.outputs.sha256,
      size: Number(backup.outputs.size),
    });
    expect(backup.stdout).toContain('verify query returned "5000"');
    expect(printed(backup)).not.toContain('secret-pg-password');
    expect(databases()).toEqual(['shop']); // the verify scratch database is gone

    pg.psql("DELETE FROM customers WHERE id > 100; UPDATE customers SET name = 'changed' WHERE id = 1", 'shop');
    const restore = await runBundle('restore', { 'database-url': pg.url('shop'), path: dir, prefix: 'prod', confirm: 'shop' });
    expect(restore.exitCode, restore.stdout + restore.stderr).toBe(0);
    expect(restore.outputs['restored-from']).toBe(backup.outputs.key);
    expect(restore.outputs.database).toBe('shop');
    expect(rows()).toEqual(before);
    expect(pg.psql('SELECT double_it(21), count(*) FROM rich', 'shop').trim()).toBe('42|4920');
    // The safety backup holds the state just before the restore and is not a candidate for "latest".
    expect(restore.outputs['safety-backup']).toMatch(/^prod\/shop\/\d{8}T\d{6}Z-pre-restore\.pgdump\.zst$/);
    const replaced = databases().find((d) => d.startsWith('shop_replaced_'))!;
    expect(pg.psql('SELECT count(*) FROM customers', replaced).trim()).toBe('100');
    expect(restore.summary).toContain(restore.outputs['safety-backup']);
  });

  it('encrypted round trip with age; the wrong identity fails without changing the database', async () => {
    const dir = backupDir();
    const right = ageKeyPair();
    const wrong = ageKeyPair();
    const before = rows();
    const backup = await runBundle('backup', {
      'database-url': pg.url('shop'),
      path: dir,
      'age-recipients': right.recipient,
      compression: 'gzip',
    });
    expect(backup.exitCode, backup.stdout + backup.stderr).toBe(0);
    expect(backup.outputs.key).toMatch(/\.pgdump\.gz\.age$/);
    expect(readManifestFile(dir, backup.outputs.key!)).toMatchObject({ encrypted: true, compression: 'gzip' });

    pg.psql("UPDATE customers SET name = 'after backup' WHERE id = 2", 'shop');
    const changed = rows();
    const denied = await runBundle('restore', {
      'database-url': pg.url('shop'),
      path: dir,
      confirm: 'shop',
      'age-identity': wrong.identity,
    });
    expect(denied.exitCode).toBe(1);
    expect(denied.stdout + denied.stderr).toMatch(/no identity matched/i);
    expect(denied.stdout + denied.stderr).toContain(denied.outputs['safety-backup']!);
    expect(rows()).toEqual(changed);
    expect(printed(denied)).not.toContain(wrong.identity.trim().split('\n').pop()!);

    const restore = await runBundle('restore', {
      'database-url': pg.url('shop'),
      path: dir,
      confirm: 'shop',
      'age-identity': right.identity,
      from: backup.outputs.key!,
    });
    expect(restore.exitCode, restore.stdout + restore.stderr).toBe(0);
    expect(rows()).toEqual(before);
    expect(restore.outputs['safety-backup']).toMatch(/-pre-restore\.pgdump\.zst\.age$/);
  });

  it('detects a corrupted object by its sha256 and restores nothing', async () => {
    const dir = backupDir();
    const backup = await runBundle('backup', { 'database-url': pg.url('shop'), path: dir });
    expect(backup.exitCode, backup.stderr).toBe(0);
    const file = join(dir, backup.outputs.key!);
    const bytes = readFileSync(file);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = bytes[middle]! ^ 0xff;
    writeFileSync(file, bytes);
    pg.psql("UPDATE customers SET name = 'kept' WHERE id = 3", 'shop');
    const before = rows();
    const files = storedFiles(dir);
    const restore = await runBundle('restore', { 'database-url': pg.url('shop'), path: dir, confirm: 'shop' });
    expect(restore.exitCode).toBe(1);
    expect(restore.stdout).toMatch(/does not match its manifest/);
    expect(rows()).toEqual(before);
    expect(storedFiles(dir)).toEqual(files); // not even a safety backup was needed
  });

  it('refuses to restore without confirm equal to the database name, before touching anything', async () => {
    const dir = backupDir();
    expect((await runBundle('backup', { 'database-url': pg.url('shop'), path: dir })).exitCode).toBe(0);
    const files = storedFiles(dir);
    const before = rows();
    for (const confirm of ['', 'SHOP', 'other']) {
      const restore = await runBundle('restore', { 'database-url': pg.url('shop'), path: dir, confirm });
      expect(restore.exitCode).toBe(1);
      expect(restore.stdout).toContain('set confirm to exactly "shop"');
      expect(restore.outputs).toEqual({});
    }
    expect(rows()).toEqual(before);
    expect(storedFiles(dir)).toEqual(files);
  });

  it.each(['new-database-then-swap', 'in-place'])(
    'a restore that fails (%s) leaves the database as it was and names the safety backup',
    async (mode) => {
      const dir = backupDir();
      // The backup grants to a role that is gone by restore time, so pg_restore stops with an error.
      pg.psql('CREATE DATABASE grants');
      pg.psql(
        'CREATE ROLE auditor; CREATE TABLE ledger (id int PRIMARY KEY, amount int); INSERT INTO ledger VALUES (1, 10), (2, 20); GRANT SELECT ON ledger TO auditor;',
        'grants',
      );
      const backup = await runBundle('backup', { 'database-url': pg.url('grants'), path: dir });
      expect(backup.exitCode, backup.stderr).toBe(0);
      pg.psql('REVOKE SELECT ON ledger FROM auditor; DROP ROLE auditor; INSERT INTO ledger VALUES (3, 30);', 'grants');
      const restore = await runBundle('restore', { 'database-url': pg.url('grants'), path: dir, confirm: 'grants', mode });
      expect(restore.exitCode).toBe(1);
      expect(restore.stdout).toMatch(/role "auditor" does not exist/);
      expect(restore.outputs['safety-backup']).toMatch(/^grants\/\d{8}T\d{6}Z-pre-restore\.pgdump\.zst$/);
      expect(restore.stdout).toContain(`The safety backup taken before the restore is ${restore.outputs['safety-backup']}`);
      expect(storedFiles(dir)).toContain(restore.outputs['safety-backup']);
      expect(pg.psql('SELECT id, amount FROM ledger ORDER BY id', 'grants').trim().split('\n')).toEqual(['1|10', '2|20', '3|30']);
      expect(pg.psql("SELECT datname FROM pg_database WHERE datname LIKE 'grants%'").trim()).toBe('grants');
      pg.psql('DROP DATABASE grants');
    },
  );

  it('applies restic-style retention to older backups, and dry-run only lists', async () => {
    const dir = backupDir();
    const first = await runBundle('backup', { 'database-url': pg.url('shop'), path: dir, prune: 'false' });
    expect(first.exitCode, first.stderr).toBe(0);
    // Older backups: copies of the real one under older names, one per day, two on one of the days.
    const stamps = ['20200101T010000Z', '20200102T010000Z', '20200102T020000Z', '20200103T010000Z', '20200110T010000Z'];
    for (const stamp of stamps) {
      const key = `shop/${stamp}.pgdump.zst`;
      copyFileSync(join(dir, first.outputs.key!), join(dir, key));
      const manifest = {
        ...readManifestFile(dir, first.outputs.key!),
        key,
        created: `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T01:00:00Z`,
      };
      writeFileSync(join(dir, `${key}.manifest.json`), JSON.stringify(manifest));
    }
    writeFileSync(join(dir, 'shop/20191231T000000Z.pgdump.zst.partial'), 'an interrupted upload is not a backup');

    const dry = await runBundle('backup', {
      'database-url': pg.url('shop'),
      path: dir,
      'keep-daily': '3',
      'keep-weekly': '0',
      'dry-run': 'true',
    });
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.outputs.deleted).toBe('[]');
    expect(dry.stdout).toContain('dry-run: would delete shop/20200101T010000Z.pgdump.zst');
    expect(dry.summary).toContain('would delete');
    expect(storedFiles(dir).filter((f) => f.startsWith('shop/2020'))).toHaveLength(10);

    const pruned = await runBundle('backup', { 'database-url': pg.url('shop'), path: dir, 'keep-daily': '3', 'keep-weekly': '2' });
    expect(pruned.exitCode, pruned.stderr).toBe(0);
    // daily: today (newest of the 3 runs today) + 2020-01-10 + 2020-01-03; weekly 2: this week + 2020-W02 (already kept).
    expect(JSON.parse(pruned.outputs.deleted!).sort()).toEqual(
      [
        'shop/20200101T010000Z.pgdump.zst',
        'shop/20200102T010000Z.pgdump.zst',
        'shop/20200102T020000Z.pgdump.zst',
        first.outputs.key,
        dry.outputs.key,
      ].sort(),
    );
    expect(storedFiles(dir).filter((f) => !f.endsWith('.partial'))).toEqual(
      [pruned.outputs.key!, 'shop/20200103T010000Z.pgdump.zst', 'shop/20200110T010000Z.pgdump.zst']
        .flatMap((k) => [k, `${k}.manifest.json`])
        .sort(),
    );
    expect(pruned.summary).toMatch(/\| shop\/20200110T010000Z\.pgdump\.zst \| [^|]+ \| kept \| daily snapshot/);
  });

  it('restores in place with pg_restore --clean in one transaction', async () => {
    const dir = backupDir();
    const before = rows();
    expect((await runBundle('backup', { 'database-url': pg.url('shop'), path: dir })).exitCode).toBe(0);
    pg.psql('DELETE FROM customers WHERE id % 2 = 0; CREATE TABLE extra (x int);', 'shop');
    const restore = await runBundle('restore', { 'database-url': pg.url('shop'), path: dir, confirm: 'shop', mode: 'in-place' });
    expect(restore.exitCode, printed(restore)).toBe(0);
    expect(rows()).toEqual(before);
    expect(databases().filter((d) => d.includes('_restore_'))).toEqual([]);
  });

  it('restores onto a server where the database does not exist yet (no safety backup needed)', async () => {
    const dir = backupDir();
    const backup = await runBundle('backup', { 'database-url': pg.url('shop'), path: dir });
    expect(backup.exitCode, printed(backup)).toBe(0);
    const before = rows('shop');
    // A new server: the backup's own database name is free (the original is kept aside to compare).
    pg.psql('ALTER DATABASE shop RENAME TO shop_aside');
    try {
      const restore = await runBundle('restore', {
        'database-url': pg.url('shop'),
        path: dir,
        confirm: 'shop',
        from: backup.outputs.key!,
      });
      expect(restore.exitCode, printed(restore)).toBe(0);
      expect(restore.stdout).toContain('shop does not exist yet');
      expect(restore.outputs['safety-backup']).toBeUndefined();
      expect(restore.outputs.database).toBe('shop');
      expect(rows('shop')).toEqual(before);
    } finally {
      pg.psql('DROP DATABASE IF EXISTS shop');
      pg.psql('ALTER DATABASE shop_aside RENAME TO shop');
    }
  });

  it("refuses to restore one database's backup into another, naming both", async () => {
    const dir = backupDir();
    const backup = await runBundle('backup', { 'database-url': pg.url('shop'), path: dir });
    expect(backup.exitCode, printed(backup)).toBe(0);
    const restore = await runBundle('restore', {
      'database-url': pg.url('shop_copy'),
      path: dir,
      confirm: 'shop_copy',
      from: backup.outputs.key!,
    });
    expect(restore.exitCode).toBe(1);
    expect(restore.stdout).toContain('its manifest is for postgres database shop, not postgres database shop_copy');
    expect(databases()).not.toContain('shop_copy');
  });

  it('refuses to dump with a pg_dump older than the server, saying what to install', async () => {
    const bin = backupDir();
    writeFileSync(join(bin, 'pg_dump'), '#!/bin/sh\necho "pg_dump (PostgreSQL) 13.16"\n', { mode: 0o755 });
    const dir = backupDir();
    const server = pg.psql('SHOW server_version_num').trim().slice(0, 2);
    const run = await runBundle('backup', { 'database-url': pg.url('shop'), path: dir }, { env: { PATH: `${bin}:${process.env.PATH}` } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(`pg_dump is version 13 but the server is PostgreSQL ${server}`);
    expect(run.stdout).toContain(`postgresql-client-${server}`);
    expect(storedFiles(dir)).toEqual([]);
  });

  /** Stands in for a pg_dump whose connection drops after it has streamed `bytes` of the dump. */
  function droppingPgDump(bytes: number): string {
    const bin = backupDir();
    writeFileSync(
      join(bin, 'pg_dump'),
      `#!/bin/sh\nif [ "$1" = --version ]; then exec /usr/bin/pg_dump --version; fi\nhead -c ${bytes} /dev/urandom\necho "pg_dump: error: connection to server lost" >&2\nexit 1\n`,
      { mode: 0o755 },
    );
    return bin;
  }

  it('a dump that fails half-way leaves no object and no manifest behind', async () => {
    const dir = backupDir();
    const run = await runBundle(
      'backup',
      { 'database-url': pg.url('shop'), path: dir },
      { env: { PATH: `${droppingPgDump(3_000_000)}:${process.env.PATH}` } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('connection to server lost');
    expect(run.outputs).toEqual({});
    expect(storedFiles(dir)).toEqual([]);
  });

  it('a dump that fails after S3 took some parts of it leaves nothing in the bucket (the multipart upload is aborted)', async () => {
    const s3 = await startS3();
    try {
      // 20 MB of incompressible data: more than two 8 MiB parts reach S3 before the dump fails.
      const run = await runBundle(
        'backup',
        { 'database-url': pg.url('shop'), ...s3.inputs() },
        { env: { PATH: `${droppingPgDump(20_000_000)}:${process.env.PATH}` } },
      );
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toContain('connection to server lost');
      const client = new S3Client({
        region: 'us-east-1',
        endpoint: s3.endpoint,
        forcePathStyle: true,
        credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      });
      const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
      client.destroy();
      expect(listed.Contents ?? []).toEqual([]);
    } finally {
      await s3.stop();
    }
  });

  it('refuses an empty retention policy unless prune is false', async () => {
    const dir = backupDir();
    const zero = { 'keep-daily': '0', 'keep-weekly': '0' };
    const refused = await runBundle('backup', { 'database-url': pg.url('shop'), path: dir, ...zero });
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toContain('prune: false');
    expect(storedFiles(dir)).toEqual([]);
    expect((await runBundle('backup', { 'database-url': pg.url('shop'), path: dir, ...zero, prune: 'false' })).exitCode).toBe(0);
  });
});
