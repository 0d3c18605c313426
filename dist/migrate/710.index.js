export const id = 710;
export const ids = [710];
export const modules = {

/***/ 9152:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Rh: () => (/* binding */ redactedJson),
/* harmony export */   se: () => (/* binding */ redactValues)
/* harmony export */ });
/* unused harmony exports writeTextFile, textStream */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _logger_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1227);



/**
 * Files the kit writes are sinks like the log: history.jsonl and the lock record on a host, backup
 * manifests, bake files, the SQLite migration lock. Their text passes the run's one redaction on the
 * way out. The exceptions are the files whose purpose is to hold a secret for a tool (SSH keys,
 * known_hosts, age identities, registry auth, build secrets): written 0600 in a private directory
 * and removed after the run, never anything else.
 */
/** A value with every string in it (object keys too) redacted, ready for JSON.stringify: the JSON stays valid. */
function redactValues(logger, value) {
    const walk = (v) => {
        if (typeof v === 'string')
            return (0,_logger_js__WEBPACK_IMPORTED_MODULE_2__/* .redactFor */ .FP)(logger, v);
        if (Array.isArray(v))
            return v.map(walk);
        if (v !== null && typeof v === 'object')
            return Object.fromEntries(Object.entries(v).map(([k, x]) => [(0,_logger_js__WEBPACK_IMPORTED_MODULE_2__/* .redactFor */ .FP)(logger, k), walk(x)]));
        return v;
    };
    return walk(value);
}
/** JSON text of a value whose strings are redacted (a record written to a file or a host). */
function redactedJson(logger, value, indent) {
    return JSON.stringify(redactValues(logger, value), null, indent);
}
/** Writes text the kit composed to a file, redacted. */
function writeTextFile(logger, path, text, mode) {
    writeFileSync(path, redactFor(logger, text), mode === undefined ? undefined : { mode });
}
/** Text the kit composed as a stream for a storage target (a backup manifest), redacted. */
function textStream(logger, text) {
    return Readable.from([Buffer.from(redactFor(logger, text))]);
}


/***/ }),

/***/ 1059:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  g: () => (/* binding */ pollUntil)
});

// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
;// CONCATENATED MODULE: ./src/core/wait.ts

/** The deadline passed: what was last seen (no value or state when every read failed). */
class WaitTimeoutError extends errors/* OperationalError */.LE {
    timeoutMs;
    attempts;
    lastReason;
    last;
    lastState;
    name = 'WaitTimeoutError';
    constructor(what, timeoutMs, attempts, lastReason, last, lastState) {
        super(`${what} did not succeed within ${Math.round(timeoutMs / 1000)}s after ${attempts} attempts; last result: ${lastReason}`);
        this.timeoutMs = timeoutMs;
        this.attempts = attempts;
        this.lastReason = lastReason;
        this.last = last;
        this.lastState = lastState;
    }
}
/** Reads until `ended`, or throws WaitTimeoutError at the deadline after one last read there. */
async function waitFor(wait) {
    const { clock, timeoutMs } = wait;
    const started = clock.now();
    const deadline = started + timeoutMs;
    let delay = wait.initialDelayMs ?? 500;
    const maxDelay = wait.maxDelayMs ?? 5000;
    let seen = wait.initial;
    let last;
    let attempts = 0;
    for (;;) {
        attempts += 1;
        const look = await wait.read().then((value) => ({ ok: true, value }), (error) => {
            if (wait.isFatal?.(error))
                throw error;
            return { ok: false, reason: (0,errors/* errorMessage */.gJ)(error) };
        });
        let reason;
        if (look.ok) {
            const state = wait.state(look.value);
            last = look.value;
            if (state !== seen)
                wait.onChange?.(look.value, state);
            seen = state;
            if (wait.ended(state, look.value))
                return { value: look.value, attempts, elapsedMs: clock.now() - started };
            reason = wait.reason ? wait.reason(state, look.value) : `state ${state}`;
        }
        else
            reason = look.reason;
        wait.onAttempt?.(attempts, reason);
        const remaining = deadline - clock.now();
        if (remaining <= 0)
            throw new WaitTimeoutError(wait.what, timeoutMs, attempts, reason, last, seen);
        const jittered = delay * (0.8 + Math.random() * 0.4);
        await clock.sleep(Math.min(jittered, remaining));
        delay = Math.min(delay * 2, maxDelay);
    }
}

