export const id = 495;
export const ids = [495];
export const modules = {

/***/ 1495:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   STATE_LOCKS: () => (/* binding */ STATE_LOCKS),
/* harmony export */   releasePost: () => (/* binding */ releasePost)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4296);
/* harmony import */ var _ssh_connect_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1456);
/* harmony import */ var _lock_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(4722);
/* harmony import */ var _upload_local_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2764);
/* harmony import */ var _upload_ssh_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6141);







const STATE_LOCKS = 'deploy-locks';
/**
 * The post step of backend and rollback: releases every deploy lock the main step still held when
 * it ended (killed, or cancelled before it could), then closes the control sockets and removes the
 * key. Light when nothing is held: no connection at all. Never throws.
 */
async function releasePost(ctx) {
    const raw = ctx.state.get(STATE_LOCKS);
    if (raw) {
        try {
            await releaseHeld(JSON.parse(raw), ctx);
        }
        catch (error) {
            ctx.logger.warning(`could not release the deploy lock: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error)}`);
        }
    }
    await (0,_ssh_connect_js__WEBPACK_IMPORTED_MODULE_3__/* .sshPost */ .re)(ctx);
}
async function releaseHeld(locks, ctx) {
    const dir = ctx.state.get(_ssh_connect_js__WEBPACK_IMPORTED_MODULE_3__/* .STATE_SSH_DIR */ .F3);
    for (const { target, token } of locks.held) {
        let transport;
        if (locks.transport === 'local' || !target)
            transport = (0,_upload_local_js__WEBPACK_IMPORTED_MODULE_4__/* .localTransport */ .h)(ctx.exec);
        else {
            const keyFile = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, 'id');
            const files = { dir, keyFile: (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(keyFile) ? keyFile : undefined, knownHostsFile: (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, 'known_hosts') };
            const auth = { hostFingerprints: [], insecureSkipHostKeyCheck: locks.insecure, jumpHost: locks.jumpHost };
            transport = (0,_upload_ssh_js__WEBPACK_IMPORTED_MODULE_5__/* .sshTransport */ .W)(ctx.exec, files, auth, target);
        }
        const result = await transport.run((0,_lock_js__WEBPACK_IMPORTED_MODULE_6__/* .releaseLockScript */ .s)(locks.root, token));
        if (result.exitCode === 0)
            ctx.logger.info(`${transport.label}: released the deploy lock this run still held`);
        else
            ctx.logger.warning(`${transport.label}: could not release the deploy lock: ${result.stderr.trim()}`);
    }
}


/***/ }),

/***/ 2764:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   h: () => (/* binding */ localTransport)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4296);
/* harmony import */ var _transport_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4738);



/** The release layout on the runner's own disk: self-hosted runners and the demo. */
function localTransport(exec) {
    return {
        label: 'local',
        run: (script) => exec.run(['bash', '--noprofile', '--norc', '-s'], { stdin: _transport_js__WEBPACK_IMPORTED_MODULE_2__/* .SCRIPT_PRELUDE */ .i + script }),
        async upload(localDir, remoteDir, options) {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdirSync)(remoteDir, { recursive: true });
            const result = await exec.run(['rsync', ...(0,_transport_js__WEBPACK_IMPORTED_MODULE_2__/* .rsyncArgs */ .ju)(localDir, remoteDir, options)]);
            if (result.exitCode !== 0)
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .CommandError */ .Qd('rsync to the local release directory', result.exitCode, (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .tail */ .RT)(result.stderr));
            return { method: 'rsync', bytesSent: (0,_transport_js__WEBPACK_IMPORTED_MODULE_2__/* .parseRsyncBytesSent */ .U2)(result.stdout) };
        },
        close: async () => undefined,
    };
}


/***/ }),

/***/ 6141:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   W: () => (/* binding */ sshTransport)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4296);
/* harmony import */ var _core_shell_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6673);
/* harmony import */ var _ssh_session_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(302);
/* harmony import */ var _ssh_target_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4889);
/* harmony import */ var _transport_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(4738);







