import { describe, expect, it } from 'vitest';

import { mysqlConnectionOptions, pgClientConfig } from '../../src/db/connect.js';
import { dumpTarget } from '../../src/db/dump/url.js';
import { parseDatabaseUrl } from '../../src/db/url.js';

// Migrations read the shared URL model, dumps and restores their narrowed one: both must connect alike.
const bothModels = (url: string) => [parseDatabaseUrl(url, '/w'), dumpTarget(url, '/w')];

describe('pgClientConfig: TLS as libpq reads sslmode', () => {
  it.each([
    ['', undefined],
    ['?sslmode=disable', false],
    ['?sslmode=allow', { rejectUnauthorized: false }],
    ['?sslmode=prefer', { rejectUnauthorized: false }],
    ['?sslmode=require', { rejectUnauthorized: false }],
    ['?sslmode=verify-ca', { rejectUnauthorized: false }],
    ['?sslmode=verify-full', { rejectUnauthorized: true }],
  ])('postgres://app:pw@db:6543/shop%s', (query, ssl) => {
    for (const db of bothModels(`postgres://app:pw@db:6543/shop${query}`)) {
      expect(pgClientConfig(db, 'shop_restore')).toEqual({
        host: 'db',
        port: 6543,
        user: 'app',
        password: 'pw',
        database: 'shop_restore',
        ssl,
      });
    }
  });

  it('connects to a Unix socket directory given as ?host=', () => {
    for (const db of bothModels('postgres:///shop?host=/run/postgresql')) {
      expect(pgClientConfig(db, 'shop')).toMatchObject({ host: '/run/postgresql', port: 5432, database: 'shop' });
    }
  });
});

describe('mysqlConnectionOptions: TLS from ssl, sslmode or ssl-mode', () => {
  it.each([
    ['', undefined],
    ['?ssl=true', {}],
    ['?ssl=false', undefined],
    ['?sslmode=require', {}],
    ['?sslmode=verify-ca', {}],
    ['?sslmode=verify-full', {}],
    ['?sslmode=disable', undefined],
    ['?ssl-mode=REQUIRED', {}],
    ['?ssl-mode=DISABLED', undefined],
  ])('mysql://app:pw@db:3307/shop%s', (query, ssl) => {
    for (const db of bothModels(`mysql://app:pw@db:3307/shop${query}`)) {
      const options = mysqlConnectionOptions(db, 'shop');
      expect(options).toMatchObject({ host: 'db', port: 3307, user: 'app', password: 'pw', database: 'shop' });
      expect(options.ssl).toEqual(ssl);
    }
  });

  it('connects to the server alone when no database is named', () => {
    expect(mysqlConnectionOptions(dumpTarget('mysql://app:pw@db/shop', '/w'), undefined).database).toBeUndefined();
  });
});
