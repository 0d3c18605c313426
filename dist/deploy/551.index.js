export const id = 551;
export const ids = [551,608];
export const modules = {

/***/ 7551:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  throughSource: () => (/* binding */ throughSource)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(74296);
// EXTERNAL MODULE: ./src/core/inputs.ts
var inputs = __webpack_require__(89114);
// EXTERNAL MODULE: ./src/core/missing-secret.ts
var missing_secret = __webpack_require__(81360);
// EXTERNAL MODULE: ./src/db/url.ts
var url = __webpack_require__(50879);
// EXTERNAL MODULE: ./src/ssh/forward.ts + 2 modules
var forward = __webpack_require__(92608);
// EXTERNAL MODULE: ./src/ssh/inputs.ts
var ssh_inputs = __webpack_require__(7241);
;// CONCATENATED MODULE: ./src/backup/files/inputs.ts




/** A files backup's name (its key directory, and what confirm must equal): like a database name. */
const FILES_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,62}$/;
const filesInputs = {
    paths: (0,inputs/* list */.p_)(),
    exclude: (0,inputs/* list */.p_)(),
    name: (0,inputs/* pattern */.T1)(FILES_NAME, 'a name of letters, digits, "_" or "-" (the key directory of a files backup)'),
};
/**
 * Checks `paths` (directories on source-host, else on the runner; relative ones are under the login
 * directory there, the workspace here): plain path characters, no "..", and distinct last segments,
 * which name them inside the archive.
 */
function filesPaths(paths, options) {
    const seen = new Set();
    return paths.map((raw) => {
        const trimmed = raw.replace(/\/+$/, '');
        if (!isSafeRemotePath(trimmed) || trimmed === '.')
            throw new ConfigurationError(`input "paths": expected directories of letters, digits, ".", "_", "-", "@", "+", "/" without "..", spaces or a leading "-", got ${JSON.stringify(raw)}`);
        const path = options.remote || isAbsolute(trimmed) ? trimmed : resolve(options.workspace, trimmed);
        const base = posix.basename(path);
        if (base.startsWith('-') || base === '.')
            throw new ConfigurationError(`input "paths": ${JSON.stringify(raw)} cannot be archived by its name`);
        if (seen.has(base))
            throw new ConfigurationError(`input "paths": two directories end in "${base}"; the archive names each by its last segment, so back them up in separate steps (name: ...)`);
        seen.add(base);
        return { path, parent: posix.dirname(path), base };
    });
}
/** `name`, or the last segment of the first path. */
function filesName(inputs) {
    const name = inputs.name ?? posix.basename(inputs.paths[0].replace(/\/+$/, '')).replace(/[^A-Za-z0-9_-]/g, '_');
    if (!FILES_NAME.test(name))
        throw new ConfigurationError(`input "name": expected letters, digits, "_" or "-", got ${JSON.stringify(name)}`);
    return name;
}

;// CONCATENATED MODULE: ./src/backup/source/session.ts










