export const id = 763;
export const ids = [763,495];
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

/***/ 7763:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runPresetOnRunner: () => (/* binding */ runPresetOnRunner),
  runPresetOverSsh: () => (/* binding */ runPresetOverSsh)
});

// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/db/migrate/tool-table.ts
var tool_table = __webpack_require__(7341);
// EXTERNAL MODULE: ./src/ssh/connect.ts
var connect = __webpack_require__(1456);
// EXTERNAL MODULE: ./src/ssh/session.ts
var session = __webpack_require__(302);
// EXTERNAL MODULE: ./src/core/cancel.ts
var cancel = __webpack_require__(9317);
// EXTERNAL MODULE: ./src/core/exec.ts
var exec = __webpack_require__(2642);
// EXTERNAL MODULE: ./src/core/file-sinks.ts
var file_sinks = __webpack_require__(9152);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
// EXTERNAL MODULE: ./src/core/inputs.ts
var inputs = __webpack_require__(9114);
;// CONCATENATED MODULE: ./src/core/health-host.ts




/** `health-host` and `health-forwarded-proto`, shared by backend and rollback. */
const healthRoutingInputs = {
    'health-host': (0,inputs/* pattern */.T1)(/^[A-Za-z0-9.-]+(?::\d{1,5})?$/, 'a host name with an optional :port, such as shop.example.com'),
    'health-forwarded-proto': (0,inputs/* pattern */.T1)(/^https?$/, 'https (or http)'),
};
function healthRouting(inputs) {
    return { host: inputs['health-host'], forwardedProto: inputs['health-forwarded-proto'] };
}
function routingHeaders(routing) {
    return routing.forwardedProto ? { 'x-forwarded-proto': routing.forwardedProto } : {};
}
/**
 * One GET with a Host header of our choosing: fetch always sends the URL's host, so this goes through
 * node:http(s), connecting to the URL's address with `servername` set to the public name.
 */
function getWithHost(url, headers, host, timeoutMs) {
    const target = new URL(url);
    const name = host.replace(/:\d+$/, '');
    const secure = target.protocol === 'https:';
    return new Promise((resolve, reject) => {
        const handle = (secure ? external_node_https_.request : external_node_http_.request)({
            host: target.hostname.replace(/^\[|\]$/g, ''),
            port: target.port || (secure ? 443 : 80),
            path: `${target.pathname}${target.search}`,
            headers: { ...headers, host },
            servername: secure && (0,external_node_net_.isIP)(name) === 0 ? name : undefined,
            agent: false,
        });
        const timer = setTimeout(() => handle.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        handle.on('error', (error) => {
            clearTimeout(timer);
            reject(new Error(`${error.code ?? 'request failed'}: ${error.message}`));
        });
        handle.on('response', (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk) => (body.length < 65_536 ? (body += chunk) : undefined));
            res.on('end', () => {
                clearTimeout(timer);
                resolve({ status: res.statusCode ?? 0, body });
            });
        });
        handle.end();
    });
}

// EXTERNAL MODULE: ./src/core/url-credentials.ts
var url_credentials = __webpack_require__(5969);
;// CONCATENATED MODULE: ./src/core/health.ts



function parseHealthExpect(value) {
    const match = /^([1-5]\d\d)(?:\s+(.*))?$/s.exec(value.trim());
    if (match)
        return { status: Number(match[1]), body: match[2]?.trim() || undefined };
    return value.trim() === '' ? {} : { body: value.trim() };
}
function describeExpectation(expect) {
    const parts = [expect.status ? `status ${expect.status}` : 'a 2xx status'];
    if (expect.body)
        parts.push(`body containing ${JSON.stringify(expect.body)}`);
    return parts.join(' and ');
}
/**
 * One GET; a redirect is not healthy unless the expectation names that status. Credentials in the URL
 * go as Basic auth; `routing` sets the Host header (and TLS server name) and X-Forwarded-Proto.
 */
