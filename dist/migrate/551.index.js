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
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/core/inputs.ts
var inputs = __webpack_require__(9114);
// EXTERNAL MODULE: ./src/core/missing-secret.ts
var missing_secret = __webpack_require__(1360);
// EXTERNAL MODULE: ./src/db/url.ts
var url = __webpack_require__(879);
// EXTERNAL MODULE: ./src/ssh/forward.ts + 2 modules
var forward = __webpack_require__(2608);
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

/***/ 1456:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F3: () => (/* binding */ STATE_SSH_DIR),
/* harmony export */   ix: () => (/* binding */ prepareSsh),
/* harmony export */   re: () => (/* binding */ sshPost)
/* harmony export */ });
/* harmony import */ var _core_missing_secret_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1360);
/* harmony import */ var _session_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(302);


const STATE_SSH_DIR = 'ssh-dir';
/**
 * Warns about an unpinned host key, writes the key and known_hosts files (recorded for the post
 * step) and pins fingerprints; when pinning fails the files are removed before the error goes on.
 */
async function prepareSsh(config, ctx) {
    // On a runner there is no other key to log in with; the CLI may use the user's agent or ~/.ssh.
    if (!config.auth.privateKey && ctx.env.eventName !== 'cli')
        throw (0,_core_missing_secret_js__WEBPACK_IMPORTED_MODULE_0__/* .missingSecret */ .bk)('ssh-key', 'transport ssh logs in to the hosts with it');
    if (config.auth.insecureSkipHostKeyCheck) {
        ctx.logger.warning('insecure-skip-host-key-check is true: any host key is accepted, so a man in the middle could take over this connection. Pin the key with known-hosts or host-fingerprint.');
    }
    const files = (0,_session_js__WEBPACK_IMPORTED_MODULE_1__/* .createSshFiles */ .KC)(ctx.env.tempDir, config.auth);
    ctx.state.save(STATE_SSH_DIR, files.dir);
    try {
        if (config.auth.hostFingerprints.length > 0 && !config.auth.insecureSkipHostKeyCheck) {
            for (const target of config.hosts)
                await (0,_session_js__WEBPACK_IMPORTED_MODULE_1__/* .pinFingerprints */ .NE)(ctx.exec, files, target, config.auth.hostFingerprints);
        }
    }
    catch (error) {
        await (0,_session_js__WEBPACK_IMPORTED_MODULE_1__/* .cleanupSshDir */ ["in"])(ctx.exec, files.dir, ctx.logger);
        throw error;
    }
    return files;
}
/** The post step of every SSH action: close control sockets and remove the key, even after a failure. */
async function sshPost(ctx) {
    const dir = ctx.state.get(STATE_SSH_DIR);
    if (dir)
        await (0,_session_js__WEBPACK_IMPORTED_MODULE_1__/* .cleanupSshDir */ ["in"])(ctx.exec, dir, ctx.logger);
}


/***/ }),

/***/ 2608:
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
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
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
var shell = __webpack_require__(6673);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
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
var connect = __webpack_require__(1456);
// EXTERNAL MODULE: ./src/ssh/session.ts
var ssh_session = __webpack_require__(302);
// EXTERNAL MODULE: ./src/ssh/target.ts
var ssh_target = __webpack_require__(4889);
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


/***/ }),

/***/ 302:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B_: () => (/* binding */ sshPrefix),
/* harmony export */   KC: () => (/* binding */ createSshFiles),
/* harmony export */   NE: () => (/* binding */ pinFingerprints),
/* harmony export */   TW: () => (/* binding */ diagnoseJumpHost),
/* harmony export */   Uw: () => (/* binding */ jumpHostHint),
/* harmony export */   bN: () => (/* binding */ sshOptions),
/* harmony export */   cB: () => (/* binding */ explainSshFailure),
/* harmony export */   "in": () => (/* binding */ cleanupSshDir),
/* harmony export */   j_: () => (/* binding */ destination),
/* harmony export */   pL: () => (/* binding */ sshArgv),
/* harmony export */   ye: () => (/* binding */ withSshHint)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4296);
/* harmony import */ var _core_shell_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6673);
/* harmony import */ var _hostkeys_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2326);
/* harmony import */ var _target_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4889);