;// CONCATENATED MODULE: ./src/core/retry.ts

/**
 * Polls to a deadline with exponential backoff and jitter; fails with the last observed reason
 * (WaitTimeoutError). waitFor (src/core/wait.ts) for a check that answers done or why not.
 */
async function pollUntil(options, attempt) {
    const result = await waitFor({
        ...options,
        read: attempt,
        state: (a) => (a.done ? 'done' : a.reason),
        ended: (_state, a) => a.done,
        reason: (state) => state,
    });
    return { ...result, value: result.value.value };
}


/***/ }),

/***/ 4710:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  migrateSql: () => (/* binding */ migrateSql)
});

// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./node_modules/mysql2/promise.js
var promise = __webpack_require__(7588);
;// CONCATENATED MODULE: ./src/db/connect.ts
/**
 * node-postgres settings for `database`, TLS as libpq (pg_dump, psql) reads sslmode: disable → none;
 * require, prefer, allow and verify-ca → TLS without certificate verification; verify-full → verified.
 */
function pgClientConfig(db, database) {
    const mode = db.params.sslmode;
    const ssl = !mode ? undefined : mode === 'disable' ? false : { rejectUnauthorized: mode === 'verify-full' };
    return { host: db.host, port: db.port, user: db.user, password: db.password, database, ssl };
}
/** mysql2 settings for `database` (none: the server only); `?ssl=true` or sslmode/ssl-mode require, verify-ca, verify-full or REQUIRED turn TLS on. */
function mysqlConnectionOptions(db, database) {
    const ssl = db.params.ssl === 'true' ||
        ['require', 'verify-ca', 'verify-full', 'REQUIRED'].includes(db.params.sslmode ?? db.params['ssl-mode'] ?? '');
    return { host: db.host, port: db.port, user: db.user, password: db.password, database, ...(ssl ? { ssl: {} } : {}) };
}

;// CONCATENATED MODULE: ./src/db/migrate/engine.ts

/** The history table every engine keeps: one row per applied file. */
const HISTORY_TABLE = 'deploy_kit_migrations';
/** A statement of a migration file failed; names the file, the statement's place and the database message. */
class MigrationError extends errors/* OperationalError */.LE {
    file;
    where;
    databaseMessage;
    constructor(file, where, databaseMessage, hint) {
        super(`${file}: ${where}: ${databaseMessage}`, hint);
        this.file = file;
        this.where = where;
        this.databaseMessage = databaseMessage;
    }
}
const NOT_RECORDED = 'the file was not recorded as applied; fix it and run again';

;// CONCATENATED MODULE: ./src/db/migrate/split.ts
/**
 * Splits SQL on top-level semicolons, skipping those inside quotes ('...', "...", `...` on MySQL),
 * comments (--, /* *\/, # on MySQL) and PostgreSQL dollar quotes ($$...$$, $tag$...$tag$).
 * Statements that hold only comments and whitespace are dropped. `firstLine` is the file line of sql[0].
 */