/** `name` or `compose:<service>`. */
const CONTAINER = /^(?:compose:)?[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
/** Where the data lives; the SSH inputs (ssh-key, known-hosts, host-fingerprint, jump-host, user) are the target's. */
const sourceInputs = {
    'source-host': (0,inputs/* optionalText */.mR)(),
    'dump-on': (0,inputs/* choice */.Yq)(['runner', 'host'], 'runner'),
    container: (0,inputs/* pattern */.T1)(CONTAINER, 'a container name, or compose:<service> (letters, digits, "_", "." and "-")'),
    'compose-project': (0,inputs/* pattern */.T1)(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'a compose project name of lower-case letters, digits, "_" and "-"'),
    'deploy-path': (0,inputs/* optionalText */.mR)(),
    ...filesInputs,
};
/** Checks source-host, dump-on and paths together, before anything connects; `database` is whether database-url is set. */
function checkSourceInputs(inputs, database) {
    if (!database && inputs.paths.length === 0)
        throw missingSecret('database-url', 'it says which database (postgres://..., mysql://..., sqlite:///path); or give paths for a files backup');
    if (database && inputs.paths.length > 0)
        throw new ConfigurationError('input "paths": a step backs up either a database (database-url) or files (paths); use two steps for both');
    const compose = inputs.container?.startsWith('compose:');
    if (compose && !inputs['compose-project'] && !inputs['deploy-path'])
        throw new ConfigurationError('input "compose-project": container: compose:<service> needs the compose project the service belongs to; set compose-project or deploy-path (the deploy\'s path, whose project mode: compose uses)');
    if (inputs['deploy-path'] !== undefined)
        checkDeployPath(inputs['deploy-path'], compose);
    if (inputs.container && !database)
        throw new ConfigurationError('input "container": only for database backups (files backups read paths on the host)');
    if (database && inputs.name)
        throw new ConfigurationError('input "name": only for files backups (paths); a database backup is named by its database');
    if (inputs['dump-on'] === 'host' && !inputs['source-host'])
        throw new ConfigurationError('input "dump-on": host runs the dump tool on source-host; set source-host ([user@]host[:port])');
    if (inputs['source-host'])
        parseSourceHost(inputs['source-host'], inputs.user);
    // parseDatabaseUrl resolves a relative SQLite path against the runner's workspace, which is not where the file is.
    if (inputs['dump-on'] === 'host' && inputs['database-url'] && isRelativeSqliteUrl(inputs['database-url']))
        throw new ConfigurationError('input "database-url": with dump-on: host the SQLite file is on source-host; give its absolute path there (sqlite:///srv/app/db.sqlite3)');
}
function checkDeployPath(path, compose) {
    if (!compose)
        throw new ConfigurationError('input "deploy-path": only used with container: compose:<service>, to find its compose project');
    if (!isSafeRemotePath(path) || posix.normalize(path) === '/')
        throw new ConfigurationError(`input "deploy-path": expected the deploy's path as given to backend (letters, digits, ".", "_", "-", "/" without ".." or spaces), got ${JSON.stringify(path)}`);
}
/**
 * The compose project of `container: compose:<service>`: compose-project, else the one mode: compose
 * deploys deploy-path under (its last segment as a compose name); undefined for a plain container.
 */
function sourceComposeProject(inputs) {
    if (!inputs.container?.startsWith('compose:'))
        return undefined;
    return inputs['deploy-path'] ? composeProject(inputs['deploy-path'], inputs['compose-project']) : inputs['compose-project'];
}
/** The pinned connection to source-host, with the same ssh-key, known-hosts/host-fingerprint and jump-host as the target. */
async function connectSource(inputs, ctx) {
    const host = (0,forward.parseSourceHost)(inputs['source-host'], inputs.user);
    const config = (0,ssh_inputs/* connectionConfig */.tv)({ ...inputs, transport: 'ssh', hosts: [inputs['source-host']], path: '.' });
    return (0,forward.openSourceSession)({ ...config, hosts: [host] }, ctx);
}

;// CONCATENATED MODULE: ./src/db/tunnel.ts

/**
 * Where the database listens as seen from source-host: `127.0.0.1:5432`, or for PostgreSQL a Unix
 * socket directory (`?host=/var/run/postgresql`, socket `.s.PGSQL.<port>` in it, as libpq names it).
 */
function remoteEndpoint(db) {
    if (db.engine === 'sqlite')
        throw new errors/* ConfigurationError */.j1('input "source-host": a SQLite database is a file, not a server to tunnel to; use dump-on: host to back it up (or restore it) on source-host');
    if (db.host.startsWith('/')) {
        if (db.engine !== 'postgres')
            throw new errors/* ConfigurationError */.j1('input "database-url": a socket path as host is only understood for PostgreSQL; give MySQL/MariaDB as 127.0.0.1:3306 (as seen from source-host)');
        return { socket: `${db.host.replace(/\/+$/, '')}/.s.PGSQL.${db.port}` };
    }
    return { host: db.host, port: db.port };
}
/** The same database reached through the forward's local end on 127.0.0.1. */
function throughForward(db, forward) {
    const params = { ...db.params };
    delete params.host;
    return { ...db, host: '127.0.0.1', port: forward.port, params };
}
/** A database URL string pointed at the forward (for an app's own migration tool given DATABASE_URL). */
function urlThroughForward(raw, forward) {
    const url = new URL(raw);
    url.hostname = '127.0.0.1';
    url.port = String(forward.port);
    url.searchParams.delete('host');
    return url.toString();
}
/** Opens the local forward to the database on source-host and returns the database as reached through it. */
async function tunnelTo(session, db) {
    const endpoint = remoteEndpoint(db);
    const forward = await session.forward(endpoint);
    return { db: throughForward(db, forward), forward };
}

;// CONCATENATED MODULE: ./src/migrate/source.ts



/**
 * With source-host, the database in database-url is as seen from that machine: the runner-side
 * tools (the built-in SQL runner, an app's tool given DATABASE_URL) reach it through an SSH local
 * forward on one pinned connection, open for the length of `fn`.
 */
async function throughSource(inputs, url, ctx, fn) {
    const spec = inputs['source-host'];
    if (!spec)
        return fn(url);
    if (url.engine === 'sqlite')
        throw new errors/* ConfigurationError */.j1('input "source-host": a SQLite database is a file on that machine; run the migration there (where: ssh)');
    const session = await connectSource({ ...inputs, 'source-host': spec }, ctx);
    try {
        const { db, forward } = await tunnelTo(session, url);
        ctx.logger.info(`reaching ${url.display} through a forward to ${session.label} (127.0.0.1:${forward.port} here)`);
        const raw = urlThroughForward(url.raw, forward);
        return await fn({ ...db, raw });
    }
    finally {
        await session.close();
    }
}


/***/ }),