function createSshFiles(tempDir, auth) {
    const dir = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdtempSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(tempDir, 'dk-'));
    if (/['"\s]/.test(dir))
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`the temp directory ${dir} contains spaces or quotes; set RUNNER_TEMP to a plain path`);
    let keyFile;
    if (auth.privateKey) {
        keyFile = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, 'id');
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.writeFileSync)(keyFile, auth.privateKey.endsWith('\n') ? auth.privateKey : `${auth.privateKey}\n`, { mode: 0o600 });
    }
    const knownHostsFile = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, 'known_hosts');
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.writeFileSync)(knownHostsFile, auth.knownHosts ?? '', { mode: 0o600 });
    return { dir, keyFile, knownHostsFile };
}
/** Closes every ControlMaster in the directory and removes it with the key; never throws. */
async function cleanupSshDir(exec, dir, logger) {
    try {
        for (const name of (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readdirSync)(dir)) {
            if (!name.startsWith('cm-'))
                continue;
            await exec.run(['ssh', '-F', '/dev/null', '-o', `ControlPath=${(0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, name)}`, '-O', 'exit', 'deploy-kit']).catch(() => undefined);
        }
    }
    catch {
        /* the directory is already gone */
    }
    try {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(dir, { recursive: true, force: true });
    }
    catch (error) {
        logger.warning(`could not remove ${dir}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error)}`);
    }
}
function destination(target) {
    return target.user ? `${target.user}@${target.host}` : target.host;
}
/**
 * Options every ssh of a run behaves the same with, whatever ~/.ssh/config or /etc/ssh/ssh_config on
 * the runner (or a laptop) say: no config file is read (-F /dev/null) and each option is explicit.
 */