function splitStatements(sql, firstLine, dialect) {
    const out = [];
    let line = firstLine;
    let start = 0;
    let startLine = firstLine;
    let hasCode = false;
    let i = 0;
    const push = (end) => {
        const text = sql.slice(start, end).trim();
        if (hasCode && text !== '')
            out.push({ sql: text, line: startLine });
        hasCode = false;
    };
    /** Advances to index `to`, counting newlines. */
    const skipTo = (to) => {
        for (let k = i; k < to && k < sql.length; k += 1)
            if (sql[k] === '\n')
                line += 1;
        i = Math.min(to, sql.length);
    };
    while (i < sql.length) {
        const c = sql[i];
        const next = sql[i + 1];
        if (c === '\n') {
            line += 1;
            i += 1;
            continue;
        }
        if (/\s/.test(c)) {
            i += 1;
            continue;
        }
        if ((c === '-' && next === '-') || (c === '#' && dialect === 'mysql')) {
            const end = sql.indexOf('\n', i);
            skipTo(end === -1 ? sql.length : end);
            continue;
        }
        if (c === '/' && next === '*') {
            const end = sql.indexOf('*/', i + 2);
            skipTo(end === -1 ? sql.length : end + 2);
            continue;
        }
        if (!hasCode) {
            hasCode = true;
            start = i;
            startLine = line;
        }
        if (c === ';') {
            push(i);
            i += 1;
            start = i;
            continue;
        }
        if (c === "'" || c === '"' || (c === '`' && dialect === 'mysql')) {
            skipTo(quoteEnd(sql, i, c, dialect === 'mysql' && c !== '`'));
            continue;
        }
        if (c === '$' && dialect === 'postgres') {
            const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
            if (tag) {
                const end = sql.indexOf(tag[0], i + tag[0].length);
                skipTo(end === -1 ? sql.length : end + tag[0].length);
                continue;
            }
        }
        i += 1;
    }
    push(sql.length);
    return out;
}
/** The index just past the closing quote; a doubled quote is an escaped one, and so is \x where backslashes escape. */
function quoteEnd(sql, open, quote, backslash) {
    for (let k = open + 1; k < sql.length; k += 1) {
        const c = sql[k];
        if (backslash && c === '\\') {
            k += 1;
        }
        else if (c === quote) {
            if (sql[k + 1] === quote)
                k += 1;
            else
                return k + 1;
        }
    }
    return sql.length;
}
/** The file line of a 1-based character position inside a statement (PostgreSQL reports one). */
function lineOfPosition(statement, position) {
    const before = statement.sql.slice(0, Math.max(0, position - 1));
    return statement.line + (before.match(/\n/g)?.length ?? 0);
}

;// CONCATENATED MODULE: ./src/db/migrate/session.ts



function iso(value) {
    if (value instanceof Date)
        return value.toISOString();
    return String(value ?? '');
}
/** The engine for server databases: one session, one dialect. */
class SessionEngine {
    label;
    session;
    dialect;
    constructor(label, session, dialect) {
        this.label = label;
        this.session = session;
        this.dialect = dialect;
    }
    async tryLock() {
        const rows = await this.session.query(this.dialect.tryLock, this.dialect.lockParams);
        return Boolean(Number(rows[0]?.locked ?? 0)) || rows[0]?.locked === true;
    }
    async unlock() {
        await this.session.query(this.dialect.unlock, this.dialect.lockParams);
    }
    async ensureHistory() {
        await this.session.query(this.dialect.createHistory);
    }
    async applied() {
        const present = await this.session.query(this.dialect.historyExists);
        const flag = present[0]?.present;
        if (!(flag === true || Number(flag) > 0))
            return [];
        const rows = await this.session.query(`SELECT version, name, checksum, applied_at FROM ${HISTORY_TABLE}`);
        return rows.map((r) => ({
            version: String(r.version),
            name: String(r.name),
            checksum: String(r.checksum).trim(),
            appliedAt: iso(r.applied_at),
        }));
    }
    async apply(step) {
        const { dialect, session } = this;
        const statements = splitStatements(step.section.sql, step.section.startLine, dialect.split);
        const inTx = step.transaction;
        if (inTx)
            await session.query('BEGIN');
        try {
            for (const [index, statement] of statements.entries()) {
                try {
                    await session.query(statement.sql);
                }
                catch (error) {
                    const position = dialect.position(error);
                    const line = position === undefined ? statement.line : lineOfPosition(statement, position);
                    const where = `statement ${index + 1} of ${statements.length} (line ${line}${position === undefined ? '' : `, position ${position} in the statement`})`;
                    const partial = index > 0 && (!inTx || !dialect.transactionalDdl);
                    const hint = partial
                        ? `${NOT_RECORDED}. ${inTx ? 'This database commits DDL implicitly, so' : 'The file runs without a transaction, so'} statements 1 to ${index} of this ${step.direction} section may have taken effect: check before running again`
                        : NOT_RECORDED;
                    throw new MigrationError(step.file, where, dialect.describe(error), hint);
                }
            }
            if (step.direction === 'up') {
                const p = (i) => dialect.param(i);
                await session.query(`INSERT INTO ${HISTORY_TABLE} (version, name, checksum, applied_at) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${dialect.now})`, [step.version, step.name, step.checksum]);
            }
            else {
                await session.query(`DELETE FROM ${HISTORY_TABLE} WHERE version = ${dialect.param(1)}`, [step.version]);
            }
            if (inTx)
                await session.query('COMMIT');
        }
        catch (error) {
            if (inTx)
                await session.query('ROLLBACK').catch(() => undefined);
            if (error instanceof MigrationError)
                throw error;
            throw new MigrationError(step.file, 'recording it in the history', (0,errors/* errorMessage */.gJ)(error), NOT_RECORDED);
        }
    }
    close() {
        return this.session.close();
    }
}