/***/ 92608:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  STATE_SOURCE_SSH_DIR: () => (/* binding */ STATE_SOURCE_SSH_DIR),
  forwardSpec: () => (/* binding */ forwardSpec),
  openSourceSession: () => (/* binding */ openSourceSession),
  parseSourceHost: () => (/* binding */ parseSourceHost),
  sourceAndTargetPost: () => (/* binding */ sourceAndTargetPost),
  sourcePost: () => (/* binding */ sourcePost)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(74296);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(77030);
;// CONCATENATED MODULE: ./src/core/ports.ts

/** A free TCP port on 127.0.0.1, chosen by the kernel (for a local forward or a scratch server). */
function freeLocalPort() {
    return new Promise((resolve, reject) => {
        const server = (0,external_node_net_.createServer)();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
        });
    });
}

// EXTERNAL MODULE: ./src/core/shell.ts
var shell = __webpack_require__(36673);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(31421);
;// CONCATENATED MODULE: ./src/core/stream-process.ts



/** Exit 0 resolves; anything else rejects with the exit code and the tail of stderr. */
function settled(what, file, child) {
    let stderr = '';
    child.stderr.on('data', (chunk) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-8192);
    });
    child.stdin?.on('error', () => undefined);
    const done = new Promise((resolve, reject) => {
        child.on('error', (error) => reject(error.code === 'ENOENT' ? new errors/* CommandError */.Qd(what, 127, `${file} is not installed or not on PATH`) : error));
        // Settled on exit once stderr is read, not on 'close': 'close' also waits for stdout, which a
        // failed pipeline may have stopped reading, and then neither settles nor keeps node alive.
        const stderrDone = new Promise((done) => child.stderr.once('close', () => done()));
        child.on('exit', (code, signal) => {
            void stderrDone.then(() => {
                if (code === 0)
                    resolve();
                else
                    reject(new errors/* CommandError */.Qd(what, code ?? 128, (0,errors/* tail */.RT)(stderr) || (signal ? `killed by ${signal}` : '')));
            });
        });
    });
    done.catch(() => undefined);
    return done;
}
function start(argv, env, stdio) {
    const [file, ...args] = argv;
    if (!file)
        throw new Error('empty command');
    // `stdio` holds 'pipe', 'ignore' or a stream with a file descriptor (spawn duplicates it into the child).
    const child = (0,external_node_child_process_.spawn)(file, args, { env: { ...process.env, ...env }, stdio: stdio });
    return { file, child };
}
/**
 * Spawns argv without a shell. `env` is added to the inherited environment, which is how passwords
 * (PGPASSWORD, MYSQL_PWD) reach the tools without ever appearing in argv.
 */
