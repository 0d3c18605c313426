import type { DumpEngine } from './engine.js';
import { mysqlEngine } from './mysql.js';
import { postgresEngine } from './postgres.js';
import { sqliteEngine } from './sqlite.js';
import type { EngineName } from './url.js';

export const engines: Record<EngineName, DumpEngine> = { postgres: postgresEngine, mysql: mysqlEngine, sqlite: sqliteEngine };