;// CONCATENATED MODULE: ./src/db/migrate/mysql.ts





/** GET_LOCK names are server-wide, so the lock name carries the database (at most 64 characters). */
function mysqlLockName(database) {
    return `deploy-kit-migrate:${database}`.slice(0, 64);
}
function mysqlDialect(database) {
    return {
        split: 'mysql',
        param: () => '?',
        createHistory: `CREATE TABLE IF NOT EXISTS ${HISTORY_TABLE} (
  version varchar(64) NOT NULL PRIMARY KEY,
  name varchar(255) NOT NULL,
  checksum char(64) NOT NULL,
  applied_at datetime(6) NOT NULL
)`,
        historyExists: `SELECT COUNT(*) AS present FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '${HISTORY_TABLE}'`,
        tryLock: 'SELECT GET_LOCK(?, 0) AS locked',
        unlock: 'SELECT RELEASE_LOCK(?) AS unlocked',
        lockParams: [mysqlLockName(database)],
        now: 'UTC_TIMESTAMP(6)',
        transactionalDdl: false,
        describe(error) {
            const e = error;
            const codes = [e.code, e.errno, e.sqlState && `SQLSTATE ${e.sqlState}`].filter(Boolean).join(', ');
            return `${e.message}${codes ? ` (${codes})` : ''}`;
        },
        position: () => undefined,
    };
}
/** MySQL and MariaDB through mysql2; TLS as mysqlConnectionOptions reads the URL (`?ssl=true`, sslmode=require, ...). */
async function connectMysql(url) {
    let connection;
    try {
        connection = await promise.createConnection({
            ...mysqlConnectionOptions(url, url.database),
            dateStrings: true,
            multipleStatements: false,
            connectTimeout: 30_000,
        });
    }
    catch (error) {
        throw new errors/* OperationalError */.LE(`could not connect to ${url.display}: ${(0,errors/* errorMessage */.gJ)(error)}`, 'check database-url and that the database accepts connections from this runner');
    }
    connection.on('error', () => undefined);
    return new SessionEngine(url.display, {
        async query(sql, params) {
            const [rows] = await connection.query(sql, params);
            return Array.isArray(rows) ? rows : [];
        },
        close: () => connection.end(),
    }, mysqlDialect(url.database));
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/pg/esm/index.mjs
var esm = __webpack_require__(3849);
;// CONCATENATED MODULE: ./src/db/migrate/postgres.ts






/** One advisory lock key for every deploy-kit migration run (advisory locks are per database). */
const ADVISORY_LOCK_KEY = (0,external_node_crypto_.createHash)('sha256').update('deploy-kit migrate').digest().readBigInt64BE(0).toString();
const postgresDialect = {
    split: 'postgres',
    param: (i) => `$${i}`,
    createHistory: `CREATE TABLE IF NOT EXISTS ${HISTORY_TABLE} (
  version varchar(64) PRIMARY KEY,
  name varchar(255) NOT NULL,
  checksum char(64) NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`,
    historyExists: `SELECT to_regclass('${HISTORY_TABLE}') IS NOT NULL AS present`,
    tryLock: 'SELECT pg_try_advisory_lock($1::bigint) AS locked',
    unlock: 'SELECT pg_advisory_unlock($1::bigint) AS unlocked',
    lockParams: [ADVISORY_LOCK_KEY],
    now: 'now()',
    transactionalDdl: true,
    describe(error) {
        const e = error;
        return [`${e.message}${e.code ? ` (SQLSTATE ${e.code})` : ''}`, e.detail && `DETAIL: ${e.detail}`, e.hint && `HINT: ${e.hint}`]
            .filter(Boolean)
            .join('\n');
    },
    position(error) {
        const position = Number(error.position);
        return Number.isInteger(position) && position > 0 ? position : undefined;
    },
};
async function connectPostgres(url) {
    const client = new esm/* default.Client */.Ay.Client({
        ...pgClientConfig(url, url.database),
        connectionTimeoutMillis: 30_000,
        application_name: 'deploy-kit migrate',
    });
    client.on('error', () => undefined);
    try {
        await client.connect();
    }
    catch (error) {
        await client.end().catch(() => undefined);
        throw new errors/* OperationalError */.LE(`could not connect to ${url.display}: ${(0,errors/* errorMessage */.gJ)(error)}`, 'check database-url and that the database accepts connections from this runner');
    }
    return new SessionEngine(url.display, { query: async (sql, params) => (await client.query(sql, params)).rows, close: () => client.end() }, postgresDialect);
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: ./src/core/file-sinks.ts
var file_sinks = __webpack_require__(9152);
;// CONCATENATED MODULE: ./src/db/migrate/sqlite.ts






/**
 * SQLite through the sqlite3 command-line shell, SQL on stdin. Node 20 has no node:sqlite, and the
 * npm drivers are native addons built for one Node ABI and platform, which an ncc bundle run by the
 * runner's node24 cannot carry; the shell is on the runner images and in Debian (`sqlite3`). One shell
 * per step: `.bail on` stops at the first error and the shell exits, rolling the transaction back.
 * The migration lock is a lock file beside the database (created with O_EXCL), since SQLite has no
 * advisory locks; a lock whose process is gone on this machine is taken over.
 */
const HEAD = ['.bail on', '.timeout 30000'];
const ERROR_LINE = /^(?:Parse|Runtime) error near line (\d+): ([\s\S]*)$/m;
function sqlLiteral(value) {
    return `'${value.replace(/'/g, "''")}'`;
}
function processAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        return error.code === 'EPERM';
    }
}
class SqliteEngine {
    path;
    options;
    label;
    lockFile;
    token;
    constructor(path, options) {
        this.path = path;
        this.options = options;
        this.label = `sqlite://${path}`;
        this.lockFile = `${path}.deploy-kit-migrate.lock`;
    }
    async shell(script, json = false) {
        try {
            return await this.options.exec.run(['sqlite3', '-batch', ...(json ? ['-json'] : []), this.path], { stdin: `${script}\n` });
        }
        catch (error) {
            throw new errors/* OperationalError */.LE(`could not run sqlite3: ${(0,errors/* errorMessage */.gJ)(error)}`, 'install the SQLite shell on the runner (apt-get install sqlite3)');
        }
    }
    async query(sql) {
        const result = await this.shell([...HEAD, sql].join('\n'), true);
        if (result.exitCode !== 0)
            throw new errors/* OperationalError */.LE(`${this.label}: ${(0,errors/* tail */.RT)(result.stderr, 5)}`);
        return result.stdout.trim() === '' ? [] : JSON.parse(result.stdout);
    }
    async tryLock() {
        const token = (0,external_node_crypto_.randomUUID)();
        const record = { token, pid: process.pid, host: (0,external_node_os_.hostname)(), run: this.options.runUrl, started: new Date().toISOString() };
        for (let attempt = 0; attempt < 2; attempt += 1) {
            try {
                const fd = (0,external_node_fs_.openSync)(this.lockFile, 'wx', 0o600);
                (0,external_node_fs_.writeSync)(fd, (0,file_sinks/* redactedJson */.Rh)(this.options.logger, record));
                (0,external_node_fs_.closeSync)(fd);
                this.token = token;
                return true;
            }
            catch (error) {
                if (error.code !== 'EEXIST')
                    throw error;
            }
            let holder;
            try {
                holder = JSON.parse((0,external_node_fs_.readFileSync)(this.lockFile, 'utf8'));
            }
            catch {
                return false; // being written right now, or just removed: try again later
            }
            if (holder.host !== record.host || processAlive(holder.pid))
                return false;
            this.options.logger.warning(`taking over the migration lock ${this.lockFile} left by process ${holder.pid} (${holder.run || 'unknown run'}, started ${holder.started}), which is gone`);
            try {
                (0,external_node_fs_.unlinkSync)(this.lockFile);
            }
            catch {
                return false;
            }
        }
        return false;
    }
    async unlock() {
        if (!this.token)
            return;
        try {
            const holder = JSON.parse((0,external_node_fs_.readFileSync)(this.lockFile, 'utf8'));
            if (holder.token === this.token)
                (0,external_node_fs_.unlinkSync)(this.lockFile);
        }
        finally {
            this.token = undefined;
        }
    }
    async ensureHistory() {
        await this.query(`CREATE TABLE IF NOT EXISTS ${HISTORY_TABLE} (version TEXT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL);`);
    }
    async applied() {
        if (!(0,external_node_fs_.existsSync)(this.path))
            return [];
        const present = await this.query(`SELECT count(*) AS present FROM sqlite_master WHERE type = 'table' AND name = '${HISTORY_TABLE}';`);
        if (!Number(present[0]?.present))
            return [];
        const rows = await this.query(`SELECT version, name, checksum, applied_at FROM ${HISTORY_TABLE};`);
        return rows.map((r) => ({
            version: String(r.version),
            name: String(r.name),
            checksum: String(r.checksum),
            appliedAt: String(r.applied_at),
        }));
    }
    async apply(step) {
        const before = [...HEAD, ...(step.transaction ? ['BEGIN IMMEDIATE;'] : [])];
        const record = step.direction === 'up'
            ? `INSERT INTO ${HISTORY_TABLE} (version, name, checksum, applied_at) VALUES (${sqlLiteral(step.version)}, ${sqlLiteral(step.name)}, ${sqlLiteral(step.checksum)}, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));`
            : `DELETE FROM ${HISTORY_TABLE} WHERE version = ${sqlLiteral(step.version)};`;
        const sectionLines = step.section.sql.split('\n').length;
        const script = [...before, step.section.sql, ';', record, ...(step.transaction ? ['COMMIT;'] : [])].join('\n');
        const result = await this.shell(script);
        if (result.exitCode === 0)
            return;
        const output = result.stderr.trim() || result.stdout.trim();
        const match = ERROR_LINE.exec(output);
        const scriptLine = match ? Number(match[1]) : undefined;
        const firstSectionLine = before.length + 1;
        let where = 'running it';
        if (scriptLine !== undefined && scriptLine >= firstSectionLine && scriptLine < firstSectionLine + sectionLines) {
            where = `statement at line ${step.section.startLine + scriptLine - firstSectionLine}`;
        }
        else if (scriptLine !== undefined && scriptLine > firstSectionLine + sectionLines) {
            where = 'recording it in the history';
        }
        const hint = step.transaction
            ? NOT_RECORDED
            : `${NOT_RECORDED}. The file runs without a transaction, so statements before the failing one may have taken effect: check before running again`;
        throw new MigrationError(step.file, where, (0,errors/* tail */.RT)(match ? match[2] : output, 10), hint);
    }
    async close() {
        await this.unlock();
    }
}