/** A release host over OpenSSH: scripts on the shared connection, uploads by rsync (tar where the host has none). */
function sshTransport(exec, files, auth, target) {
    const label = (0,_ssh_target_js__WEBPACK_IMPORTED_MODULE_4__/* .targetLabel */ .Op)(target);
    const ssh = (0,_ssh_session_js__WEBPACK_IMPORTED_MODULE_3__/* .sshPrefix */ .B_)(files, auth, target);
    const dest = (0,_ssh_session_js__WEBPACK_IMPORTED_MODULE_3__/* .destination */ .j_)(target);
    const fail = (what, code, stdout, stderr) => new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .CommandError */ .Qd(`${what} on ${label}`, code, (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .tail */ .RT)(`${stdout}\n${stderr}`), (0,_ssh_session_js__WEBPACK_IMPORTED_MODULE_3__/* .explainSshFailure */ .cB)(label, stderr, auth.jumpHost));
    return {
        label,
        async run(script) {
            const result = await exec.run((0,_ssh_session_js__WEBPACK_IMPORTED_MODULE_3__/* .sshArgv */ .pL)(files, auth, target, (0,_core_shell_js__WEBPACK_IMPORTED_MODULE_5__/* .shellCommand */ .q$)(['bash', '--noprofile', '--norc', '-s'])), {
                stdin: _transport_js__WEBPACK_IMPORTED_MODULE_6__/* .SCRIPT_PRELUDE */ .i + script,
            });
            // 255 is ssh's own failure (connection, auth, host key), not the script's.
            if (result.exitCode === 255)
                throw fail('ssh connection', 255, '', result.stderr);
            return result;
        },
        async upload(localDir, remoteDir, options) {
            const remoteRsync = options.remoteRsync ?? (await this.run('command -v rsync >/dev/null && echo rsync || echo none')).stdout.trim() === 'rsync';
            if (remoteRsync) {
                const rsh = (0,_core_shell_js__WEBPACK_IMPORTED_MODULE_5__/* .shellCommand */ .q$)(ssh);
                const result = await exec.run(['rsync', '-e', rsh, ...(0,_transport_js__WEBPACK_IMPORTED_MODULE_6__/* .rsyncArgs */ .ju)(localDir, `${dest}:${remoteDir}`, options)]);
                if (result.exitCode !== 0)
                    throw fail('rsync', result.exitCode, '', result.stderr);
                return { method: 'rsync', bytesSent: (0,_transport_js__WEBPACK_IMPORTED_MODULE_6__/* .parseRsyncBytesSent */ .U2)(result.stdout) };
            }
            // No rsync on the host: a full tar stream, so no hard links to the previous release.
            const archive = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(files.dir, 'release.tar');
            const excludes = options.exclude.map((p) => `--exclude=${p}`);
            const tar = await exec.run(['tar', '-C', localDir, ...excludes, '-cf', archive, '.']);
            if (tar.exitCode !== 0)
                throw fail('tar', tar.exitCode, '', tar.stderr);
            try {
                const remote = (0,_core_shell_js__WEBPACK_IMPORTED_MODULE_5__/* .shellCommand */ .q$)(['sh', '-c', 'mkdir -p "$1" && tar -xf - -C "$1"', 'sh', remoteDir]);
                const result = await exec.run((0,_ssh_session_js__WEBPACK_IMPORTED_MODULE_3__/* .sshArgv */ .pL)(files, auth, target, remote), { stdin: (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createReadStream)(archive) });
                if (result.exitCode !== 0)
                    throw fail('tar upload', result.exitCode, '', result.stderr);
                return { method: 'tar', bytesSent: (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)(archive).size };
            }
            finally {
                (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(archive, { force: true });
            }
        },
        close: async () => {
            await exec.run([...ssh, '-O', 'exit', dest]).catch(() => undefined);
        },
    };
}


/***/ }),

/***/ 4738:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   U2: () => (/* binding */ parseRsyncBytesSent),
/* harmony export */   i: () => (/* binding */ SCRIPT_PRELUDE),
/* harmony export */   ju: () => (/* binding */ rsyncArgs)
/* harmony export */ });
const SCRIPT_PRELUDE = 'set -euo pipefail\n';
/** rsync --stats prints "Total bytes sent: 1,234"; older versions print it without separators. */
function parseRsyncBytesSent(stats) {
    const match = /Total bytes sent:\s*([\d,.]+)/.exec(stats);
    return match ? Number(match[1].replace(/[,.]/g, '')) : 0;
}
function rsyncArgs(source, destination, options) {
    // --checksum: with --link-dest, rsync's size+mtime check would link a changed file of the same size
    // from the previous release when the build gives fixed mtimes (SOURCE_DATE_EPOCH, Nix, Bazel).
    const args = ['-a', '--checksum', '--delete', '--stats'];
    if (options.linkDest)
        args.push(`--link-dest=${options.linkDest}`);
    for (const pattern of options.exclude)
        args.push(`--exclude=${pattern}`);
    args.push(`${source.replace(/\/+$/, '')}/`, destination);
    return args;
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

/***/ 302:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B_: () => (/* binding */ sshPrefix),
/* harmony export */   KC: () => (/* binding */ createSshFiles),
/* harmony export */   NE: () => (/* binding */ pinFingerprints),
/* harmony export */   cB: () => (/* binding */ explainSshFailure),
/* harmony export */   "in": () => (/* binding */ cleanupSshDir),
/* harmony export */   j_: () => (/* binding */ destination),
/* harmony export */   pL: () => (/* binding */ sshArgv)
/* harmony export */ });
/* unused harmony exports sshOptions, jumpHostHint, diagnoseJumpHost, withSshHint */
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
    const label = `jump-host ${targetLabel(jump)}`;
    const name = jump.port === 22 ? jump.host : `[${jump.host}]:${jump.port}`;
    const [scan, pinned] = await Promise.all([
        exec.run(['ssh-keyscan', '-T', '10', '-p', String(jump.port), jump.host]),
        exec.run(['ssh-keygen', '-F', name, '-f', files.knownHostsFile]),
    ]);
    const blob = (line) => line.trim().split(/\s+/).slice(1, 3).join(' ');
    const presented = parseKeyscan(scan.stdout);
    if (presented.length === 0)
        return `ssh-keyscan found no host key on ${label}: ${tail(scan.stderr, 3) || 'no answer'}`;
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
    if (!(error instanceof CommandError) || error.exitCode !== 255 || error.hint)
        return error;
    const hint = explainSshFailure(label, error.outputTail, jumpHost);
    return hint ? new CommandError(error.what, error.exitCode, error.outputTail, hint) : error;
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