async function checkHttp(url, expect, timeoutMs = 10_000, routing = {}) {
    const target = (0,url_credentials/* splitUrlCredentials */.C)(url);
    const headers = { ...(target.authorization ? { authorization: target.authorization } : {}), ...routingHeaders(routing) };
    if (routing.host) {
        try {
            const response = await getWithHost(target.url, headers, routing.host, timeoutMs);
            return judgeResponse(response.status, response.body, expect);
        }
        catch (error) {
            return { done: false, reason: (0,errors/* errorMessage */.gJ)(error) };
        }
    }
    let response;
    try {
        response = await fetch(target.url, { headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    }
    catch (error) {
        // fetch says only "fetch failed"; the cause says why (ECONNREFUSED, a DNS or TLS error).
        const cause = error.cause;
        return { done: false, reason: `${(0,errors/* errorMessage */.gJ)(error)}${cause ? `: ${cause.code ?? cause.message}` : ''}` };
    }
    return judgeResponse(response.status, await response.text(), expect);
}
/** Whether a status and body meet the expectation; shared by the runner-side and host-side checks. */
function judgeResponse(status, body, expect) {
    const statusOk = expect.status ? status === expect.status : status >= 200 && status < 300;
    if (!statusOk)
        return { done: false, reason: `HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}` };
    if (expect.body && !body.includes(expect.body))
        return { done: false, reason: `HTTP ${status} but the body lacks ${JSON.stringify(expect.body)}: ${body.slice(0, 200)}` };
    return { done: true, value: `HTTP ${status}` };
}

// EXTERNAL MODULE: ./src/core/retry.ts + 1 modules
var retry = __webpack_require__(1059);
// EXTERNAL MODULE: ./src/core/shell.ts
var shell = __webpack_require__(6673);
// EXTERNAL MODULE: ./src/release/lock.ts
var lock = __webpack_require__(4722);
;// CONCATENATED MODULE: ./src/release/prune.ts

/**
 * Removes the named releases (chosen by activation order, activation.ts), never the one current
 * points at. Housekeeping: a release that cannot be removed is reported (`left=`), never an error.
 */
function pruneScript(root, releases) {
    return (0,shell/* withVars */.Jj)({ root, prune: releases.join('\n') }, PRUNE_BODY);
}
/** Expects $root and $prune (one release id a line). */
const PRUNE_BODY = `
current=$(basename "$(readlink "$root/current" 2>/dev/null || true)")
while IFS= read -r old; do
  if [ -z "$old" ] || [ "$old" = "$current" ] || [ ! -d "$root/releases/$old" ]; then continue; fi
  if err=$(rm -rf -- "$root/releases/$old" 2>&1); then echo "pruned=$old"; else echo "left=$old $(printf '%s' "$err" | head -n 1)"; fi
done <<< "$prune"
`;
function parsePrune(stdout) {
    const lines = stdout.split('\n');
    const field = (name) => lines.filter((l) => l.startsWith(`${name}=`)).map((l) => l.slice(name.length + 1));
    return { pruned: field('pruned'), left: field('left') };
}

;// CONCATENATED MODULE: ./src/release/history.ts



function appendHistoryScript(root, entry) {
    return (0,shell/* withVars */.Jj)({ root, line: JSON.stringify(entry) }, `printf '%s\\n' "$line" >> "$root/.deploy-kit/history.jsonl"`);
}
/** History line, prune and unlock in one round trip (the end of a deploy); prune never fails it. */
function finishScript(root, entry, prune, token) {
    return (0,shell/* withVars */.Jj)({ root, line: JSON.stringify(entry), prune: prune.join('\n'), token }, `
printf '%s\\n' "$line" >> "$root/.deploy-kit/history.jsonl"
${PRUNE_BODY}
if [ -n "$token" ]; then
${lock/* RELEASE_LOCK_BODY */.H3}
fi
`);
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/release/host-lock.ts






/** The deploy lock of one host, held by this run: taken with a wait, renewed by a heartbeat, released. */
class HostLock {
    transport;
    root;
    ctx;
    onChange;
    heldToken;
    timer;
    constructor(transport, root, ctx, onChange = () => undefined) {
        this.transport = transport;
        this.root = root;
        this.ctx = ctx;
        this.onChange = onChange;
    }
    get token() {
        return this.heldToken;
    }
    /**
     * Waits for the lock up to lock-wait; takes over one whose heartbeat is older than lock-ttl. Runs
     * `then` (a fixed script body) in the same round trip once held, and returns its output.
     */
    async acquire(config, purpose, then = '') {
        const { env, logger, clock, signal } = this.ctx;
        const label = this.transport.label;
        const token = (0,external_node_crypto_.randomUUID)();
        // owner.json is a file on the host: redacted like every file the kit writes (the token is the kit's own).
        const owner = {
            ...(0,file_sinks/* redactValues */.se)(logger, { owner: env.actor || 'unknown', run: env.runUrl, purpose, started: new Date(clock.now()).toISOString() }),
            token,
        };
        const ttlSeconds = Math.max(1, Math.round(config.ttlMs / 1000));
        let lastHolder = '';
        let output = '';
        try {
            await (0,retry/* pollUntil */.g)({
                what: `the deploy lock on ${label}`,
                timeoutMs: config.waitMs,
                clock,
                initialDelayMs: 1000,
                maxDelayMs: 5000,
                isFatal: (error) => error instanceof errors/* CommandError */.Qd || error instanceof cancel/* CancelledError */.cc,
            }, async () => {
                (0,cancel/* checkCancelled */.S5)(signal, `waiting for the deploy lock on ${label}`);
                const result = await this.transport.run((0,lock/* acquireLockScript */.xD)(this.root, owner, ttlSeconds, then));
                output = result.stdout;
                const attempt = (0,lock/* parseLockAttempt */.mU)(output);
                if (attempt.state !== 'held') {
                    // Held now, whatever else the script says: record it before anything can fail.
                    this.hold(token, config);
                    if (result.exitCode !== 0)
                        throw new errors/* CommandError */.Qd(`taking the deploy lock on ${label}`, result.exitCode, result.stderr.trim());
                }
                else if (result.exitCode !== 0) {
                    throw new errors/* CommandError */.Qd(`taking the deploy lock on ${label}`, result.exitCode, `${result.stdout}\n${result.stderr}`.trim());
                }
                if (attempt.state === 'held') {
                    if (attempt.holder !== lastHolder)
                        logger.info(`${label}: waiting for the deploy lock held by ${attempt.holder} (heartbeat ${attempt.ageSeconds}s old)`);
                    lastHolder = attempt.holder;
                    return { done: false, reason: `held by ${attempt.holder}, heartbeat ${attempt.ageSeconds}s old` };
                }
                if (attempt.state === 'taken-over') {
                    logger.warning(`${label}: took over a stale deploy lock (heartbeat ${attempt.ageSeconds}s old, older than lock-ttl ${ttlSeconds}s) held by ${attempt.holder}`);
                }
                return { done: true, value: undefined };
            });
        }
        catch (error) {
            if (error instanceof errors/* CommandError */.Qd || error instanceof cancel/* CancelledError */.cc)
                throw error;
            throw new errors/* OperationalError */.LE(`${label}: the deploy lock is held by another run (${lastHolder}); waited ${Math.round(config.waitMs / 1000)}s`, 'wait for that run to finish or raise lock-wait; a lock whose holder died is taken over once its heartbeat is older than lock-ttl');
        }
        return output;
    }
    hold(token, config) {
        this.heldToken = token;
        this.onChange(token);
        let beating = false;
        this.timer = setInterval(() => {
            if (beating || this.heldToken !== token)
                return;
            beating = true;
            this.transport
                .run((0,lock/* heartbeatScript */.SU)(this.root, token))
                .then((result) => {
                if (/beat=lost/.test(result.stdout) && this.heldToken === token)
                    this.ctx.logger.warning(`${this.transport.label}: the deploy lock was taken over by another run (its heartbeat was older than lock-ttl)`);
            })
                .catch(() => undefined)
                .finally(() => (beating = false));
        }, (0,lock/* heartbeatIntervalMs */.Sr)(config.ttlMs));
        this.timer.unref();
    }
    /** Forgets the lock locally (after a script that released it on the host). */
    forget() {
        clearInterval(this.timer);
        this.timer = undefined;
        if (this.heldToken === undefined)
            return;
        this.heldToken = undefined;
        this.onChange(undefined);
    }
    /** Releases the lock if this run still holds it; never throws. */
    async release() {
        const token = this.heldToken;
        if (!token)
            return;
        this.forget();
        const result = await this.transport.run((0,lock/* releaseLockScript */.s)(this.root, token)).catch((error) => error);
        if (result instanceof Error || result.exitCode !== 0) {
            const why = result instanceof Error ? (0,errors/* errorMessage */.gJ)(result) : result.stderr.trim();
            this.ctx.logger.warning(`${this.transport.label}: could not release the deploy lock: ${why}`);
            // Still held on the host: the post step tries again.
            this.heldToken = token;
            this.onChange(token);
        }
    }
}

;// CONCATENATED MODULE: ./src/release/activation.ts
/**
 * Activation order: which releases have served, newest last, read from history.jsonl. A release
 * counts once `current` pointed at it (the `switch` line the switch script writes, or the deploy,
 * rollback and revert lines of older histories); one reverted away from, or failed, is marked bad
 * until it is activated again. Names and mtimes never decide anything here.
 */
function parseHistoryLines(lines) {
    const records = [];
    for (const line of lines) {
        try {
            const value = JSON.parse(line);
            if (value && typeof value === 'object')
                records.push(value);
        }
        catch {
            // a torn line (a run killed mid-write) is skipped
        }
    }
    return records;
}
function activations(records) {
    const order = [];
    const bad = new Set();
    const activate = (release) => {
        if (!release)
            return;
        const at = order.indexOf(release);
        if (at >= 0)
            order.splice(at, 1);
        order.push(release);
        bad.delete(release);
    };
    for (const record of records) {
        switch (record.event) {
            case 'switch':
            case 'deploy':
            case 'rollback':
                activate(record.release);
                break;
            case 'revert':
                if (record.previous)
                    bad.add(record.previous);
                activate(record.release);
                break;
            case 'failed':
            case 'cancelled':
                if (record.release)
                    bad.add(record.release);
                break;
            default:
        }
    }
    return { order, bad };
}
/** The release served before `current`: the last activated, healthy, present one that is not current. */
function previousActivated(history, current, present) {
    return history.order.filter((r) => r !== current && !history.bad.has(r) && present.includes(r)).at(-1);
}
/**
 * The releases prune removes to keep `keep`: never-activated and bad ones go first (by name), then
 * the longest-ago activated; `protect` (current, previous, the new release) always stays.
 */
function pruneCandidates(history, present, keep, protect) {
    const activated = history.order.filter((r) => present.includes(r) && !history.bad.has(r));
    const others = present.filter((r) => !activated.includes(r)).sort();
    const ranked = [...others, ...activated];
    const kept = new Set([...ranked.slice(Math.max(0, ranked.length - keep)), ...protect]);
    return ranked.filter((r) => !kept.has(r));
}

;// CONCATENATED MODULE: ./src/release/layout.ts
/** The release layout on a host: what is there, commands run inside it, a release removed. */


/** Where a release is uploaded until it is complete: a dot name, so no listing or glob ever sees it. */
function partialName(release) {
    return `.${release}.partial`;
}
/** The inspect part of a script run under the deploy lock (see lock.ts); expects $root. */
const INSPECT_BODY = `
mkdir -p "$root/releases" "$root/shared" "$root/.deploy-kit"
if [ -L "$root/current" ]; then echo "current=$(basename "$(readlink "$root/current")")"; fi
# Partial uploads left by a run that died: only a lock holder inspects, so none is in progress.
for dir in "$root"/releases/.*.partial; do
  if [ -d "$dir" ]; then
    if rm -rf "$dir" 2>/dev/null; then echo "removed-partial=$(basename "$dir")"; else echo "left-partial=$(basename "$dir")"; fi
  fi
done
for dir in "$root"/releases/*/; do if [ -d "$dir" ]; then echo "release=$(basename "$dir")"; fi; done
echo "rsync=$(command -v rsync >/dev/null && echo yes || echo no)"
if [ -f "$root/.deploy-kit/history.jsonl" ]; then tail -n 2000 "$root/.deploy-kit/history.jsonl" | sed 's/^/history=/'; fi
`;
/** Creates the layout if needed and reports current, every release, activations; removes stale partials. */
function inspectScript(root) {
    return (0,shell/* withVars */.Jj)({ root }, INSPECT_BODY);
}
function parseInspection(stdout) {
    const releases = [];
    const lines = [];
    const partials = { removed: [], left: [] };
    let current;
    let rsync;
    for (const line of stdout.split('\n')) {
        const eq = line.indexOf('=');
        const [key, value] = [line.slice(0, eq), line.slice(eq + 1)];
        if (key === 'current')
            current = value;
        else if (key === 'release')
            releases.push(value);
        else if (key === 'rsync')
            rsync = value === 'yes';
        else if (key === 'history')
            lines.push(value);
        else if (key === 'removed-partial')
            partials.removed.push(value);
        else if (key === 'left-partial')
            partials.left.push(value);
    }
    return { current, releases: releases.sort(), rsync, history: activations(parseHistoryLines(lines)), partials };
}
/**
 * Runs a user command inside a directory of the layout, with the deploy facts in its environment;
 * DEPLOY_KIT_ROOT is the absolute deploy root, so the command may cd anywhere.
 */
function runInScript(root, dir, command, env) {
    const exports = Object.keys(env).map((name) => `export ${name}`);
    return (0,shell/* withVars */.Jj)({ root, dir, command, ...env }, `
${exports.join('\n')}
DEPLOY_KIT_ROOT="$(cd "$root" && pwd -P)"
export DEPLOY_KIT_ROOT
cd "$root/$dir"
exec bash --noprofile --norc -eo pipefail -c "$command"
`);
}
function removeReleaseScript(root, release) {
    return withVars({ root, release }, `
cd "$root"
if [ "$(basename "$(readlink current 2>/dev/null || true)")" = "$release" ]; then exit 0; fi
rm -rf "releases/$release" "releases/.$release.partial"
`);
}

;// CONCATENATED MODULE: ./src/release/switch/symlink.ts

/**
 * Points current at a release atomically: a new symlink renamed over the old one (rename(2)), then
 * records the activation in history.jsonl (activation.ts orders previous, rollback and prune by it).
 */
function switchScript(root, release) {
    return (0,shell/* withVars */.Jj)({ root, release }, `
cd "$root"
[ -d "releases/$release" ] || { echo "release $release does not exist" >&2; exit 4; }
was=$(basename "$(readlink current 2>/dev/null || true)")
ln -sfn "releases/$release" ".current.$release.tmp"
mv -T ".current.$release.tmp" current
mkdir -p .deploy-kit
# Release ids are plain names (names.ts), so they need no JSON escaping.
printf '{"time":"%s","event":"switch","release":"%s","previous":"%s"}\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$release" "$was" >> .deploy-kit/history.jsonl
`);
}
/** Undoes a first deploy: there was no current before it. */
function unlinkCurrentScript(root) {
    return (0,shell/* withVars */.Jj)({ root }, `rm -f "$root/current"`);
}

;// CONCATENATED MODULE: ./src/release/host.ts












/** One deploy root on one host, and the release-model operations on it. */
class ReleaseHost {
    transport;
    root;
    ctx;
    deployLock;
    constructor(transport, root, ctx, onLockChange) {
        this.transport = transport;
        this.root = root;
        this.ctx = ctx;
        this.deployLock = new HostLock(transport, root, ctx, onLockChange);
    }
    get label() {
        return this.transport.label;
    }
    /** Whether this run holds the host's deploy lock. */
    get locked() {
        return this.deployLock.token !== undefined;
    }
    /** Runs a script and returns stdout; a non-zero exit fails with the exit code and last output lines. */
    async script(what, body) {
        return (0,exec/* checkResult */.iJ)(`${what} on ${this.label}`, await this.transport.run(body)).stdout;
    }
    async inspect() {
        return parseInspection(await this.script('reading the release layout', inspectScript(this.root)));
    }
    /** Waits for the deploy lock up to lock-wait (taking over one whose heartbeat is stale); renews it while held. */
    async lock(config, purpose) {
        await this.deployLock.acquire(config, purpose);
    }
    /** The lock and the layout in one round trip (stale partial uploads are removed under the lock). */
    async lockAndInspect(config, purpose) {
        return parseInspection(await this.deployLock.acquire(config, purpose, INSPECT_BODY));
    }
    /** Releases the lock if this run still holds it; never throws. */
    async unlock() {
        await this.deployLock.release();
    }
    /**
     * The end of a deploy in one round trip: the history line, pruning (failures are warnings naming
     * what was left) and, when `unlock`, the lock released.
     */
    async finish(event, fields, prune, unlock) {
        const token = unlock ? (this.deployLock.token ?? '') : '';
        try {
            const out = await this.script('recording the deploy and pruning', finishScript(this.root, this.historyEntry(event, fields), prune, token));
            if (token)
                this.deployLock.forget();
            reportPrune(this.label, parsePrune(out), this.ctx.logger);
        }
        catch (error) {
            this.ctx.logger.warning(`${this.label}: recording the deploy or pruning failed (the deploy stands): ${(0,errors/* errorMessage */.gJ)(error)}`);
        }
    }
    async switchTo(release) {
        await this.script(release ? `switching current to ${release}` : 'removing current', release ? switchScript(this.root, release) : unlinkCurrentScript(this.root));
    }
    /** Runs a user command in a directory under the root (a release, or current). */
    async runCommand(what, dir, command, release) {
        const env = { DEPLOY_KIT_RELEASE: release, DEPLOY_KIT_SHA: this.ctx.env.sha };
        const output = await this.script(what, runInScript(this.root, dir, command, env));
        if (output.trim())
            this.ctx.logger.info((0,errors/* tail */.RT)(output, 20));
    }
    /** The pre-switch check: a command in the new release, retried to the deadline. */
    async checkCommand(health, release) {
        const command = health.command;
        const result = await (0,retry/* pollUntil */.g)({ what: `health-command on ${this.label}`, timeoutMs: health.timeoutMs, clock: this.ctx.clock, isFatal: isCancelledError }, async () => {
            (0,cancel/* checkCancelled */.S5)(this.ctx.signal, `health-command on ${this.label}`);
            const run = await this.transport.run(runInScript(this.root, `releases/${release}`, command, { DEPLOY_KIT_RELEASE: release }));
            return run.exitCode === 0
                ? { done: true, value: 'ok' }
                : { done: false, reason: `exit ${run.exitCode}: ${(0,errors/* tail */.RT)(`${run.stdout}\n${run.stderr}`, 3)}` };
        });
        return `command ok after ${result.attempts} attempt(s)`;
    }
    /** The post-switch check: the public URL from the runner, retried to the deadline. */
    async checkUrl(health) {
        const url = health.url;
        const result = await (0,retry/* pollUntil */.g)({
            what: `health check ${(0,url_credentials/* displayUrl */.Q)(url)} (expecting ${describeExpectation(health.expect)})`,
            timeoutMs: health.timeoutMs,
            clock: this.ctx.clock,
            isFatal: isCancelledError,
        }, () => ((0,cancel/* checkCancelled */.S5)(this.ctx.signal, `the health check on ${this.label}`),
            checkHttp(url, health.expect, undefined, health.routing)));
        return `${result.value} after ${result.attempts} attempt(s)`;
    }
    /** Removes old releases; housekeeping, so a failure is a warning naming what was left, never an error. */
    async prune(releases) {
        if (releases.length === 0)
            return;
        try {
            reportPrune(this.label, parsePrune(await this.script('pruning old releases', pruneScript(this.root, releases))), this.ctx.logger);
        }
        catch (error) {
            this.ctx.logger.warning(`${this.label}: pruning old releases failed (the deploy stands): ${(0,errors/* errorMessage */.gJ)(error)}`);
        }
    }
    historyEntry(event, fields) {
        const { env, clock } = this.ctx;
        // history.jsonl is readable on the host: every field (a reason quoting an error) is redacted like the log.
        return (0,file_sinks/* redactValues */.se)(this.ctx.logger, {
            time: new Date(clock.now()).toISOString(),
            event,
            host: this.label,
            ...fields,
            sha: env.sha || undefined,
            actor: env.actor || undefined,
            run: env.runUrl || undefined,
        });
    }
    /** Appends one line to history.jsonl; a failure to write it is a warning, not a failed deploy. */
    async history(event, fields) {
        try {
            await this.script('writing history', appendHistoryScript(this.root, this.historyEntry(event, fields)));
        }
        catch (error) {
            this.ctx.logger.warning(`${this.label}: could not write history: ${(0,errors/* errorMessage */.gJ)(error)}`);
        }
    }
}
function reportPrune(label, result, logger) {
    if (result.pruned.length > 0)
        logger.info(`${label}: removed old releases ${result.pruned.join(', ')}`);
    if (result.left.length > 0)
        logger.warning(`${label}: could not remove every old release (the deploy stands): ${result.left.join('; ')}; remove them by hand (files owned by another user, or chattr +i)`);
}
const isCancelledError = (error) => error instanceof cancel/* CancelledError */.cc;

// EXTERNAL MODULE: ./src/release/post.ts
var post = __webpack_require__(3876);
// EXTERNAL MODULE: ./src/release/upload/local.ts
var local = __webpack_require__(2764);
// EXTERNAL MODULE: ./src/release/upload/ssh.ts
var ssh = __webpack_require__(6141);
;// CONCATENATED MODULE: ./src/release/connect.ts






/** Keeps the state's list of locks this run holds current, for the post step (post.ts). */
function lockRecorder(config, ctx) {
    const held = new Map();
    return (label, target) => (token) => {
        if (token)
            held.set(label, { target, token });
        else
            held.delete(label);
        const state = {
            root: config.root,
            transport: config.transport,
            insecure: config.auth.insecureSkipHostKeyCheck,
            jumpHost: config.auth.jumpHost,
            held: [...held.values()],
        };
        ctx.state.save(post.STATE_LOCKS, held.size > 0 ? JSON.stringify(state) : '');
    };
}
/** Prepares key and known_hosts files, pins fingerprints, and returns one ReleaseHost per target. */
async function connect_connect(config, ctx) {
    const record = lockRecorder(config, ctx);
    if (config.transport === 'local') {
        const host = new ReleaseHost((0,local/* localTransport */.h)(ctx.exec), config.root, ctx, record('local'));
        return { hosts: [host], close: async () => undefined };
    }
    const files = await (0,connect/* prepareSsh */.ix)(config, ctx);
    const hosts = config.hosts.map((target) => {
        const transport = (0,ssh/* sshTransport */.W)(ctx.exec, files, config.auth, target);
        return new ReleaseHost(transport, config.root, ctx, record(transport.label, target));
    });
    const close = async () => {
        for (const host of hosts)
            await host.transport.close();
        await (0,session/* cleanupSshDir */["in"])(ctx.exec, files.dir, ctx.logger);
    };
    return { hosts, close };
}

;// CONCATENATED MODULE: ./src/release/venv.ts


/**
 * `python-venv: requirements.txt`: a virtualenv per release. Before the switch, in the new release,
 * `python3 -m venv .venv` and `.venv/bin/python -m pip install -r <file>`; then the venv is on PATH for
 * the user's before-switch in the same shell, so `python manage.py migrate` runs with it. The venv
 * lives in the release (`<path>/releases/<id>/.venv`, reached as `<path>/current/.venv` once live),
 * so a rollback switches the code and its packages together and pruning removes both.
 */
const VENV_DIR = '.venv';
/** Puts `<dir>/.venv` first on PATH when it exists; for commands run in a release or in current. */
const ACTIVATE_VENV = `if [ -x ${VENV_DIR}/bin/python ]; then export VIRTUAL_ENV="$PWD/${VENV_DIR}" PATH="$PWD/${VENV_DIR}/bin:$PATH"; fi`;
function checkRequirementsPath(value) {
    if (!/^[A-Za-z0-9._/-]+$/.test(value) || value.startsWith('/') || value.startsWith('-') || value.split('/').includes('..'))
        throw new ConfigurationError(`input "python-venv": expected the requirements file, relative to the release (requirements.txt, requirements/prod.txt), got ${JSON.stringify(value)}`);
}
/** The shell lines that build the venv; they run first in the before-switch shell. */
function venvCommand(requirements) {
    const file = shellQuote(requirements);
    return [
        `[ -f ${file} ] || { echo "python-venv: ${requirements} is not in the release; add it to source, or fix the input" >&2; exit 2; }`,
        `command -v python3 >/dev/null || { echo "python-venv: python3 is not on the host's PATH (install python3 and python3-venv)" >&2; exit 2; }`,
        `echo "python-venv: $(python3 --version) -m venv ${VENV_DIR}, then pip install -r ${requirements}"`,
        `python3 -m venv ${VENV_DIR} || { echo "python-venv: python3 -m venv failed; on Debian/Ubuntu install python3-venv (apt-get install python3-venv)" >&2; exit 2; }`,
        `${VENV_DIR}/bin/python -m pip install --no-input --disable-pip-version-check --quiet -r ${file} || { echo "python-venv: pip install -r ${requirements} failed (output above)" >&2; exit 2; }`,
        ACTIVATE_VENV,
    ].join('\n');
}
/** before-switch with the venv step in front; unchanged without `python-venv`. */
function withPythonVenv(requirements, beforeSwitch) {
    if (!requirements)
        return beforeSwitch;
    checkRequirementsPath(requirements);
    return beforeSwitch ? `${venvCommand(requirements)}\n${beforeSwitch}` : venvCommand(requirements);
}

;// CONCATENATED MODULE: ./src/migrate/run-tool.ts





/** Runs the app's own tool on the runner, in working-directory, with DATABASE_URL set when given. */
async function runPresetOnRunner(tool, invocation, cwd, databaseUrl, ctx) {
    const env = databaseUrl ? { DATABASE_URL: databaseUrl } : undefined;
    const result = await ctx.logger.group(`${invocation.argv.join(' ')} (in ${cwd})`, async () => {
        const run = await ctx.exec.run(invocation.argv, { cwd, env });
        const output = `${run.stdout}${run.stderr ? `\n${run.stderr}` : ''}`.trim();
        if (output)
            ctx.logger.info(output);
        return { ...run, output };
    });
    if (result.exitCode !== 0)
        throw new errors/* CommandError */.Qd(`${tool}: ${invocation.argv.join(' ')}`, result.exitCode, (0,errors/* tail */.RT)(result.output));
    return { output: result.output, applied: (0,tool_table/* appliedFromOutput */.B3)(tool, result.output) };
}
/**
 * Runs the tool once, on the first host, inside a release (before the switch) or current, under the
 * deploy lock so no deploy or rollback moves `current` meanwhile.
 */
async function runPresetOverSsh(tool, invocation, config, databaseUrl, ctx) {
    const connections = await connect_connect(config.connection, ctx);
    try {
        const host = connections.hosts[0];
        if (connections.hosts.length > 1)
            ctx.logger.info(`migrations run once, on ${host.label}; the other hosts share its database`);
        const dir = config.release ? `releases/${config.release}` : 'current';
        await host.lock(config.lock, 'migrate');
        try {
            const env = { DEPLOY_KIT_RELEASE: config.release ?? 'current', DEPLOY_KIT_ROOT: config.connection.root };
            if (databaseUrl)
                env.DATABASE_URL = databaseUrl;
            // The release's own virtualenv (backend python-venv) comes first on PATH, so `python`/`alembic` are its.
            const command = `${ACTIVATE_VENV}\n{\n${invocation.remote}\n} 2>&1`;
            const output = (await host.script(`${tool} in ${config.connection.root}/${dir}`, runInScript(config.connection.root, dir, command, env))).trim();
            if (output)
                ctx.logger.info(output);
            return { output, applied: (0,tool_table/* appliedFromOutput */.B3)(tool, output) };
        }
        finally {
            await host.unlock();
        }
    }
    finally {
        await connections.close();
    }
}


/***/ }),

/***/ 3876:
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