;// CONCATENATED MODULE: ./src/db/migrate/connect.ts



/** The engine for a database URL's scheme, connected. */
async function connectEngine(url, options) {
    switch (url.engine) {
        case 'postgres':
            return connectPostgres(url);
        case 'mysql':
            return connectMysql(url);
        case 'sqlite':
            return new SqliteEngine(url.path, options);
    }
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/core/inputs.ts
var inputs = __webpack_require__(9114);
;// CONCATENATED MODULE: ./src/db/migrate/files.ts





const FILE_NAME = /^(\d+)_([A-Za-z0-9][A-Za-z0-9_.-]*)\.sql$/;
const MARKER = /^--\s*migrate:([a-z-]+)\s*$/;
/** Splits a migration file into its sections; `file` is only for messages. */
function parseMigration(file, text) {
    const lines = text.replace(/\r\n/g, '\n').split('\n');
    const sections = {};
    let current;
    let transaction = true;
    if (!lines.some((line) => MARKER.exec(line.trim())?.[1] === 'up')) {
        throw new errors/* ConfigurationError */.j1(`${file}: no "-- migrate:up" line; a migration file has "-- migrate:up" and optionally "-- migrate:down" sections`);
    }
    lines.forEach((line, index) => {
        const marker = MARKER.exec(line.trim())?.[1];
        if (marker === undefined) {
            if (current)
                current.lines.push(line);
            else if (line.trim() !== '' && !line.trim().startsWith('--')) {
                throw new errors/* ConfigurationError */.j1(`${file}:${index + 1}: SQL before the "-- migrate:up" line; put it in the up section`);
            }
            return;
        }
        if (marker === 'no-transaction') {
            transaction = false;
            return;
        }
        if (marker !== 'up' && marker !== 'down') {
            throw new errors/* ConfigurationError */.j1(`${file}:${index + 1}: unknown marker "-- migrate:${marker}" (expected migrate:up, migrate:down or migrate:no-transaction)`);
        }
        if (sections[marker])
            throw new errors/* ConfigurationError */.j1(`${file}:${index + 1}: a second "-- migrate:${marker}" section`);
        current = { from: index + 2, lines: [] };
        sections[marker] = current;
    });
    const section = (s) => ({ sql: s.lines.join('\n'), startLine: s.from });
    const down = sections.down && sections.down.lines.some((l) => l.trim() !== '' && !l.trim().startsWith('--')) ? section(sections.down) : undefined;
    return { up: section(sections.up), down, transaction };
}
/** Reads every NNNN_name.sql file of a directory, sorted by number; duplicate numbers are an error. */
function loadMigrations(dir, input = 'dir') {
    (0,inputs/* requireDirectory */.T)(input, dir);
    const files = [];
    for (const file of (0,external_node_fs_.readdirSync)(dir).sort()) {
        const match = FILE_NAME.exec(file);
        if (!match) {
            if (file.endsWith('.sql'))
                throw new errors/* ConfigurationError */.j1(`input "${input}": ${file} is not named NNNN_name.sql (digits, "_", then letters, digits, "_", "." or "-")`);
            continue;
        }
        const bytes = (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, file));
        files.push({
            version: match[1],
            name: match[2],
            id: file.slice(0, -4),
            file,
            checksum: (0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex'),
            ...parseMigration(file, bytes.toString('utf8')),
        });
    }
    files.sort((a, b) => compareVersions(a.version, b.version));
    for (let i = 1; i < files.length; i += 1) {
        if (compareVersions(files[i - 1].version, files[i].version) === 0) {
            throw new errors/* ConfigurationError */.j1(`input "${input}": ${files[i - 1].file} and ${files[i].file} have the same version number`);
        }
    }
    return files;
}
/** Numeric order of version strings of any length ("2" < "10", "0002" = "2"). */
function compareVersions(a, b) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
}
/** One key per version number, however it is written ("0002" and "2" → "2"): equal keys compare as 0. */
function versionKey(version) {
    return BigInt(version).toString();
}