const FIXED_OPTIONS = [
    'BatchMode=yes',
    'ConnectTimeout=15',
    'ServerAliveInterval=15',
    'ServerAliveCountMax=4',
    'PasswordAuthentication=no',
    'KbdInteractiveAuthentication=no',
    'ForwardAgent=no',
    'ForwardX11=no',
    'ClearAllForwardings=yes',
    'PermitLocalCommand=no',
    'RequestTTY=no',
    'UpdateHostKeys=no',
];
/** Options shared by every ssh invocation of a run (connection, auth, host key pinning, multiplexing). */
function sshOptions(files, auth, multiplex = true) {
    const options = ['-F', '/dev/null', ...FIXED_OPTIONS.flatMap((option) => ['-o', option])];
    if (files.keyFile)
        options.push('-i', files.keyFile, '-o', 'IdentitiesOnly=yes');
    if (auth.insecureSkipHostKeyCheck) {
        options.push('-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR');
    }
    else {
        options.push('-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${files.knownHostsFile}`, '-o', 'GlobalKnownHostsFile=/dev/null');
    }
    if (multiplex)
        options.push('-o', 'ControlMaster=auto', '-o', `ControlPath=${(0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(files.dir, 'cm-%C')}`, '-o', 'ControlPersist=120');
    if (auth.jumpHost) {
        // ProxyJump would not apply these options to the jump host; ProxyCommand runs ssh with the same pinning.
        const jumpArgv = [
            'ssh',
            ...sshOptions(files, { ...auth, jumpHost: undefined }, false),
            '-p',
            String(auth.jumpHost.port),
            '-W',
            '%h:%p',
            destination(auth.jumpHost),
        ];
        options.push('-o', `ProxyCommand=${(0,_core_shell_js__WEBPACK_IMPORTED_MODULE_5__/* .shellCommand */ .q$)(jumpArgv)}`);
    }
    return options;
}
const HOST_KEY_HINT = 'The host key did not match the pinned one. Check known-hosts / host-fingerprint (ssh-keyscan -p PORT HOST | ssh-keygen -lf -); if the server was rebuilt, update the pin.';
/**
 * With ControlPersist, ssh sends the ProxyCommand's stderr to /dev/null: a jump host that refuses the
 * pin or the key shows only as the connection closing before the first byte from the far host.
 */
const PROXY_CLOSED = /kex_exchange_identification|Connection closed by UNKNOWN|ssh_exchange_identification|Connection closed by remote host/i;
function explainSshFailure(label, stderr, jumpHost) {
    if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No .* host key is known/i.test(stderr))
        return HOST_KEY_HINT;
    if (/Permission denied \(publickey/i.test(stderr))
        return `The server refused the key for ${label}: check ssh-key and the user's authorized_keys.`;
    if (/protocol version mismatch|is your shell clean/i.test(stderr)) {
        return `Something on ${label} prints output in a non-interactive shell (~/.bashrc or /etc/bash.bashrc); rsync's protocol breaks on it. Guard those lines with [[ $- == *i* ]].`;
    }
    if (jumpHost && PROXY_CLOSED.test(stderr))
        return jumpHostHint(label, jumpHost);
    return undefined;
}
/** What to check when the connection through jump-host ended before it reached `label` (`diagnosed`: the message says why already). */
function jumpHostHint(label, jumpHost, diagnosed = false) {
    const scan = `ssh-keyscan -p ${jumpHost.port} ${jumpHost.host}`;
    const first = diagnosed ? '' : `The connection through jump-host ${(0,_target_js__WEBPACK_IMPORTED_MODULE_4__/* .targetLabel */ .Op)(jumpHost)} closed before ${label} answered. `;
    return `${first}Pin the jump host's key in known-hosts beside ${label}'s (${scan} gives its line; a key that does not match is refused the same way), and check that ssh-key logs in on the jump host and that it can reach ${label}.`;
}
/**
 * Why the connection through the jump host failed, when it is the jump host's key: scans it (no login)
 * and looks its name up in the run's known_hosts (hashed lines too, by ssh-keygen -F). Undefined when
 * its key is pinned and matches (then the key, the login or the way on is to blame), or with no pinning.
 */
async function diagnoseJumpHost(exec, files, auth) {
    const jump = auth.jumpHost;
    if (!jump || auth.insecureSkipHostKeyCheck)
        return undefined;
    const label = `jump-host ${(0,_target_js__WEBPACK_IMPORTED_MODULE_4__/* .targetLabel */ .Op)(jump)}`;
    const name = jump.port === 22 ? jump.host : `[${jump.host}]:${jump.port}`;
    const [scan, pinned] = await Promise.all([
        exec.run(['ssh-keyscan', '-T', '10', '-p', String(jump.port), jump.host]),
        exec.run(['ssh-keygen', '-F', name, '-f', files.knownHostsFile]),
    ]);
    const blob = (line) => line.trim().split(/\s+/).slice(1, 3).join(' ');
    const presented = (0,_hostkeys_js__WEBPACK_IMPORTED_MODULE_3__/* .parseKeyscan */ .cI)(scan.stdout);
    if (presented.length === 0)
        return `ssh-keyscan found no host key on ${label}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .tail */ .RT)(scan.stderr, 3) || 'no answer'}`;
    const pins = new Set(pinned.stdout
        .split('\n')
        .filter((line) => line && !line.startsWith('#'))
        .map(blob));
    if (pins.size === 0)
        return `the host key of ${label} is not pinned: known-hosts has no line for ${name}`;
    if (!presented.some((key) => pins.has(blob(key.line))))
        return `host key mismatch on ${label}: it presents ${presented.map((k) => `${k.type} ${k.fingerprint}`).join(', ')}, not the key pinned in known-hosts`;
    return undefined;
}
/** A failed command that was ssh itself failing (exit 255) gets the hint of explainSshFailure. */
function withSshHint(error, label, jumpHost) {
    if (!(error instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .CommandError */ .Qd) || error.exitCode !== 255 || error.hint)
        return error;
    const hint = explainSshFailure(label, error.outputTail, jumpHost);
    return hint ? new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .CommandError */ .Qd(error.what, error.exitCode, error.outputTail, hint) : error;
}
/** Pins host keys by SHA256 fingerprint: scan, keep only keys matching a pin, or fail before any login. */
async function pinFingerprints(exec, files, target, fingerprints) {
    const scan = await exec.run(['ssh-keyscan', '-T', '10', '-p', String(target.port), target.host]);
    const keys = (0,_hostkeys_js__WEBPACK_IMPORTED_MODULE_3__/* .parseKeyscan */ .cI)(scan.stdout);
    if (keys.length === 0)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .OperationalError */ .LE(`ssh-keyscan found no host key on ${(0,_target_js__WEBPACK_IMPORTED_MODULE_4__/* .targetLabel */ .Op)(target)}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .tail */ .RT)(scan.stderr, 5) || 'no answer'}`);
    const matching = keys.filter((key) => fingerprints.includes(key.fingerprint));
    if (matching.length === 0) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .OperationalError */ .LE(`host key mismatch on ${(0,_target_js__WEBPACK_IMPORTED_MODULE_4__/* .targetLabel */ .Op)(target)}: it presents ${keys.map((k) => `${k.type} ${k.fingerprint}`).join(', ')}; expected ${fingerprints.join(' or ')}. Nothing was sent.`, HOST_KEY_HINT);
    }
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.appendFileSync)(files.knownHostsFile, `${matching.map((k) => k.line).join('\n')}\n`);
}
/** `ssh` with the run's options and the target's port, up to the destination (what rsync -e takes). */
function sshPrefix(files, auth, target) {
    return ['ssh', ...sshOptions(files, auth), '-p', String(target.port)];
}
/** The argv that runs `remoteCommand` (already quoted for the remote shell, see shellCommand) on the target. */
function sshArgv(files, auth, target, remoteCommand) {
    return [...sshPrefix(files, auth, target), destination(target), remoteCommand];
}


/***/ })

};
