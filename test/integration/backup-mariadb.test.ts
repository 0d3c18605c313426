import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { backupDir } from '../../harness/services/backup.js';
import { type MariaDbServer, startMariaDb } from '../../harness/services/mariadb.js';
import { printed, runBundle } from '../../harness/services/runner.js';
import { type S3Server, startS3 } from '../../harness/services/s3.js';

let maria: MariaDbServer;
let s3: S3Server;
const rows = () => maria.sql('SELECT id, name, HEX(data), amount, created FROM customers ORDER BY id', 'shop');

beforeAll(async () => {
  [maria, s3] = await Promise.all([startMariaDb(), startS3()]);
  maria.sql('CREATE DATABASE shop');
  maria.sql(
    `CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100) CHARACTER SET utf8mb4, data BLOB, amount DECIMAL(10,2), created DATETIME);
     CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, customer INT);
     CREATE TRIGGER log_insert AFTER INSERT ON customers FOR EACH ROW INSERT INTO audit (customer) VALUES (NEW.id);
     CREATE PROCEDURE total(OUT t DECIMAL(12,2)) SELECT SUM(amount) INTO t FROM customers;
     INSERT INTO customers SELECT seq, CONCAT('client ', seq, ' ünïcode ''q'''), UNHEX(MD5(seq)), seq * 1.5, '2024-01-01 00:00:00' + INTERVAL seq HOUR FROM seq_1_to_3000;`,
    'shop',
  );
});

afterAll(async () => {
  await Promise.all([maria?.stop(), s3?.stop()]);
});

describe('backup + restore on MariaDB', () => {
  it('round trip through S3 (s3rver): rows, trigger and procedure come back', async () => {
    const before = rows();
    const target = { ...s3.inputs(), prefix: 'nightly' };
    const backup = await runBundle('backup', {
      'database-url': maria.url('shop'),
      ...target,
      verify: 'true',
      'verify-query': 'SELECT COUNT(*) FROM customers',
    });
    expect(backup.exitCode, printed(backup)).toBe(0);
    expect(backup.outputs.key).toMatch(/^nightly\/shop\/\d{8}T\d{6}Z\.sql\.zst$/);
    expect(backup.stdout).toContain('verify query returned "3000"');
    expect(printed(backup)).not.toContain('secret-maria-password');
    expect(maria.sql("SHOW DATABASES LIKE 'shop%'").trim()).toBe('shop');

    maria.sql("DELETE FROM customers WHERE id > 10; DROP PROCEDURE total; UPDATE customers SET name = 'x' WHERE id = 1", 'shop');
    const restore = await runBundle('restore', { 'database-url': maria.url('shop'), ...target, confirm: 'shop' });
    expect(restore.exitCode, printed(restore)).toBe(0);
    expect(restore.stdout).toContain('restoring in place instead');
    expect(restore.outputs['restored-from']).toBe(backup.outputs.key);
    expect(restore.outputs['safety-backup']).toMatch(/^nightly\/shop\/\d{8}T\d{6}Z-pre-restore\.sql\.zst$/);
    expect(rows()).toEqual(before);
    expect(maria.sql('CALL total(@t); SELECT @t', 'shop').trim()).toBe('6752250.00');
    maria.sql("INSERT INTO customers VALUES (9999, 'new', NULL, 1, NOW())", 'shop');
    expect(maria.sql('SELECT customer FROM audit ORDER BY id DESC LIMIT 1', 'shop').trim()).toBe('9999');
    maria.sql('DELETE FROM customers WHERE id = 9999', 'shop');
  });

  it('a restore that breaks half-way puts the safety backup back and names it', async () => {
    const dir = backupDir();
    // A dump that drops the table, then fails: applied statement by statement, it would leave nothing.
    const dump = gzipSync(
      'DROP TABLE IF EXISTS customers;\nCREATE TABLE customers (id INT PRIMARY KEY);\nINSERT INTO customers VALUES (1);\nTHIS IS NOT SQL;\n',
    );
    const key = 'shop/20200101T000000Z.sql.gz';
    mkdirSync(join(dir, 'shop'));
    writeFileSync(join(dir, key), dump);
    const manifest = {
      version: 1,
      key,
      engine: 'mysql',
      database: 'shop',
      size: dump.length,
      sha256: createHash('sha256').update(dump).digest('hex'),
      compression: 'gzip',
      encrypted: false,
      created: '2020-01-01T00:00:00Z',
      tools: {},
    };
    writeFileSync(join(dir, `${key}.manifest.json`), JSON.stringify(manifest));
    const before = rows();
    const restore = await runBundle('restore', { 'database-url': maria.url('shop'), path: dir, confirm: 'shop', from: key });
    expect(restore.exitCode).toBe(1);
    expect(restore.stdout).toMatch(/You have an error in your SQL syntax/);
    expect(restore.stdout).toContain('shop was put back from the safety backup');
    expect(restore.stdout).toContain(restore.outputs['safety-backup']!);
    expect(rows()).toEqual(before);
  });
});