// EXTERNAL MODULE: ./src/core/retry.ts + 1 modules
var retry = __webpack_require__(1059);
;// CONCATENATED MODULE: ./src/db/migrate/runner.ts



function describeStep(step) {
    return `${step.direction} ${step.id}${step.transaction ? '' : ' (no transaction)'}`;
}
/** Checks history against the files and returns the steps to run; throws before anything runs. */
function planSteps(files, applied, down, logger) {
    const byVersion = new Map(files.map((f) => [versionKey(f.version), f]));
    const done = new Map(applied.map((a) => [versionKey(a.version), a]));
    for (const row of applied) {
        const file = byVersion.get(versionKey(row.version));
        if (!file) {
            logger.warning(`version ${row.version} (${row.name}) is recorded as applied but has no file in the migrations directory`);
            continue;
        }
        if (file.checksum !== row.checksum) {
            throw new errors/* OperationalError */.LE(`${file.file} was changed after it was applied (${row.appliedAt}): its sha256 is ${file.checksum}, the history has ${row.checksum}`, 'never edit an applied migration: restore the file as it was and put the change in a new migration');
        }
    }
    if (down === 0) {
        const pending = files.filter((f) => !done.has(versionKey(f.version)));
        const latest = applied
            .map((a) => a.version)
            .sort(compareVersions)
            .at(-1);
        for (const file of pending) {
            if (latest !== undefined && compareVersions(file.version, latest) < 0)
                logger.warning(`${file.file} is older than the latest applied version ${latest}; applying it anyway`);
        }
        return pending.map((f) => ({
            version: f.version,
            name: f.name,
            id: f.id,
            file: f.file,
            checksum: f.checksum,
            direction: 'up',
            section: f.up,
            transaction: f.transaction,
        }));
    }
    const latestFirst = [...applied].sort((a, b) => compareVersions(b.version, a.version));
    if (down > latestFirst.length)
        throw new errors/* ConfigurationError */.j1(`input "down": ${down} files to roll back, but only ${latestFirst.length} are applied`);
    return latestFirst.slice(0, down).map((row) => {
        const file = byVersion.get(versionKey(row.version));
        if (!file)
            throw new errors/* ConfigurationError */.j1(`input "down": version ${row.version} (${row.name}) has no file in the migrations directory to roll it back with`);
        if (!file.down)
            throw new errors/* ConfigurationError */.j1(`input "down": ${file.file} has no "-- migrate:down" section, so it cannot be rolled back`);
        return {
            version: file.version,
            name: file.name,
            id: file.id,
            file: file.file,
            checksum: file.checksum,
            direction: 'down',
            section: file.down,
            transaction: file.transaction,
        };
    });
}
async function acquire(engine, timeoutMs, ctx) {
    let announced = false;
    try {
        await (0,retry/* pollUntil */.g)({ what: 'the migration lock', timeoutMs, clock: ctx.clock, initialDelayMs: 200, maxDelayMs: 2000 }, async () => {
            if (await engine.tryLock())
                return { done: true, value: undefined };
            if (!announced)
                ctx.logger.info(`${engine.label}: another migration run holds the lock; waiting up to ${Math.round(timeoutMs / 1000)}s`);
            announced = true;
            return { done: false, reason: 'held by another run' };
        });
    }
    catch {
        throw new errors/* OperationalError */.LE(`${engine.label}: another migration run held the migration lock for longer than lock-timeout (${Math.round(timeoutMs / 1000)}s)`, 'wait for that run to finish or raise lock-timeout');
    }
}
/** lock → history → check → plan → apply each file → unlock; `report` is brought up to date after every file. */
async function runMigrations(engine, config, ctx, report) {
    const pendingNow = (applied) => {
        const done = new Set(applied.map((a) => versionKey(a.version)));
        return config.files.filter((f) => !done.has(versionKey(f.version))).map((f) => f.id);
    };
    if (!config.plan)
        await acquire(engine, config.lockTimeoutMs, ctx);
    try {
        if (!config.plan)
            await engine.ensureHistory();
        const applied = await engine.applied();
        const steps = planSteps(config.files, applied, config.down, ctx.logger);
        report.pending = pendingNow(applied);
        report.plan = steps.map(describeStep);
        report.planned = true;
        if (config.plan)
            return;
        for (const step of steps) {
            const { id } = step;
            ctx.logger.info(`${describeStep(step)} ...`);
            try {
                await engine.apply(step);
            }
            catch (error) {
                report.failed = id;
                throw error;
            }
            if (step.direction === 'up') {
                report.applied.push(id);
                report.pending = report.pending.filter((p) => p !== id);
            }
            else {
                report.rolledBack.push(id);
                report.pending = config.files.map((f) => f.id).filter((f) => f === id || report.pending.includes(f));
            }
        }
    }
    finally {
        if (!config.plan)
            await engine
                .unlock()
                .catch((error) => ctx.logger.warning(`could not release the migration lock: ${error.message}`));
    }
}

;// CONCATENATED MODULE: ./src/migrate/sql.ts




/** The built-in runner: read the files (a bad file fails before connecting), connect, run (filling `report`), close. */
async function migrateSql(config, ctx, report) {
    const files = loadMigrations(config.dir);
    ctx.logger.info(`${files.length} migration file(s) in ${config.dir}; database ${config.url.display}`);
    const engine = await connectEngine(config.url, { exec: ctx.exec, logger: ctx.logger, runUrl: ctx.env.runUrl });
    try {
        await runMigrations(engine, { files, plan: config.plan, down: config.down, lockTimeoutMs: config.lockTimeoutMs }, ctx, report);
    }
    finally {
        await engine.close().catch((error) => ctx.logger.warning(`closing the database connection: ${(0,errors/* errorMessage */.gJ)(error)}`));
    }
}


/***/ })

};