function spawnStreaming(what, argv, env = {}) {
    const { file, child } = start(argv, env, ['pipe', 'pipe', 'pipe']);
    return { stdin: child.stdin, stdout: child.stdout, done: settled(what, file, child), kill: () => void child.kill('SIGKILL') };
}
/**
 * Spawns argv with its stdout connected to `into` (the stdin of a process spawned before, see
 * spawnStreaming, or a file descriptor): the child writes straight into the other process. Node's own end of `into` is
 * closed here, so the other process sees end-of-file when this one exits.
 */
function spawnInto(what, argv, into, options) {
    // A number is a file descriptor (a file opened for it): the child writes the file, node's copy is closed.
    const { file, child } = start(argv, options.env ?? {}, [options.stdin, into, 'pipe']);
    if (typeof into === 'number')
        closeSync(into);
    else
        into.destroy();
    return { stdin: child.stdin ?? undefined, done: settled(what, file, child), kill: () => void child.kill('SIGKILL') };
}
/** Runs a command whose stdout is the product (a dump), with nothing (or its `input`) on its stdin. */
function dumpOf(command) {
    const proc = spawnStreaming(command.what, command.argv, command.env);
    proc.stdin.end(command.input);
    return { stdout: proc.stdout, done: explained(command, proc.done) };
}
/** `done` with the command's own explanation of a failure. */
function explained(command, done) {
    if (!command.explain)
        return done;
    const better = done.catch((error) => Promise.reject(command.explain(error)));
    better.catch(() => undefined);
    return better;
}

// EXTERNAL MODULE: ./src/ssh/connect.ts
var connect = __webpack_require__(81456);
// EXTERNAL MODULE: ./src/ssh/session.ts
var ssh_session = __webpack_require__(20302);
// EXTERNAL MODULE: ./src/ssh/target.ts
var ssh_target = __webpack_require__(64889);
;// CONCATENATED MODULE: ./src/ssh/forward.ts









