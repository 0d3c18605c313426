export const id = 608;
export const ids = [608];
export const modules = {

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