/** The state key of the source connection's files, separate from the storage target's (both may be open). */
const STATE_SOURCE_SSH_DIR = 'source-ssh-dir';
/** `[user@]host[:port]` of source-host, checked like `hosts`. */
function parseSourceHost(spec, user) {
    try {
        return (0,ssh_target/* parseTarget */.hu)(spec, { user });
    }
    catch (error) {
        throw new errors/* ConfigurationError */.j1(`input "source-host": ${(0,errors/* errorMessage */.gJ)(error)}`);
    }
}
/** The -L argument: local TCP port → remote TCP port or socket. */
function forwardSpec(localPort, remote) {
    const far = 'socket' in remote ? remote.socket : `${remote.host.includes(':') ? `[${remote.host}]` : remote.host}:${remote.port}`;
    return typeof localPort === 'string' ? `${localPort}:${far}` : `127.0.0.1:${localPort}:${far}`;
}
/** Opens the ControlMaster to `config.hosts[0]` (host key pinned as everywhere) and returns the session on it. */
async function openSourceSession(config, ctx) {
    const target = config.hosts[0];
    const label = (0,ssh_target/* targetLabel */.Op)(target);
    // prepareSsh records its directory under the storage target's state key too: open the source before the target.
    const files = await (0,connect/* prepareSsh */.ix)(config, ctx);
    ctx.state.save(STATE_SOURCE_SSH_DIR, files.dir);
    // The master lives until close (or the post step): a forward carries no session, so an idle timeout would drop it mid-run.
    // ClearAllForwardings=no (the first value of an option wins): the shared options clear forwards, and -O forward -L is one.
    const ssh = [
        'ssh',
        '-o',
        'ControlPersist=yes',
        '-o',
        'ClearAllForwardings=no',
        ...(0,ssh_session/* sshOptions */.bN)(files, config.auth),
        '-p',
        String(target.port),
    ];
    const dest = (0,ssh_session/* destination */.j_)(target);
    const remote = (argv) => [...ssh, dest, (0,shell/* shellCommand */.q$)(argv)];
    const control = async (what, args) => {
        const result = await ctx.exec.run([...ssh, ...args, dest]);
        if (result.exitCode !== 0)
            throw new errors/* CommandError */.Qd(`${what} on ${label}`, result.exitCode, (0,errors/* tail */.RT)(result.stderr), (0,ssh_session/* explainSshFailure */.cB)(label, result.stderr, config.auth.jumpHost));
    };
    const session = {
        label,
        spawn(what, argv) {
            const proc = spawnStreaming(`${what} on ${label}`, remote(argv));
            proc.done.catch(() => undefined);
            return { ...proc, done: proc.done.catch((error) => Promise.reject((0,ssh_session/* withSshHint */.ye)(error, label, config.auth.jumpHost))) };
        },
        command: (what, argv) => ({
            what: `${what} on ${label}`,
            argv: remote(argv),
            explain: (error) => (0,ssh_session/* withSshHint */.ye)(error, label, config.auth.jumpHost),
        }),
        run: (argv) => ctx.exec.run(remote(argv)),
        async forward(endpoint) {
            // The free port is picked here and bound by the master; another process may take it in between, so a few tries.
            for (let attempt = 1;; attempt += 1) {
                const port = await freeLocalPort();
                const spec = forwardSpec(port, endpoint);
                try {
                    await control('port forward', ['-O', 'forward', '-L', spec]);
                    return { port, close: () => control('closing the port forward', ['-O', 'cancel', '-L', spec]).catch(() => undefined) };
                }
                catch (error) {
                    if (attempt >= 3)
                        throw error;
                }
            }
        },
        async forwardSocket(endpoint, name) {
            const path = (0,external_node_path_.join)((0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(files.dir, 'fw-')), name);
            await control('socket forward', ['-O', 'forward', '-L', forwardSpec(path, endpoint)]);
            return { path };
        },
        async close() {
            await (0,ssh_session/* cleanupSshDir */["in"])(ctx.exec, files.dir, ctx.logger);
        },
    };
    try {
        const check = await session.run(['true']);
        if (check.exitCode !== 0) {
            const jump = config.auth.jumpHost;
            const cause = jump && check.exitCode === 255 ? await (0,ssh_session/* diagnoseJumpHost */.TW)(ctx.exec, files, config.auth) : undefined;
            throw new errors/* OperationalError */.LE(`cannot connect to source-host ${label}${cause ? `: ${cause}` : ''}: ${(0,errors/* tail */.RT)(check.stderr) || `exit ${check.exitCode}`}`, (cause && jump ? (0,ssh_session/* jumpHostHint */.Uw)(label, jump, true) : (0,ssh_session/* explainSshFailure */.cB)(label, check.stderr, jump)) ??
                'Check source-host, ssh-key and known-hosts / host-fingerprint.');
        }
    }
    catch (error) {
        await session.close();
        throw error;
    }
    ctx.logger.info(`connected to source-host ${label} (one pinned connection for every forward and remote command)`);
    return session;
}
/** Closes the source connection a main step left (killed before it could); never throws. */
async function sourcePost(ctx) {
    const dir = ctx.state.get(STATE_SOURCE_SSH_DIR);
    if (dir)
        await (0,ssh_session/* cleanupSshDir */["in"])(ctx.exec, dir, ctx.logger);
}
/** The post step of an action with a source connection and an SSH target: closes both; never throws. */
async function sourceAndTargetPost(ctx) {
    await sourcePost(ctx);
    await (0,connect/* sshPost */.re)(ctx);
}


/***/ })

};
