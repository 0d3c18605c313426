export const id = 97;
export const ids = [97];
export const modules = {

/***/ 97991:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   p: () => (/* binding */ followDeploy)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(74296);
/* harmony import */ var _core_wait_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(23210);


/** Polls `start` to an end state and returns it; the deadline cancels the deployment and says how that went. */
async function followDeploy(follow, start, ctx) {
    try {
        const { value } = await (0,_core_wait_js__WEBPACK_IMPORTED_MODULE_1__/* .waitFor */ .f)({
            what: follow.what,
            timeoutMs: follow.timeoutMs,
            clock: ctx.clock,
            initialDelayMs: follow.initialDelayMs,
            maxDelayMs: 10_000,
            read: async () => {
                const current = await follow.read();
                const state = follow.state(current);
                if (!follow.ended(state) && !follow.known(state))
                    ctx.logger.warning(follow.unknown(state));
                return current;
            },
            state: (d) => follow.state(d),
            initial: follow.state(start),
            ended: (state) => follow.ended(state),
            onChange: (d, state) => {
                ctx.logger.info(`${follow.id}: ${state}`);
                follow.onChange(d);
            },
            reason: (state) => `${follow.word} ${state}`,
        });
        return value;
    }
    catch (error) {
        const cancel = await follow.cancel().then((canceled) => {
            follow.onChange(canceled);
            return `canceled it (${follow.word} ${follow.state(canceled)})`;
        }, (cancelError) => `could not cancel it: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(cancelError)}`);
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .OperationalError */ .LE(`${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error)}; ${cancel}`, follow.hint);
    }
}


/***/ }),

/***/ 9799:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Wk: () => (/* binding */ FAILED),
/* harmony export */   Xq: () => (/* binding */ renderDeployInputs),
/* harmony export */   Xs: () => (/* binding */ renderConfig),
/* harmony export */   g2: () => (/* binding */ describeHttpError),
/* harmony export */   mS: () => (/* binding */ IN_PROGRESS),
/* harmony export */   qZ: () => (/* binding */ RENDER_SECRET_INPUTS)
/* harmony export */ });
/* unused harmony exports RENDER_API, renderConnectionInputs */
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(74296);
/* harmony import */ var _core_http_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1983);
/* harmony import */ var _core_inputs_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(89114);
/* harmony import */ var _core_logger_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(11227);
/* harmony import */ var _core_missing_secret_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(81360);





/**
 * Render (https://api.render.com/v1): trigger a deploy by commit or image, wait for it to go live,
 * cancel it on timeout, roll back to an earlier deploy.
 */
const RENDER_API = 'https://api.render.com/v1';
const IN_PROGRESS = new Set(['created', 'queued', 'build_in_progress', 'update_in_progress', 'pre_deploy_in_progress']);
const FAILED = new Set(['build_failed', 'update_failed', 'pre_deploy_failed', 'canceled', 'deactivated']);
/** Inputs shared by backend and rollback with `provider: render`. */
const renderConnectionInputs = {
    service: (0,_core_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .pattern */ .T1)(/^srv-[a-z0-9]{4,64}$/, 'a Render service id such as srv-cj4k8s7ba2bs73a5rpeg'),
    token: (0,_core_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .optionalText */ .mR)(),
    'api-url': (0,_core_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .httpUrl */ .q3)(),
    timeout: (0,_core_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .duration */ .p0)('15m'),
};
/** The backend-only Render inputs. */
const renderDeployInputs = {
    ...renderConnectionInputs,
    commit: (0,_core_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .pattern */ .T1)(/^[0-9a-f]{7,40}$/, 'a git commit sha'),
    image: (0,_core_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .optionalText */ .mR)(),
    'clear-cache': (0,_core_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .bool */ .lc)(false),
    'deploy-hook-url': (0,_core_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .optionalText */ .mR)(),
};
const RENDER_SECRET_INPUTS = ['token', 'deploy-hook-url'];
function renderConfig(inputs, ctx) {
    if (!inputs.service)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1('input "service": expected the Render service id (srv-...) with provider render');
    if (!inputs.token)
        throw (0,_core_missing_secret_js__WEBPACK_IMPORTED_MODULE_3__/* .missingSecret */ .bk)('token', 'provider render needs a Render API key');
    if (inputs.commit && inputs.image)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1('inputs "commit" and "image": give one of them (a git-backed service deploys a commit, an image-backed one an image)');
    if (inputs.image && !/^[a-z0-9][\w.:/-]*(@sha256:[0-9a-f]{64}|:[\w][\w.-]{0,127})$/.test(inputs.image)) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`input "image": expected repository@sha256:... (or repository:tag), got ${JSON.stringify(inputs.image)}`);
    }
    if (inputs.image && !inputs.image.includes('@sha256:'))
        ctx.logger.warning(`image ${inputs.image} is not pinned by digest; a later push to that tag changes what Render runs`);
    (0,_core_logger_js__WEBPACK_IMPORTED_MODULE_4__/* .maskSecret */ .$l)(ctx.logger, inputs.token);
    return {
        apiUrl: (inputs['api-url'] ?? RENDER_API).replace(/\/+$/, ''),
        token: inputs.token,
        service: inputs.service,
        timeoutMs: inputs.timeout,
        commit: inputs.commit,
        imageUrl: inputs.image,
        clearCache: inputs['clear-cache'] ?? false,
    };
}
/** Render's error body is `{id, message}`; a 401/404 at the first call is a configuration mistake. */
function describeHttpError(error, config) {
    if (!(error instanceof _core_http_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpError */ .j$))
        return error instanceof Error ? error : new Error(String(error));
    let message = error.body;
    try {
        message = JSON.parse(error.body).message ?? error.body;
    }
    catch {
        // not JSON: keep the body
    }
    if (error.status === 401 || error.status === 403)
        return new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`input "token": Render refused the API key (${error.status}: ${message})`);
    if (error.status === 404 && error.request.url.endsWith(`/services/${config.service}`)) {
        return new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`input "service": Render has no service ${config.service} for this API key (404)`);
    }
    return new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .OperationalError */ .LE(`Render ${error.request.method} ${error.request.url.replace(config.apiUrl, '')} returned ${error.status}: ${message}`);
}


/***/ }),

/***/ 19152:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Rh: () => (/* binding */ redactedJson),
/* harmony export */   Tl: () => (/* binding */ writeTextFile),
/* harmony export */   se: () => (/* binding */ redactValues)
/* harmony export */ });
/* unused harmony export textStream */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(57075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _logger_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(11227);



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
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.writeFileSync)(path, (0,_logger_js__WEBPACK_IMPORTED_MODULE_2__/* .redactFor */ .FP)(logger, text), mode === undefined ? undefined : { mode });
}
/** Text the kit composed as a stream for a storage target (a backup manifest), redacted. */
function textStream(logger, text) {
    return Readable.from([Buffer.from(redactFor(logger, text))]);
}


/***/ }),

/***/ 10148:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D0: () => (/* binding */ healthRouting),
/* harmony export */   M4: () => (/* binding */ healthRoutingInputs),
/* harmony export */   fl: () => (/* binding */ routingHeaders),
/* harmony export */   hE: () => (/* binding */ getWithHost)
/* harmony export */ });
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(37067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(44708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_https__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(77030);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_net__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(89114);




/** `health-host` and `health-forwarded-proto`, shared by backend and rollback. */
const healthRoutingInputs = {
    'health-host': (0,_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .pattern */ .T1)(/^[A-Za-z0-9.-]+(?::\d{1,5})?$/, 'a host name with an optional :port, such as shop.example.com'),
    'health-forwarded-proto': (0,_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .pattern */ .T1)(/^https?$/, 'https (or http)'),
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
        const handle = (secure ? node_https__WEBPACK_IMPORTED_MODULE_1__.request : node_http__WEBPACK_IMPORTED_MODULE_0__.request)({
            host: target.hostname.replace(/^\[|\]$/g, ''),
            port: target.port || (secure ? 443 : 80),
            path: `${target.pathname}${target.search}`,
            headers: { ...headers, host },
            servername: secure && (0,node_net__WEBPACK_IMPORTED_MODULE_2__.isIP)(name) === 0 ? name : undefined,
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


/***/ }),

/***/ 54365:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Dq: () => (/* binding */ parseHealthExpect),
/* harmony export */   hv: () => (/* binding */ checkHttp),
/* harmony export */   uN: () => (/* binding */ describeExpectation),
/* harmony export */   xB: () => (/* binding */ judgeResponse)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(74296);
/* harmony import */ var _health_host_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(10148);
/* harmony import */ var _url_credentials_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(25969);



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
    const target = (0,_url_credentials_js__WEBPACK_IMPORTED_MODULE_2__/* .splitUrlCredentials */ .C)(url);
    const headers = { ...(target.authorization ? { authorization: target.authorization } : {}), ...(0,_health_host_js__WEBPACK_IMPORTED_MODULE_1__/* .routingHeaders */ .fl)(routing) };
    if (routing.host) {
        try {
            const response = await (0,_health_host_js__WEBPACK_IMPORTED_MODULE_1__/* .getWithHost */ .hE)(target.url, headers, routing.host, timeoutMs);
            return judgeResponse(response.status, response.body, expect);
        }
        catch (error) {
            return { done: false, reason: (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error) };
        }
    }
    let response;
    try {
        response = await fetch(target.url, { headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    }
    catch (error) {
        // fetch says only "fetch failed"; the cause says why (ECONNREFUSED, a DNS or TLS error).
        const cause = error.cause;
        return { done: false, reason: `${(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error)}${cause ? `: ${cause.code ?? cause.message}` : ''}` };
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


/***/ }),

/***/ 80444:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Z: () => (/* binding */ jsonApi),
/* harmony export */   cA: () => (/* binding */ vendorMessage),
/* harmony export */   mb: () => (/* binding */ rethrowAuth)
/* harmony export */ });
/* unused harmony export nextLink */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(74296);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1983);


/** The rel="next" target of an RFC 8288 Link header, as GitHub sends for paginated listings. */
function nextLink(header) {
    return header
        ?.split(',')
        .map((part) => /<([^>]+)>\s*;\s*rel="?next"?/.exec(part)?.[1])
        .find(Boolean);
}
function jsonApi(ctx, base, token, fixedQuery = {}, extraHeaders = {}) {
    const root = base.replace(/\/+$/, '');
    const send = async (method, pathOrUrl, options = {}) => {
        const url = new URL(/^https?:\/\//.test(pathOrUrl) ? pathOrUrl : root + pathOrUrl);
        for (const [k, v] of Object.entries({ ...fixedQuery, ...options.query }))
            if (v !== undefined)
                url.searchParams.set(k, v);
        const headers = {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...extraHeaders,
            ...options.headers,
        };
        let body = options.raw;
        if (options.body !== undefined) {
            body = JSON.stringify(options.body);
            headers['content-type'] = 'application/json';
        }
        return ctx.http.request({ method, url: url.toString(), headers, body, timeoutMs: 120_000 });
    };
    const page = async (pathOrUrl, options) => {
        const response = await send('GET', pathOrUrl, options);
        return { data: response.json(), next: nextLink(response.headers.get('link')) };
    };
    return {
        async call(method, path, options) {
            const response = await send(method, path, options);
            return (response.body === '' ? undefined : response.json());
        },
        page,
        async *pages(pathOrUrl, options) {
            let next = pathOrUrl;
            while (next) {
                const current = await page(next, options);
                yield current.data;
                next = current.next;
            }
        },
        send,
    };
}
/** The vendor's own words from an error body: Vercel {error:{code,message}}, Netlify {code,message}, GitHub {message}. */
function vendorMessage(error) {
    if (!(error instanceof _http_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpError */ .j$))
        return undefined;
    try {
        const body = JSON.parse(error.body);
        const inner = body.error ?? body;
        const code = inner.code !== undefined ? `${String(inner.code)}: ` : '';
        return inner.message ? `${code}${inner.message}` : undefined;
    }
    catch {
        return undefined;
    }
}
/** 401/403 from a vendor means the token is wrong or lacks access: a configuration problem, said plainly. */
function rethrowAuth(error, vendor, what) {
    if (error instanceof _http_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpError */ .j$ && (error.status === 401 || error.status === 403)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`input "token": ${vendor} refused ${what} (HTTP ${error.status}${vendorMessage(error) ? `, ${vendorMessage(error)}` : ''}); check that the token is valid and has access to it`);
    }
    throw error;
}


/***/ }),

/***/ 27253:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   g: () => (/* binding */ pollUntil)
/* harmony export */ });
/* harmony import */ var _wait_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(23210);

/**
 * Polls to a deadline with exponential backoff and jitter; fails with the last observed reason
 * (WaitTimeoutError). waitFor (src/core/wait.ts) for a check that answers done or why not.
 */
async function pollUntil(options, attempt) {
    const result = await (0,_wait_js__WEBPACK_IMPORTED_MODULE_0__/* .waitFor */ .f)({
        ...options,
        read: attempt,
        state: (a) => (a.done ? 'done' : a.reason),
        ended: (_state, a) => a.done,
        reason: (state) => state,
    });
    return { ...result, value: result.value.value };
}


/***/ }),

/***/ 36673:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Jj: () => (/* binding */ withVars),
/* harmony export */   VH: () => (/* binding */ isSafeRelativePath),
/* harmony export */   ZL: () => (/* binding */ shellQuote),
/* harmony export */   dA: () => (/* binding */ isSafeRemotePath),
/* harmony export */   q$: () => (/* binding */ shellCommand)
/* harmony export */ });
/**
 * Everything that puts a value into a remote (or local) bash script: the one quoting function, the
 * quoted-assignment header scripts use, and the strict patterns for values that become paths there.
 */
/** The one quoting function for the remote shell: single quotes, with embedded quotes closed and escaped. */
function shellQuote(arg) {
    if (arg !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg))
        return arg;
    return `'${arg.replace(/'/g, `'\\''`)}'`;
}
/** A shell command line from an argument array, every argument quoted. */
function shellCommand(argv) {
    return argv.map(shellQuote).join(' ');
}
/**
 * A script whose user values only ever enter as quoted variable assignments at the top
 * (`name='value'`); the body refers to "$name".
 */
function withVars(vars, body) {
    const assignments = Object.entries(vars).map(([name, value]) => `${name}=${shellQuote(value)}`);
    return `${assignments.join('\n')}\n${body.trim()}\n`;
}
const PATH_CHARS = /^[A-Za-z0-9._/@+-]+$/;
function hasDotDot(value) {
    return value.split('/').some((segment) => segment === '..');
}
/** A remote directory: absolute, or relative to the login directory; no "..", spaces or shell characters. */
function isSafeRemotePath(value) {
    return PATH_CHARS.test(value) && !hasDotDot(value) && !value.startsWith('-') && value !== '/';
}
/** A path inside a release (shared dirs and files): relative, no "..". */
function isSafeRelativePath(value) {
    return PATH_CHARS.test(value) && !hasDotDot(value) && !value.startsWith('/') && !value.startsWith('-') && value !== '.';
}


/***/ }),

/***/ 23210:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D: () => (/* binding */ WaitTimeoutError),
/* harmony export */   f: () => (/* binding */ waitFor)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(74296);

/** The deadline passed: what was last seen (no value or state when every read failed). */
class WaitTimeoutError extends _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .OperationalError */ .LE {
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
            return { ok: false, reason: (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error) };
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


/***/ }),

/***/ 17341:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B3: () => (/* binding */ appliedFromOutput),
/* harmony export */   It: () => (/* binding */ TOOLS),
/* harmony export */   q_: () => (/* binding */ presetInvocation)
/* harmony export */ });
/* harmony import */ var _core_shell_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(36673);

const TOOLS = ['sql', 'django', 'alembic', 'prisma', 'knex', 'command'];
/** The app's own migration tools, as argv arrays run with DATABASE_URL in the environment. */
const PRESETS = {
    django: {
        up: ['python', 'manage.py', 'migrate', '--noinput'],
        plan: ['python', 'manage.py', 'showmigrations', '--plan'],
        applied: /^\s*Applying (\S+?)\.\.\./gm,
    },
    alembic: {
        up: ['alembic', 'upgrade', 'head'],
        plan: ['alembic', 'upgrade', 'head', '--sql'],
        applied: /Running upgrade \S* -> (\S+?),/g,
    },
    prisma: {
        up: ['npx', 'prisma', 'migrate', 'deploy'],
        plan: ['npx', 'prisma', 'migrate', 'status'],
        applied: /^Applying migration `([^`]+)`/gm,
    },
    knex: { up: ['npx', 'knex', 'migrate:latest'], plan: ['npx', 'knex', 'migrate:list'] },
};
/** What runs for a tool; undefined when the tool has no plan mode. `command` is the user's shell command. */
function presetInvocation(tool, plan, command) {
    if (tool === 'command') {
        if (plan || !command)
            return undefined;
        return { argv: ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', command], remote: command };
    }
    const argv = plan ? PRESETS[tool].plan : PRESETS[tool].up;
    return argv ? { argv: [...argv], remote: (0,_core_shell_js__WEBPACK_IMPORTED_MODULE_0__/* .shellCommand */ .q$)(argv) } : undefined;
}
/** Migration names the tool printed as applied (Django "Applying app.0002_x...", Alembic "-> rev,", Prisma "Applying migration `x`"). */
function appliedFromOutput(tool, output) {
    const re = tool === 'command' ? undefined : PRESETS[tool].applied;
    if (!re)
        return [];
    return [...output.matchAll(re)].map((m) => m[1]);
}


/***/ }),

/***/ 50879:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   jf: () => (/* binding */ maskDatabaseUrl),
/* harmony export */   mx: () => (/* binding */ parseDatabaseUrl)
/* harmony export */ });
/* unused harmony export isRelativeSqliteUrl */
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(74296);
/* harmony import */ var _core_logger_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(11227);



const SCHEMES = {
    postgres: 'postgres',
    postgresql: 'postgres',
    mysql: 'mysql',
    mariadb: 'mysql',
    sqlite: 'sqlite',
    sqlite3: 'sqlite',
};
const DEFAULT_PORTS = { postgres: 5432, mysql: 3306, sqlite: 0 };
const EXPECTED = 'postgres://user:password@host:5432/db, mysql://..., mariadb://..., sqlite:///abs/path.db or sqlite:relative/path.db';
/** Whether `raw` is a SQLite URL with a relative path (`sqlite:data/app.db`), resolved against a local directory. */
function isRelativeSqliteUrl(raw) {
    const match = /^(?:sqlite3?):(.*)$/i.exec(raw);
    return match !== null && !decodeURIComponent(match[1].split('?')[0]).startsWith('/');
}
/**
 * Parses postgres://, postgresql://, mysql://, mariadb://, sqlite:///abs/path and sqlite:relative/path.
 * `base` resolves a relative SQLite path. Errors name `input` and never repeat the URL (it is secret).
 */
function parseDatabaseUrl(raw, base, input = 'database-url') {
    const bad = (why) => new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j1(`input "${input}": ${why}; expected ${EXPECTED}`);
    const scheme = /^([a-z0-9]+):/i.exec(raw)?.[1]?.toLowerCase();
    const engine = scheme ? SCHEMES[scheme] : undefined;
    if (!scheme || !engine)
        throw bad(scheme ? `unknown scheme "${scheme}:"` : 'no scheme such as postgres://');
    if (engine === 'sqlite') {
        const rest = raw.slice(scheme.length + 1).split('?')[0];
        let file;
        if (rest.startsWith('//')) {
            if (!rest.startsWith('///'))
                throw bad('a SQLite URL names a file, not a host (use three slashes for an absolute path)');
            file = decodeURIComponent(rest.slice(2));
        }
        else {
            file = decodeURIComponent(rest);
        }
        if (file === '' || file === '/')
            throw bad('no SQLite database file');
        const path = (0,node_path__WEBPACK_IMPORTED_MODULE_0__.isAbsolute)(file) ? file : (0,node_path__WEBPACK_IMPORTED_MODULE_0__.resolve)(base, file);
        return { engine, host: '', port: 0, user: '', password: '', database: path, params: {}, path, raw, display: `sqlite://${path}` };
    }
    let url;
    try {
        url = new URL(raw);
    }
    catch {
        throw bad('not a valid URL');
    }
    const params = Object.fromEntries(url.searchParams.entries());
    // postgres:///db?host=/run/postgresql names a Unix socket directory instead of a host.
    if (!url.hostname && !params.host)
        throw bad('no host');
    const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
    if (!database || database.includes('/'))
        throw bad('no database name after the host');
    const port = url.port ? Number(url.port) : DEFAULT_PORTS[engine];
    const password = decodeURIComponent(url.password);
    const user = decodeURIComponent(url.username);
    const display = `${scheme}://${user ? `${encodeURIComponent(user)}${password ? ':***' : ''}@` : ''}${url.host}/${encodeURIComponent(database)}`;
    // As libpq reads it, ?host=/dir (a socket directory) overrides the URL's host.
    const host = params.host?.startsWith('/') ? params.host : url.hostname.replace(/^\[|\]$/g, '') || params.host;
    return { engine, host, port, user, password, database, params, raw, display };
}
/** Masks a database URL and its password (as written and percent-decoded); works on any scheme. */
function maskDatabaseUrl(logger, raw) {
    (0,_core_logger_js__WEBPACK_IMPORTED_MODULE_2__/* .maskSecret */ .$l)(logger, raw);
    // Up to the last "@" of the authority, as URL parsers read it: a password may hold an unencoded "@".
    const encoded = /^[^:]+:\/\/[^:/@]*:([^/?#]*)@/.exec(raw.trim())?.[1];
    if (!encoded)
        return;
    (0,_core_logger_js__WEBPACK_IMPORTED_MODULE_2__/* .maskSecret */ .$l)(logger, encoded);
    try {
        (0,_core_logger_js__WEBPACK_IMPORTED_MODULE_2__/* .maskSecret */ .$l)(logger, decodeURIComponent(encoded));
    }
    catch {
        // not valid percent-encoding: the raw form is masked already
    }
}


/***/ }),

/***/ 8097:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  deployAction: () => (/* binding */ deployAction),
  pipelineStages: () => (/* binding */ pipelineStages)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 15 modules
var schemas = __webpack_require__(9691);
// EXTERNAL MODULE: ./src/core/action.ts
var action = __webpack_require__(45605);
// EXTERNAL MODULE: ./src/core/errors.ts
var core_errors = __webpack_require__(74296);
// EXTERNAL MODULE: ./src/core/health.ts
var health = __webpack_require__(54365);
// EXTERNAL MODULE: ./src/core/health-host.ts
var health_host = __webpack_require__(10148);
// EXTERNAL MODULE: ./src/core/inputs.ts
var core_inputs = __webpack_require__(89114);
;// CONCATENATED MODULE: ./src/core/lazy.ts
/**
 * An async function of a module that is loaded on the first call, not when the bundle starts: an
 * action's entry reads and checks its inputs first (and fails there on a bad one) without loading
 * the database drivers, SDKs and hosts only its run uses. In a bundle the module becomes a chunk of
 * its own (`dist/<action>/<id>.index.js`), loaded by the `import()` in `load`.
 */
function lazy(load, name) {
    const call = async (...args) => (await load())[name](...args);
    return call;
}

// EXTERNAL MODULE: ./src/core/shell.ts
var shell = __webpack_require__(36673);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(38815);
// EXTERNAL MODULE: ./src/release/compose-project.ts
var compose_project = __webpack_require__(81613);
;// CONCATENATED MODULE: ./src/release/compose.ts








/**
 * `mode: compose`: the release is a compose file (+ env files) whose images are pinned by digest.
 * It rides the release model unchanged: `compose pull` is part of the before-switch step (a failed
 * pull leaves current untouched), `compose up -d --wait` is the restart command (so a revert or a
 * rollback re-ups the previous release's compose file). One project name across releases, so each
 * `up` replaces the previous release's containers instead of starting a second copy.
 */
const composeInputs = {
    mode: (0,core_inputs/* choice */.Yq)(['release', 'compose'], 'release'),
    'compose-file': (0,core_inputs/* text */.Qq)('compose.yaml'),
    'compose-project': (0,core_inputs/* pattern */.T1)(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'a compose project name of lower-case letters, digits, "_" and "-"'),
};
/**
 * docker compose where docker is there, podman compose otherwise. One line: restart-command runs
 * each line as its own command, and the compose up is one of them.
 */
const PICK_COMPOSE = [
    'if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then dc=(docker compose)',
    'elif command -v podman >/dev/null 2>&1; then dc=(podman compose)',
    'else echo "neither docker compose nor podman compose is installed on this host" >&2; exit 127; fi',
].join('; ');
function composeCommand(options, args) {
    return `${PICK_COMPOSE}; "\${dc[@]}" ${(0,shell/* shellCommand */.q$)(['--project-name', options.project, '--file', options.file, ...args])}`;
}
function composePullCommand(options) {
    return composeCommand(options, ['pull', '--quiet']);
}
function composeUpCommand(options) {
    return composeCommand(options, ['up', '--detach', '--wait', '--remove-orphans']);
}
/** Checks the compose file in the source: present, parseable, and every service's image pinned by digest. */
function checkComposeFile(source, file) {
    if (!(0,shell/* isSafeRelativePath */.VH)(file))
        throw new core_errors/* ConfigurationError */.j1(`input "compose-file": expected a path relative to the source without "..", got ${JSON.stringify(file)}`);
    const path = (0,external_node_path_.join)(source, file);
    if (!(0,external_node_fs_.existsSync)(path))
        throw new core_errors/* ConfigurationError */.j1(`input "compose-file": ${path} does not exist in the release source`);
    let doc;
    try {
        doc = ((0,dist/* parse */.qg)((0,external_node_fs_.readFileSync)(path, 'utf8')) ?? {});
    }
    catch (error) {
        throw new core_errors/* ConfigurationError */.j1(`input "compose-file": ${path} is not valid YAML: ${(0,core_errors/* errorMessage */.gJ)(error)}`);
    }
    const services = Object.entries(doc.services ?? {});
    if (services.length === 0)
        throw new core_errors/* ConfigurationError */.j1(`input "compose-file": ${path} defines no services`);
    const unpinned = services
        .filter(([, s]) => !s?.image || !/@sha256:[0-9a-f]{64}$/.test(s.image))
        .map(([name, s]) => `${name} (${s?.image ?? (s?.build ? 'build:' : 'no image')})`);
    if (unpinned.length > 0) {
        throw new core_errors/* ConfigurationError */.j1(`input "compose-file": every service must use an image pinned by digest (repo@sha256:...), so a release always runs the same bits; not pinned: ${unpinned.join(', ')}`);
    }
}
/** The before-switch and restart commands of a compose release; the user's own commands run after ours. */
function composeCommands(options, user) {
    const pull = composePullCommand(options);
    const up = composeUpCommand(options);
    return {
        beforeSwitch: user.beforeSwitch ? `${pull}\n${user.beforeSwitch}` : pull,
        restartCommand: user.restartCommand ? `${up}\n${user.restartCommand}` : up,
    };
}
/** Turns a release-mode config into a compose one (backend and rollback); unchanged in release mode. */
function applyComposeMode(config, inputs) {
    if (inputs.mode !== 'compose')
        return config;
    const options = { file: inputs['compose-file'], project: (0,compose_project/* composeProject */.O)(config.root, inputs['compose-project']) };
    if (config.source !== undefined)
        checkComposeFile(config.source, options.file);
    const commands = composeCommands(options, config);
    // A rollback has no before-switch step; its restart re-ups the older release's compose file.
    return config.source === undefined ? { ...config, restartCommand: commands.restartCommand } : { ...config, ...commands };
}

// EXTERNAL MODULE: ./src/release/lock.ts
var lock = __webpack_require__(14722);
// EXTERNAL MODULE: ./src/core/clock.ts
var clock = __webpack_require__(32257);
;// CONCATENATED MODULE: ./src/release/names.ts
/**
 * Release ids: checked while parsing inputs, before any connection, so a hostile value never
 * reaches a shell.
 */

const RELEASE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const RELEASE_ID_TEXT = 'a release id of letters, digits, ".", "_" and "-" (at most 128, no "..")';
function isSafeReleaseId(value) {
    return RELEASE_ID.test(value) && !value.includes('..');
}
/** The release id when none is given: the UTC stamp, then the short commit sha when known. */
function defaultReleaseId(now, sha) {
    return sha ? `${(0,clock/* utcStamp */.s)(new Date(now))}-${sha.slice(0, 7)}` : (0,clock/* utcStamp */.s)(new Date(now));
}

;// CONCATENATED MODULE: ./src/release/swarm/config.ts
/** The `services` output, once the strategy has seen the stack converge or fail. */
function swarmServicesOutput(report, ctx) {
    if (report.services)
        ctx.outputs.set('services', JSON.stringify(report.services));
}

// EXTERNAL MODULE: ./src/release/swarm/inputs.ts
var swarm_inputs = __webpack_require__(89321);
;// CONCATENATED MODULE: ./src/release/switch/inputs.ts



/** The inputs of the switch step, shared by backend and rollback (rollback starts releases the same way). */
const switchInputs = {
    switch: (0,core_inputs/* choice */.Yq)(['restart', 'blue-green'], 'restart'),
    ports: (0,core_inputs/* list */.p_)(),
    'start-command': (0,core_inputs/* optionalText */.mR)(),
    'stop-command': (0,core_inputs/* optionalText */.mR)(),
    'health-path': (0,core_inputs/* text */.Qq)('/'),
    'nginx-upstream-file': (0,core_inputs/* optionalText */.mR)(),
    'nginx-test-command': (0,core_inputs/* text */.Qq)('nginx -t'),
    'nginx-reload-command': (0,core_inputs/* text */.Qq)('nginx -s reload'),
    'drain-seconds': (0,core_inputs/* integer */.nd)(10, 0, 3600),
};
const BLUE_GREEN_ONLY = ['start-command', 'stop-command', 'nginx-upstream-file'];
/** Checks the switch inputs together, before anything remote happens. */
function switchConfig(inputs) {
    if (inputs.switch === 'restart') {
        const stray = BLUE_GREEN_ONLY.find((name) => inputs[name] !== undefined) ?? (inputs.ports.length > 0 ? 'ports' : undefined);
        if (stray)
            throw new core_errors/* ConfigurationError */.j1(`input "${stray}": only used with switch: blue-green (switch is restart)`);
        return { kind: 'restart' };
    }
    // restart-command stays allowed: it restarts the processes that are not the web pair (workers, beat) after the switch.
    const ports = inputs.ports.map((p) => (/^\d{1,5}$/.test(p) ? Number(p) : NaN));
    if (ports.length !== 2 || ports.some((p) => !(p >= 1 && p <= 65535)) || ports[0] === ports[1]) {
        throw new core_errors/* ConfigurationError */.j1(`input "ports": expected two different loopback ports such as 8001,8002, got ${JSON.stringify(inputs.ports.join(','))}`);
    }
    if (!inputs['start-command']) {
        throw new core_errors/* ConfigurationError */.j1('input "start-command": required with switch: blue-green; it starts the release on $PORT, e.g. sudo systemctl start app@$PORT');
    }
    const file = inputs['nginx-upstream-file'];
    if (!file)
        throw new core_errors/* ConfigurationError */.j1('input "nginx-upstream-file": required with switch: blue-green, e.g. /etc/nginx/deploy-kit/app-upstream.conf');
    if (!file.startsWith('/') || !(0,shell/* isSafeRemotePath */.dA)(file) || file.endsWith('/')) {
        throw new core_errors/* ConfigurationError */.j1(`input "nginx-upstream-file": expected an absolute file path without "..", spaces or shell characters, got ${JSON.stringify(file)}`);
    }
    const path = inputs['health-path'];
    if (!/^\/[\x21-\x7e]*$/.test(path))
        throw new core_errors/* ConfigurationError */.j1(`input "health-path": expected a path starting with "/" without spaces, got ${JSON.stringify(path)}`);
    return {
        kind: 'blue-green',
        ports: [ports[0], ports[1]],
        startCommand: inputs['start-command'],
        stopCommand: inputs['stop-command'],
        healthPath: path,
        nginx: { upstreamFile: file, testCommand: inputs['nginx-test-command'], reloadCommand: inputs['nginx-reload-command'] },
        drainMs: inputs['drain-seconds'] * 1000,
    };
}

// EXTERNAL MODULE: ./src/release/venv.ts
var venv = __webpack_require__(56384);
// EXTERNAL MODULE: ./src/ssh/inputs.ts
var ssh_inputs = __webpack_require__(7241);
// EXTERNAL MODULE: ./src/core/logger.ts
var core_logger = __webpack_require__(11227);
// EXTERNAL MODULE: ./src/core/missing-secret.ts
var missing_secret = __webpack_require__(81360);
;// CONCATENATED MODULE: ./src/backend/digitalocean/config.ts





/**
 * DigitalOcean App Platform (https://api.digitalocean.com/v2): create a deployment, follow its phase
 * to ACTIVE, cancel it on timeout; roll back with validate → rollback → commit (or revert on failure).
 */
const DIGITALOCEAN_API = 'https://api.digitalocean.com/v2';
/** The documented deployment phases: waiting ones, and where a deployment ends. */
const IN_PROGRESS = new Set(['UNKNOWN', 'PENDING_BUILD', 'BUILDING', 'PENDING_DEPLOY', 'DEPLOYING']);
const ENDED = new Set(['ACTIVE', 'SUPERSEDED', 'ERROR', 'CANCELED']);
/** Inputs only `provider: digitalocean` reads (`token`, `timeout`, `api-url` are shared). */
const digitalOceanAppInputs = {
    'app-id': (0,core_inputs/* pattern */.T1)(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'a DigitalOcean app id (a UUID, doctl apps list)'),
};
const digitalOceanDeployInputs = { ...digitalOceanAppInputs, 'force-build': (0,core_inputs/* bool */.lc)(false) };
function config_digitalOceanConfig(inputs, ctx) {
    if (!inputs['app-id'])
        throw new core_errors/* ConfigurationError */.j1('input "app-id": expected the App Platform app id (a UUID) with provider digitalocean');
    if (!inputs.token)
        throw (0,missing_secret/* missingSecret */.bk)('token', 'provider digitalocean needs a DigitalOcean API token with app:read and app:update');
    (0,core_logger/* maskSecret */.$l)(ctx.logger, inputs.token);
    return {
        apiUrl: (inputs['api-url'] ?? DIGITALOCEAN_API).replace(/\/+$/, ''),
        token: inputs.token,
        appId: inputs['app-id'],
        timeoutMs: inputs.timeout,
        forceBuild: inputs['force-build'] ?? false,
    };
}
const stepSchema = schemas/* lazy */.RZV(() => schemas/* object */.Ikc({
    name: schemas/* string */.YjP(),
    status: schemas/* string */.YjP(),
    reason: schemas/* object */.Ikc({ code: schemas/* string */.YjP().optional(), message: schemas/* string */.YjP().optional() }).nullish(),
    steps: schemas/* array */.YOg(stepSchema).nullish(),
}));
const deploymentSchema = schemas/* object */.Ikc({
    id: schemas/* string */.YjP(),
    phase: schemas/* string */.YjP(),
    cause: schemas/* string */.YjP().optional(),
    created_at: schemas/* string */.YjP().optional(),
    progress: schemas/* object */.Ikc({ steps: schemas/* array */.YOg(stepSchema).nullish(), error_steps: schemas/* number */.aig().optional() }).nullish(),
});
const appSchema = schemas/* object */.Ikc({
    id: schemas/* string */.YjP(),
    spec: schemas/* object */.Ikc({ name: schemas/* string */.YjP() }).loose(),
    live_url: schemas/* string */.YjP().optional(),
    active_deployment: schemas/* object */.Ikc({ id: schemas/* string */.YjP() }).loose().nullish(),
    pinned_deployment: schemas/* object */.Ikc({ id: schemas/* string */.YjP() }).loose().nullish(),
});
/** The deepest step with status ERROR, for "which step failed and why". */
function failedStep(deployment) {
    const walk = (steps) => {
        for (const step of steps ?? [])
            if (step.status === 'ERROR')
                return walk(step.steps) ?? step;
        return undefined;
    };
    return walk(deployment.progress?.steps);
}

// EXTERNAL MODULE: ./src/core/json-api.ts
var json_api = __webpack_require__(80444);
// EXTERNAL MODULE: ./src/core/http.ts
var http = __webpack_require__(1983);
;// CONCATENATED MODULE: ./src/core/vendor.ts


/** The message in an error body: `{message}` (DigitalOcean), `{error}` (Fly), `{detail}` (Sentry), or the body itself. */
function bodyMessage(body) {
    try {
        const parsed = JSON.parse(body);
        const found = [parsed.message, parsed.detail, parsed.error].find((v) => typeof v === 'string');
        return typeof found === 'string' ? found : body;
    }
    catch {
        return body;
    }
}
function describeVendorError(error, shape) {
    if (!(error instanceof http/* HttpError */.j$))
        return error instanceof Error ? error : new Error(String(error));
    const message = bodyMessage(error.body);
    if (error.status === 401 || error.status === 403) {
        return new core_errors/* ConfigurationError */.j1(`input "${shape.tokenInput}": ${shape.vendor} refused the token (${error.status}: ${message}); check that it is valid and may act on this resource`);
    }
    const path = new URL(error.request.url).pathname.replace(/\/+$/, '');
    if (error.status === 404 && shape.notFound && path.endsWith(shape.notFound.pathEnd)) {
        return new core_errors/* ConfigurationError */.j1(`input "${shape.notFound.input}": ${shape.vendor} has no ${shape.notFound.what} for this token (404)`);
    }
    const where = error.request.url.replace(shape.apiUrl, '').replace(/\?.*$/, '');
    return new core_errors/* OperationalError */.LE(`${shape.vendor} ${error.request.method} ${where} returned ${error.status}: ${message}`);
}
/** A vendor response checked against the fields the kit reads; a different shape fails naming them. */
function parseVendor(schema, value, what) {
    const result = schema.safeParse(value);
    if (result.success)
        return result.data;
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
    throw new core_errors/* OperationalError */.LE(`${what} answered in a shape the kit does not know (${problems})`, 'the vendor API may have changed; open an issue with this message');
}

// EXTERNAL MODULE: ./src/backend/follow.ts
var follow = __webpack_require__(97991);
;// CONCATENATED MODULE: ./src/backend/digitalocean/host.ts






const wrapped = schemas/* object */.Ikc({ deployment: deploymentSchema });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** An App Platform app: verify, deploy to ACTIVE (cancel on timeout), roll back (validate, rollback, commit or revert). */
class host_DigitalOceanHost {
    config;
    name = 'digitalocean';
    liveUrl;
    constructor(config) {
        this.config = config;
    }
    async call(ctx, method, path, options = {}) {
        try {
            return await (0,json_api/* jsonApi */.Z)(ctx, this.config.apiUrl, this.config.token).send(method, `/apps/${this.config.appId}${path}`, options);
        }
        catch (error) {
            throw describeVendorError(error, {
                vendor: 'DigitalOcean',
                apiUrl: this.config.apiUrl,
                tokenInput: 'token',
                notFound: { pathEnd: `/apps/${this.config.appId}`, input: 'app-id', what: `app ${this.config.appId}` },
            });
        }
    }
    async deployment(ctx, method, path, body) {
        const response = await this.call(ctx, method, path, { body });
        return parseVendor(wrapped, response.json(), `DigitalOcean ${method} ${path}`).deployment;
    }
    view(d) {
        return { id: d.id, status: d.phase, url: this.liveUrl };
    }
    async verify(ctx) {
        const app = parseVendor(schemas/* object */.Ikc({ app: appSchema }), (await this.call(ctx, 'GET', '')).json(), 'DigitalOcean get app').app;
        this.liveUrl = app.live_url;
        ctx.logger.info(`App Platform app ${app.spec.name}${app.live_url ? ` (${app.live_url})` : ''}`);
        if (app.pinned_deployment)
            ctx.logger.warning(`app ${app.spec.name} is pinned to rollback ${app.pinned_deployment.id}: new deployments wait until it is committed or reverted`);
        return { url: app.live_url };
    }
    /** The log URL of a failed deployment: BUILD logs when a build step failed, DEPLOY logs otherwise. */
    async logUrl(ctx, id, step) {
        const type = step && /build/i.test(step) ? 'BUILD' : 'DEPLOY';
        const logs = await this.call(ctx, 'GET', `/deployments/${id}/logs`, { query: { type, follow: 'false' } }).then((r) => r.json(), () => undefined);
        return logs?.historic_urls?.[0] ?? logs?.live_url;
    }
    /** Follows the phase to where it ends; ACTIVE is success, the deadline cancels the deployment. */
    async follow(ctx, start, report) {
        const seen = await (0,follow/* followDeploy */.p)({
            what: `DigitalOcean deployment ${start.id} to become ACTIVE`,
            id: start.id,
            timeoutMs: this.config.timeoutMs,
            word: 'phase',
            read: () => this.deployment(ctx, 'GET', `/deployments/${start.id}`),
            state: (d) => d.phase,
            ended: (phase) => ENDED.has(phase),
            known: (phase) => IN_PROGRESS.has(phase),
            unknown: (phase) => `${start.id}: phase ${phase} is not one the kit knows; still waiting`,
            onChange: (d) => (report.deployment = this.view(d)),
            cancel: () => this.deployment(ctx, 'POST', `/deployments/${start.id}/cancel`),
            hint: 'raise `timeout`, or read the deployment in the App Platform console',
        }, start, ctx);
        if (seen.phase === 'ACTIVE') {
            report.deployment = this.view(seen);
            return;
        }
        const step = failedStep(seen);
        const url = seen.phase === 'ERROR' ? await this.logUrl(ctx, seen.id, step?.name) : undefined;
        const why = step ? ` at step ${step.name}${step.reason?.message ? `: ${step.reason.message}` : ''}` : '';
        throw new core_errors/* OperationalError */.LE(`DigitalOcean deployment ${seen.id} ended ${seen.phase}${why}`, seen.phase === 'ERROR'
            ? `read its logs${url ? `: ${url}` : ' in the App Platform console'}`
            : 'someone canceled it, or a newer deployment replaced it');
    }
    async deploy(ctx, report) {
        const created = await this.deployment(ctx, 'POST', '/deployments', { force_build: this.config.forceBuild });
        ctx.logger.info(`DigitalOcean deployment ${created.id}: ${created.phase}`);
        report.deployment = this.view(created);
        await this.follow(ctx, created, report);
    }
    /** `previous` is the newest SUPERSEDED deployment older than the active one (it was live before it). */
    async resolveRollbackTarget(ctx, to) {
        const app = parseVendor(schemas/* object */.Ikc({ app: appSchema }), (await this.call(ctx, 'GET', '')).json(), 'DigitalOcean get app').app;
        const current = app.active_deployment?.id;
        if (to !== 'previous') {
            if (!UUID.test(to))
                throw new core_errors/* ConfigurationError */.j1(`input "to": expected "previous" or a DigitalOcean deployment id (a UUID), got ${JSON.stringify(to)}`);
            return { target: to, current };
        }
        const listing = (await this.call(ctx, 'GET', '/deployments', { query: { page: '1', per_page: '50' } })).json();
        const deployments = parseVendor(schemas/* object */.Ikc({ deployments: schemas/* array */.YOg(deploymentSchema) }), listing, 'DigitalOcean list deployments').deployments;
        const index = deployments.findIndex((d) => d.id === current);
        const previous = deployments.slice(index + 1).find((d) => d.phase === 'SUPERSEDED');
        if (index < 0 || !previous) {
            throw new core_errors/* OperationalError */.LE(`app ${this.config.appId} has no earlier deployment to roll back to (active: ${current ?? 'none'})`, 'name a deployment id in `to`');
        }
        return { target: previous.id, current };
    }
    async rollback(to, ctx, report) {
        const resolved = await this.resolveRollbackTarget(ctx, to);
        const request = { deployment_id: resolved.target, skip_pin: false };
        const check = (await this.call(ctx, 'POST', '/rollback/validate', { body: request })).json();
        for (const warning of check.warnings ?? [])
            ctx.logger.warning(`rollback to ${resolved.target}: ${warning.message ?? warning.code}`);
        if (check.valid === false) {
            throw new core_errors/* OperationalError */.LE(`DigitalOcean refuses to roll back to ${resolved.target}: ${check.error?.message ?? check.error?.code ?? 'not valid'}`, 'pick another deployment in `to`');
        }
        ctx.logger.info(`rolling app ${this.config.appId} back to ${resolved.target} (active now: ${resolved.current ?? 'none'})`);
        const started = await this.deployment(ctx, 'POST', '/rollback', request);
        report.deployment = this.view(started);
        report.from = resolved;
        try {
            await this.follow(ctx, started, report);
            await this.call(ctx, 'POST', '/rollback/commit');
            ctx.logger.info(`committed the rollback: app ${this.config.appId} is unpinned`);
        }
        catch (error) {
            const revert = await this.deployment(ctx, 'POST', '/rollback/revert').then((d) => `reverted the rollback (deployment ${d.id} restores the app as it was)`, (e) => `could not revert the rollback: ${(0,core_errors/* errorMessage */.gJ)(e)}; the app stays pinned until it is committed or reverted`);
            throw new core_errors/* OperationalError */.LE(`${(0,core_errors/* errorMessage */.gJ)(error)}; ${revert}`, error instanceof core_errors/* OperationalError */.LE ? error.hint : undefined);
        }
    }
}

;// CONCATENATED MODULE: ./src/backend/fly/config.ts




/**
 * Fly.io through the Machines API (https://api.machines.dev/v1): every Machine of the app (or of one
 * process group) is updated to the new image under a lease, waited for to reach `started` and pass its
 * checks, in batches of `max-parallel`; a failure puts the updated Machines back on their old image.
 */
const FLY_API = 'https://api.machines.dev/v1';
/** The image the kit saw before it updated a Machine, kept in the Machine's own config metadata. */
const PREVIOUS_IMAGE_KEY = 'deploy_kit_previous_image';
const RELEASE_KEY = 'deploy_kit_release';
/** An image reference pinned by digest: what Fly is told to run must not move under it. */
const PINNED_IMAGE = /^[a-z0-9][\w.:/-]*@sha256:[0-9a-f]{64}$/;
/** Inputs only `provider: fly` reads (`token`, `image`, `timeout`, `api-url`, `max-parallel` are shared). */
const flyInputs = {
    app: (0,core_inputs/* pattern */.T1)(/^[a-z0-9][a-z0-9-]{1,62}$/, 'a Fly app name (lowercase letters, digits and dashes)'),
    'process-group': (0,core_inputs/* pattern */.T1)(/^[a-z0-9_-]{1,63}$/, 'a process group name from fly.toml [processes], such as app or worker'),
};
function config_flyConfig(inputs, ctx) {
    if (!inputs.app)
        throw new core_errors/* ConfigurationError */.j1('input "app": expected the Fly app name with provider fly');
    if (!inputs.token)
        throw (0,missing_secret/* missingSecret */.bk)('token', 'provider fly needs a Fly API token (fly tokens create deploy)');
    (0,core_logger/* maskSecret */.$l)(ctx.logger, inputs.token);
    return {
        apiUrl: (inputs['api-url'] ?? FLY_API).replace(/\/+$/, ''),
        token: inputs.token,
        app: inputs.app,
        processGroup: inputs['process-group'],
        maxParallel: inputs['max-parallel'] ?? 1,
        timeoutMs: inputs.timeout,
    };
}
/** The image to deploy or roll back to: required, and pinned by digest. */
function pinnedImage(input, value) {
    if (!value)
        throw new core_errors/* ConfigurationError */.j1(`input "${input}": expected the image to run, pinned by digest (repository@sha256:...)`);
    if (!PINNED_IMAGE.test(value))
        throw new core_errors/* ConfigurationError */.j1(`input "${input}": expected an image pinned by digest (repository@sha256:<64 hex>, the image action's \`image\` output), got ${JSON.stringify(value)}`);
    return value;
}

;// CONCATENATED MODULE: ./src/backend/fly/machines.ts




/** The fields of a Machine the kit reads; the config is kept whole, because an update sends it back. */
const machineSchema = schemas/* object */.Ikc({
    id: schemas/* string */.YjP(),
    name: schemas/* string */.YjP().optional(),
    state: schemas/* string */.YjP(),
    region: schemas/* string */.YjP().optional(),
    instance_id: schemas/* string */.YjP(),
    config: schemas/* looseObject */._H3({ image: schemas/* string */.YjP(), metadata: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* string */.YjP()).nullish() }),
    checks: schemas/* array */.YOg(schemas/* object */.Ikc({ name: schemas/* string */.YjP(), status: schemas/* string */.YjP(), output: schemas/* string */.YjP().optional() })).nullish(),
});
const leaseSchema = schemas/* object */.Ikc({ data: schemas/* object */.Ikc({ nonce: schemas/* string */.YjP(), expires_at: schemas/* number */.aig().optional() }) });
/** The Machines API calls the kit makes, each through the shared JSON client (429/5xx retried there). */
class FlyMachines {
    config;
    ctx;
    constructor(config, ctx) {
        this.config = config;
        this.ctx = ctx;
    }
    async call(method, path, options = {}) {
        try {
            return await (0,json_api/* jsonApi */.Z)(this.ctx, this.config.apiUrl, this.config.token).send(method, `/apps/${this.config.app}${path}`, options);
        }
        catch (error) {
            throw describeVendorError(error, {
                vendor: 'Fly',
                apiUrl: this.config.apiUrl,
                tokenInput: 'token',
                notFound: { pathEnd: `/apps/${this.config.app}/machines`, input: 'app', what: `app ${this.config.app}` },
            });
        }
    }
    /** Every Machine of the app, or of one process group (config.metadata.fly_process_group). */
    async list(processGroup) {
        const machines = parseVendor(schemas/* array */.YOg(machineSchema), (await this.call('GET', '/machines')).json(), 'Fly list machines');
        return machines.filter((m) => !processGroup || m.config.metadata?.fly_process_group === processGroup);
    }
    async get(id) {
        return parseVendor(machineSchema, (await this.call('GET', `/machines/${id}`)).json(), `Fly get machine ${id}`);
    }
    /** Takes the Machine's lease (exclusive right to change it) for `ttl` seconds; returns the nonce. */
    async lease(id, ttl) {
        const response = await this.call('POST', `/machines/${id}/lease`, { body: { ttl, description: 'deploy-kit rollout' } });
        return parseVendor(leaseSchema, response.json(), `Fly lease ${id}`).data.nonce;
    }
    async release(id, nonce) {
        await this.call('DELETE', `/machines/${id}/lease`, { headers: { 'fly-machine-lease-nonce': nonce } });
    }
    /** Replaces the Machine's config (the Machine is replaced and started); returns the new version. */
    async update(id, config, nonce) {
        const response = await this.call('POST', `/machines/${id}`, { body: { config }, headers: { 'fly-machine-lease-nonce': nonce } });
        return parseVendor(machineSchema, response.json(), `Fly update machine ${id}`);
    }
    /** Blocks up to `timeoutS` (max 60) for that version to reach `state`; false when it did not get there. */
    async wait(id, instanceId, state, timeoutS) {
        const query = { instance_id: instanceId, state, timeout: String(Math.max(1, Math.min(60, timeoutS))) };
        try {
            await (0,json_api/* jsonApi */.Z)(this.ctx, this.config.apiUrl, this.config.token).send('GET', `/apps/${this.config.app}/machines/${id}/wait`, { query });
            return true;
        }
        catch (error) {
            // 408: not there yet; "failed to reach desired state": the caller reads the Machine's state and says which.
            if (error instanceof http/* HttpError */.j$ && (error.status === 408 || /failed to reach desired state/.test(error.body)))
                return false;
            throw describeVendorError(error, { vendor: 'Fly', apiUrl: this.config.apiUrl, tokenInput: 'token' });
        }
    }
}

// EXTERNAL MODULE: ./src/core/wait.ts
var core_wait = __webpack_require__(23210);
;// CONCATENATED MODULE: ./src/backend/fly/rollout.ts



/** A Machine that cannot reach `started` (failed, stopped, destroyed): ends the wait at once. */
class MachineFailed extends core_errors/* OperationalError */.LE {
}
const DEAD = new Set(['failed', 'stopped', 'destroyed', 'destroying', 'launch_failed']);
/** Waits for a Machine version to be `started` (Fly's wait endpoint holds each call up to 60 s) and every check to pass. */
async function waitHealthy(api, ctx, id, instanceId, deadline) {
    const isFatal = (e) => e instanceof MachineFailed || e instanceof core_errors/* ConfigurationError */.j1;
    const wait = { clock: ctx.clock, isFatal, timeoutMs: Math.max(1000, deadline - ctx.clock.now()) };
    await (0,core_wait/* waitFor */.f)({
        ...wait,
        what: `Fly machine ${id} to reach started`,
        initialDelayMs: 200,
        read: async () => {
            if (await api.wait(id, instanceId, 'started', Math.ceil((deadline - ctx.clock.now()) / 1000)))
                return 'started';
            const machine = await api.get(id);
            if (DEAD.has(machine.state))
                throw new MachineFailed(`Fly machine ${id} is ${machine.state} instead of started`);
            return machine.state;
        },
        state: (state) => state,
        ended: (state) => state === 'started',
    });
    await (0,core_wait/* waitFor */.f)({
        ...wait,
        what: `the checks of Fly machine ${id} to pass`,
        timeoutMs: Math.max(1000, deadline - ctx.clock.now()),
        read: async () => {
            const machine = await api.get(id);
            if (DEAD.has(machine.state))
                throw new MachineFailed(`Fly machine ${id} is ${machine.state} after starting`);
            return (machine.checks ?? []).filter((c) => c.status !== 'passing');
        },
        state: (failing) => failing.map((c) => `${c.name} ${c.status}${c.output ? ` (${c.output.trim()})` : ''}`).join(', '),
        ended: (_state, failing) => failing.length === 0,
        reason: (state) => state,
    });
}
/** Changes one Machine's image under its lease (`onUpdated` once Fly accepted the new config); the lease is released whatever happens. */
async function moveMachine(api, ctx, machine, config, deadline, onUpdated = () => undefined) {
    const nonce = await api.lease(machine.id, Math.ceil((deadline - ctx.clock.now()) / 1000) + 60);
    try {
        const updated = await api.update(machine.id, config, nonce);
        onUpdated();
        await waitHealthy(api, ctx, machine.id, updated.instance_id, deadline);
    }
    finally {
        await api
            .release(machine.id, nonce)
            .catch((e) => ctx.logger.warning(`could not release the lease on ${machine.id}: ${(0,core_errors/* errorMessage */.gJ)(e)}`));
    }
}
/** The new config: the Machine's own, with the image and the kit's metadata (previous image, release) changed. */
function withImage(machine, image) {
    const metadata = { ...machine.config.metadata, [PREVIOUS_IMAGE_KEY]: machine.config.image, [RELEASE_KEY]: image };
    return { ...machine.config, image, metadata };
}
/**
 * Rolls `machines` to their target image in batches of `maxParallel`, stopping at the first failed
 * batch; every Machine already changed (the failed one too) gets its old config back, with a fresh
 * deadline, and the error names what failed and what was put back. `reports` (one per Machine,
 * filled in as it goes) says where each Machine ended, also when the rollout fails.
 */
async function rollOut(api, ctx, plan, reports = []) {
    reports.push(...plan.machines.map((m) => ({
        id: m.id,
        region: m.region,
        from: m.config.image,
        to: plan.target(m),
        status: 'pending',
    })));
    const deadline = ctx.clock.now() + plan.timeoutMs;
    const changed = [];
    let failure;
    for (let start = 0; start < plan.machines.length && !failure; start += plan.maxParallel) {
        const batch = plan.machines.slice(start, start + plan.maxParallel);
        const results = await Promise.allSettled(batch.map(async (machine) => {
            const report = reports.find((r) => r.id === machine.id);
            if (report.from === report.to) {
                report.status = 'started';
                ctx.logger.info(`${machine.id}: already on ${report.to}`);
                return;
            }
            report.status = 'updating';
            ctx.logger.info(`${machine.id} (${machine.region ?? '?'}): ${report.from} → ${report.to}`);
            await moveMachine(api, ctx, machine, withImage(machine, report.to), deadline, () => changed.push(machine));
            report.status = 'started';
        }));
        results.forEach((result, i) => {
            if (result.status === 'fulfilled')
                return;
            const report = reports.find((r) => r.id === batch[i].id);
            report.status = 'failed';
            report.error = (0,core_errors/* errorMessage */.gJ)(result.reason);
            failure ??= report.error;
        });
    }
    if (!failure)
        return reports;
    const back = await revert(api, ctx, changed, reports, plan);
    throw new core_errors/* OperationalError */.LE(`${failure}; ${back}`, 'read the Machine logs (fly logs --machine <id>) and its checks, then deploy again');
}
async function revert(api, ctx, changed, reports, plan) {
    if (changed.length === 0)
        return 'no machine had been changed';
    const deadline = ctx.clock.now() + plan.timeoutMs;
    const errors = [];
    for (let start = 0; start < changed.length; start += plan.maxParallel) {
        await Promise.all(changed.slice(start, start + plan.maxParallel).map(async (machine) => {
            const report = reports.find((r) => r.id === machine.id);
            try {
                await moveMachine(api, ctx, machine, machine.config, deadline);
                report.status = 'reverted';
            }
            catch (error) {
                report.status = 'revert failed';
                errors.push(`${machine.id}: ${(0,core_errors/* errorMessage */.gJ)(error)}`);
            }
        }));
    }
    const ids = changed.map((m) => m.id).join(', ');
    return errors.length === 0 ? `put ${ids} back on the image they had` : `could not put every machine back: ${errors.join('; ')}`;
}

;// CONCATENATED MODULE: ./src/backend/fly/host.ts




/** Distinct values in order, joined: one image when every Machine ran the same one. */
const distinct = (values) => [...new Set(values)].join(',');
/** A Fly app's Machines: verify (list them), deploy (roll the new image out), roll back (the recorded previous image or a named one). */
class host_FlyHost {
    config;
    image;
    name = 'fly';
    machines = [];
    constructor(config, image) {
        this.config = config;
        this.image = image;
    }
    scope() {
        return `Fly app ${this.config.app}${this.config.processGroup ? ` (process group ${this.config.processGroup})` : ''}`;
    }
    async verify(ctx) {
        this.machines = await new FlyMachines(this.config, ctx).list(this.config.processGroup);
        if (this.machines.length === 0) {
            throw new core_errors/* ConfigurationError */.j1(`input "${this.config.processGroup ? 'process-group' : 'app'}": ${this.scope()} has no Machines; create them once with fly deploy, then the kit updates them`);
        }
        ctx.logger.info(`${this.scope()}: ${this.machines.map((m) => `${m.id} (${m.region ?? '?'}, ${m.state})`).join(', ')}`);
        return {};
    }
    view(reports, status) {
        const release = distinct(reports.map((r) => r.to));
        return {
            id: release,
            status,
            outputs: {
                release,
                'previous-release': distinct(reports.map((r) => r.from)),
                machines: reports
                    .filter((r) => r.status === 'started')
                    .map((r) => r.id)
                    .join(','),
            },
            rows: reports.map((r) => [r.id, r.region ?? '—', r.from, r.to, r.error ? `${r.status}: ${r.error.split('\n')[0]}` : r.status]),
        };
    }
    /** Rolls the Machines to `target`; the report holds their rows and outputs, also when the rollout fails. */
    async roll(ctx, target, report) {
        const machines = [];
        try {
            await rollOut(new FlyMachines(this.config, ctx), ctx, { machines: this.machines, target, maxParallel: this.config.maxParallel, timeoutMs: this.config.timeoutMs }, machines);
        }
        finally {
            const status = machines.some((r) => r.status === 'reverted')
                ? 'reverted'
                : machines.some((r) => r.status === 'failed')
                    ? 'failed'
                    : machines.every((r) => r.status === 'started')
                        ? 'started'
                        : 'updating';
            if (machines.length > 0)
                report.deployment = this.view(machines, status);
        }
    }
    async deploy(ctx, report) {
        const image = pinnedImage('image', this.image);
        await this.roll(ctx, () => image, report);
    }
    /** `previous`: each Machine's recorded previous image (metadata `deploy_kit_previous_image`); otherwise an image pinned by digest. */
    async rollback(to, ctx, report) {
        const named = to === 'previous' ? undefined : pinnedImage('to', to);
        const unknown = this.machines.filter((m) => !named && !m.config.metadata?.[PREVIOUS_IMAGE_KEY]);
        if (unknown.length > 0) {
            throw new core_errors/* OperationalError */.LE(`${this.scope()}: no previous image is recorded on ${unknown.map((m) => m.id).join(', ')} (the kit records it when it deploys)`, 'name the image to go back to in `to` (repository@sha256:...)');
        }
        const target = (m) => named ?? m.config.metadata[PREVIOUS_IMAGE_KEY];
        const from = { target: distinct(this.machines.map(target)), current: distinct(this.machines.map((m) => m.config.image)) };
        ctx.logger.info(`rolling ${this.scope()} back to ${from.target} (running now: ${from.current})`);
        report.from = from;
        await this.roll(ctx, target, report);
    }
}

;// CONCATENATED MODULE: ./src/backend/hosted.ts
/** deploy-id and status, or the provider's own outputs. */
function setOutputs(d, ctx) {
    if (!d)
        return;
    ctx.outputs.set('status', d.status);
    if (!d.outputs)
        ctx.outputs.set('deploy-id', d.id);
    for (const [name, value] of Object.entries(d.outputs ?? {}))
        if (value !== '')
            ctx.outputs.set(name, value);
}
function writeSummary(heading, view, last, extra, ctx) {
    ctx.summary.heading(heading);
    ctx.summary.table(['field', 'value'], [
        ['source', view.source],
        ...extra,
        ['status', last?.status ?? 'not started'],
        ...Object.entries(last?.outputs ?? (last ? { deploy: last.id } : {})),
    ]);
    if (view.rowHeaders && last?.rows?.length)
        ctx.summary.table(view.rowHeaders, last.rows);
}
/** backend with a hosted provider (fly, digitalocean): verify → deploy → wait; outputs and a summary from what was done, also on failure. */
async function runHostedDeploy(host, view, ctx) {
    const url = (await host.verify(ctx)).url;
    if (url !== undefined)
        ctx.outputs.set('url', url);
    const report = {};
    try {
        await host.deploy(ctx, report);
    }
    finally {
        setOutputs(report.deployment, ctx);
        writeSummary(`deploy-kit backend: ${view.title}`, view, report.deployment, url ? [['url', url]] : [], ctx);
    }
}
/** rollback with a hosted provider: outputs release (what it went back to) and previous-release (what ran before). */
async function hosted_runHostedRollback(host, to, view, ctx) {
    await host.verify(ctx);
    const report = {};
    try {
        await host.rollback(to, ctx, report);
    }
    finally {
        setOutputs(report.deployment, ctx);
        if (report.from)
            ctx.outputs.set('release', report.from.target);
        if (report.from?.current)
            ctx.outputs.set('previous-release', report.from.current);
        const rows = [
            ['from', report.from?.current ?? '—'],
            ['to', report.from?.target ?? to],
        ];
        writeSummary(`deploy-kit rollback: ${view.title}`, view, report.deployment, rows, ctx);
    }
}

;// CONCATENATED MODULE: ./src/backend/providers.ts





/** The hosted backends beside Render that share one runner (src/backend/hosted.ts): name → host. */
const HOSTED_PROVIDERS = ['fly', 'digitalocean'];
const isHostedProvider = (name) => HOSTED_PROVIDERS.includes(name);
/** Their inputs, for the backend schema (rollback takes the same but `force-build`). */
const hostedInputs = { ...flyInputs, ...digitalOceanDeployInputs };
const MACHINE_COLUMNS = ['machine', 'region', 'from', 'to', 'status'];
/** backend with provider fly or digitalocean; every input is checked before the first request. */
function runHostedBackend(provider, inputs, ctx) {
    if (provider === 'fly') {
        const host = new host_FlyHost(config_flyConfig(inputs, ctx), pinnedImage('image', inputs.image));
        return runHostedDeploy(host, { title: `Fly ${inputs.app}`, source: inputs.image, rowHeaders: MACHINE_COLUMNS }, ctx);
    }
    const config = config_digitalOceanConfig(inputs, ctx);
    const source = config.forceBuild ? 'latest source (forced rebuild)' : 'latest source';
    return runHostedDeploy(new host_DigitalOceanHost(config), { title: `DigitalOcean app ${config.appId}`, source }, ctx);
}
/** rollback with provider fly or digitalocean: `to` is `previous`, an image (fly) or a deployment id (digitalocean). */
function runHostedBackendRollback(provider, inputs, ctx) {
    if (provider === 'fly') {
        const host = new FlyHost(flyConfig(inputs, ctx));
        return runHostedRollback(host, inputs.to, { title: `Fly ${inputs.app}`, source: inputs.to, rowHeaders: MACHINE_COLUMNS }, ctx);
    }
    const config = digitalOceanConfig(inputs, ctx);
    return runHostedRollback(new DigitalOceanHost(config), inputs.to, { title: `DigitalOcean app ${config.appId}`, source: inputs.to }, ctx);
}

// EXTERNAL MODULE: ./src/backend/render/config.ts
var render_config = __webpack_require__(9799);
;// CONCATENATED MODULE: ./src/backend/action.ts



















// Loaded once the inputs are checked, not at start-up (src/core/lazy.ts).
const deploy = lazy(() => Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 44304)), 'deploy');
const swarmMode = lazy(() => __webpack_require__.e(/* import() */ 555).then(__webpack_require__.bind(__webpack_require__, 26555)), 'swarmMode');
const triggerDeployHook = lazy(() => __webpack_require__.e(/* import() */ 758).then(__webpack_require__.bind(__webpack_require__, 96758)), 'triggerDeployHook');
const releasePost = lazy(() => Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 41495)), 'releasePost');
const schema = schemas/* object */.Ikc({
    provider: (0,core_inputs/* choice */.Yq)(['ssh', 'render', 'fly', 'digitalocean'], 'ssh'),
    ...ssh_inputs/* sshConnectionInputs */.M$,
    ...render_config/* renderDeployInputs */.Xq,
    ...hostedInputs,
    ...composeInputs,
    ...swarm_inputs/* swarmInputs */.Ui,
    source: (0,core_inputs/* text */.Qq)('.'),
    exclude: (0,core_inputs/* list */.p_)(),
    'shared-dirs': (0,core_inputs/* list */.p_)(),
    'shared-files': (0,core_inputs/* list */.p_)(),
    'keep-releases': (0,core_inputs/* integer */.nd)(5, 2, 1000),
    'release-id': (0,core_inputs/* pattern */.T1)(RELEASE_ID, RELEASE_ID_TEXT),
    'before-switch': (0,core_inputs/* optionalText */.mR)(),
    'python-venv': (0,core_inputs/* optionalText */.mR)(),
    'restart-command': (0,core_inputs/* optionalText */.mR)(),
    'health-url': (0,core_inputs/* httpUrl */.q3)(),
    'health-command': (0,core_inputs/* optionalText */.mR)(),
    'health-expect': (0,core_inputs/* text */.Qq)(''),
    'health-timeout': (0,core_inputs/* duration */.p0)('60s'),
    ...health_host/* healthRoutingInputs */.M4,
    'max-parallel': (0,core_inputs/* integer */.nd)(1, 1, 100),
    ...switchInputs,
});
/** Every check that needs no connection, so a bad input fails before anything remote happens. */
function deployConfig(inputs, ctx) {
    const connection = (0,ssh_inputs/* connectionConfig */.tv)(inputs);
    const releaseId = inputs['release-id'] ?? defaultReleaseId(ctx.clock.now(), ctx.env.sha);
    if (!isSafeReleaseId(releaseId))
        throw new core_errors/* ConfigurationError */.j1(`input "release-id": expected ${RELEASE_ID_TEXT}, got ${JSON.stringify(releaseId)}`);
    const source = (0,external_node_path_.resolve)(ctx.env.workspace, inputs.source);
    (0,core_inputs/* requireDirectory */.T)('source', source);
    for (const name of ['shared-dirs', 'shared-files']) {
        const bad = inputs[name].find((p) => !(0,shell/* isSafeRelativePath */.VH)(p));
        if (bad !== undefined)
            throw new core_errors/* ConfigurationError */.j1(`input "${name}": expected paths relative to the release without "..", spaces or shell characters, got ${JSON.stringify(bad)}`);
    }
    return {
        ...connection,
        releaseId,
        source,
        exclude: ['.git', ...inputs.exclude],
        sharedDirs: inputs['shared-dirs'],
        sharedFiles: inputs['shared-files'],
        keepReleases: inputs['keep-releases'],
        beforeSwitch: (0,venv/* withPythonVenv */.Eu)(inputs['python-venv'], inputs['before-switch']),
        restartCommand: inputs['restart-command'],
        switch: switchConfig(inputs),
        health: {
            url: inputs['health-url'],
            command: inputs['health-command'],
            expect: (0,health/* parseHealthExpect */.Dq)(inputs['health-expect']),
            timeoutMs: inputs['health-timeout'],
            routing: (0,health_host/* healthRouting */.D0)(inputs),
        },
        lock: (0,lock/* lockConfig */.kV)(inputs),
        maxParallel: inputs['max-parallel'],
    };
}
function action_writeSummary(report, ctx) {
    ctx.summary.heading(`deploy-kit backend: release ${report.release}`);
    ctx.summary.table(['host', 'status', 'previous', 'upload', 'health', 'time'], report.hosts.map((h) => [
        h.host,
        h.error ? `${h.status}: ${h.error.split('\n')[0]}` : h.status,
        h.previous ?? '—',
        h.upload ?? '—',
        h.health.join('; ') || '—',
        `${h.seconds.toFixed(1)}s`,
    ]));
}
/** backend with `provider: render`: verify → deploy → wait → outputs deploy-id, url, status and a summary. */
async function runRenderBackend(inputs, ctx) {
    if (inputs['deploy-hook-url'] && !inputs.token) {
        if (inputs.commit && inputs.image)
            throw new core_errors/* ConfigurationError */.j1('inputs "commit" and "image": give one of them');
        const id = await triggerDeployHook(inputs['deploy-hook-url'], { commit: inputs.commit, image: inputs.image }, ctx);
        ctx.outputs.set('deploy-id', id);
        ctx.outputs.set('status', 'created');
        ctx.logger.warning(`Render deploy ${id} triggered by the deploy hook; without an API key (input "token") the step cannot wait for it to go live`);
        ctx.summary
            .heading('deploy-kit backend: Render deploy hook')
            .table(['deploy', 'status'], [[id, 'triggered (not watched: no API key)']]);
        return;
    }
    const config = (0,render_config/* renderConfig */.Xs)(inputs, ctx);
    const { RenderHost } = await __webpack_require__.e(/* import() */ 339).then(__webpack_require__.bind(__webpack_require__, 83339));
    const host = new RenderHost(config);
    const { url } = await host.verify(ctx);
    if (url)
        ctx.outputs.set('url', url);
    const report = {};
    try {
        await host.deploy(ctx, report);
    }
    finally {
        const last = report.deployment;
        if (last)
            ctx.outputs.set('deploy-id', last.id);
        if (last)
            ctx.outputs.set('status', last.status);
        ctx.summary.heading(`deploy-kit backend: Render ${inputs.service}`);
        ctx.summary.table(['deploy', 'status', 'source', 'url'], [[last?.id ?? '—', last?.status ?? 'not started', inputs.image ?? inputs.commit ?? 'latest commit', url ?? '—']]);
    }
}
const backendAction = (0,action/* defineAction */.Q)({
    name: 'backend',
    schema,
    secretInputs: [...ssh_inputs/* SSH_SECRET_INPUTS */.uV, ...render_config/* RENDER_SECRET_INPUTS */.qZ],
    outputs: ['release', 'previous-release', 'release-path', 'hosts', 'deploy-id', 'url', 'status', 'stack', 'services', 'machines'],
    async run(inputs, ctx) {
        if (inputs.provider === 'render')
            return runRenderBackend(inputs, ctx);
        if (isHostedProvider(inputs.provider))
            return runHostedBackend(inputs.provider, inputs, ctx);
        const swarm = {};
        const config = await swarmMode(applyComposeMode(deployConfig(inputs, ctx), (0,swarm_inputs/* withoutSwarm */.vp)(inputs)), inputs, ctx, swarm);
        ctx.outputs.set('release', config.releaseId);
        ctx.outputs.set('release-path', `${config.root}/releases/${config.releaseId}`);
        const report = { release: config.releaseId, hosts: [] };
        try {
            await deploy(config, ctx, report);
        }
        finally {
            swarmServicesOutput(swarm, ctx);
            if (report.previous)
                ctx.outputs.set('previous-release', report.previous);
            if (report.hosts.length > 0) {
                const deployed = report.hosts.filter((h) => h.status === 'deployed');
                ctx.outputs.set('hosts', deployed.map((h) => h.host).join(','));
                action_writeSummary(report, ctx);
            }
        }
    },
    post: releasePost,
});

// EXTERNAL MODULE: ./src/core/exec.ts
var exec = __webpack_require__(72642);
;// CONCATENATED MODULE: ./src/github/client.ts



/** A REST client for GITHUB_API_URL (github.com, GHES, or a test double). */
function githubApi(ctx, token) {
    return (0,json_api/* jsonApi */.Z)(ctx, ctx.env.githubApiUrl, token, {}, { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'user-agent': 'deploy-kit' });
}
function parseRepository(full) {
    const [owner, repo] = full.split('/');
    if (!owner || !repo)
        throw new core_errors/* ConfigurationError */.j1(`GITHUB_REPOSITORY must be owner/name, got ${JSON.stringify(full)}`);
    return { owner, repo };
}
/** Runs a call; a 403 becomes an error that names the permission the job's token is missing. */
async function withPermission(permission, what, call) {
    try {
        return await call();
    }
    catch (error) {
        if (error instanceof http/* HttpError */.j$ && error.status === 403) {
            throw new core_errors/* ConfigurationError */.j1(`input "github-token": GitHub refused to ${what} (HTTP 403${(0,json_api/* vendorMessage */.cA)(error) ? `: ${(0,json_api/* vendorMessage */.cA)(error)}` : ''}). The token needs "${permission}": add \`permissions:\n  ${permission}\` to the job`);
        }
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/github/comments.ts

const PER_PAGE = 100;
/** The hidden line that identifies the sticky comment of one action + provider + site on a PR. */
function stickyMarker(action, provider, site) {
    return `<!-- deploy-kit:${action}:${provider}:${site} -->`;
}
/** Reads the PR's comments 100 at a time, following the Link header's next page, until the marker is found. */
async function findComment(api, repo, issue, marker) {
    for await (const comments of api.pages(`/repos/${repo.owner}/${repo.repo}/issues/${issue}/comments?per_page=${PER_PAGE}`)) {
        const found = comments.find((c) => c.body?.includes(marker));
        if (found)
            return found;
    }
    return undefined;
}
/** Creates the PR comment carrying the marker, or updates the one already there: never a second one. */
async function upsertStickyComment(api, repo, issue, marker, body) {
    return withPermission('pull-requests: write', `comment on pull request #${issue}`, async () => {
        const text = `${marker}\n${body}`;
        const existing = await findComment(api, repo, issue, marker);
        if (existing) {
            await api.call('PATCH', `/repos/${repo.owner}/${repo.repo}/issues/comments/${existing.id}`, { body: { body: text } });
            return { id: existing.id, created: false };
        }
        const created = await api.call('POST', `/repos/${repo.owner}/${repo.repo}/issues/${issue}/comments`, {
            body: { body: text },
        });
        return { id: created.id, created: true };
    });
}

;// CONCATENATED MODULE: ./src/github/deployments.ts

/** A GitHub Deployment, so the URL shows on the PR and on the environments page. */
async function createDeployment(api, repo, request) {
    return withPermission('deployments: write', `create a deployment for ${request.environment}`, async () => {
        const created = await api.call('POST', `/repos/${repo.owner}/${repo.repo}/deployments`, {
            body: {
                ref: request.ref,
                environment: request.environment,
                description: request.description,
                auto_merge: false,
                required_contexts: [],
                transient_environment: !request.production,
                production_environment: request.production,
            },
        });
        return created.id;
    });
}
async function setDeploymentStatus(api, repo, id, update) {
    await withPermission('deployments: write', `set the status of deployment ${id}`, () => api.call('POST', `/repos/${repo.owner}/${repo.repo}/deployments/${id}/statuses`, {
        body: {
            state: update.state,
            environment: update.environment,
            ...(update.logUrl ? { log_url: update.logUrl } : {}),
            ...(update.environmentUrl ? { environment_url: update.environmentUrl } : {}),
            ...(update.description ? { description: update.description.slice(0, 140) } : {}),
            auto_inactive: update.state === 'success',
        },
    }));
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
;// CONCATENATED MODULE: ./src/providers/files.ts



async function walk(dir) {
    const entries = await (0,promises_.readdir)(dir, { withFileTypes: true });
    const nested = await Promise.all(entries.map(async (entry) => {
        const full = (0,external_node_path_.join)(dir, entry.name);
        if (entry.isDirectory())
            return walk(full);
        return entry.isFile() ? [full] : [];
    }));
    return nested.flat();
}
/** The absolute path of every regular file under root, sorted. */
async function listSite(root) {
    return (await walk(root)).sort();
}
/** Every regular file under root with its sha1 digest (what Vercel and Netlify deduplicate by), sorted by path. */
async function digestSite(root, concurrency = 16) {
    return digestFiles(root, await listSite(root), concurrency);
}
/** The given files under root (from listSite) with their sha1 digests, in the same order. */
async function digestFiles(root, paths, concurrency = 16) {
    return mapPool(paths, concurrency, async (absolute) => {
        const data = await (0,promises_.readFile)(absolute);
        return {
            path: (0,external_node_path_.relative)(root, absolute).split(external_node_path_.sep).join('/'),
            absolute,
            sha: (0,external_node_crypto_.createHash)('sha1').update(data).digest('hex'),
            size: data.length,
        };
    });
}
/** Runs fn over items with at most `limit` in flight; results keep the input order; the first failure rejects. */
async function mapPool(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await fn(items[index]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}
/** The files whose sha1 is in the wanted list, one per digest (identical files are uploaded once). */
function filesForDigests(files, digests) {
    const wanted = new Set(digests);
    const seen = new Set();
    return files.filter((f) => wanted.has(f.sha) && !seen.has(f.sha) && seen.add(f.sha));
}
/** Files sent to a vendor at once. */
const UPLOAD_CONCURRENCY = 8;
/** Reads and sends each file, a few at a time; `sent` runs after each file that was sent. */
async function uploadFiles(files, send, sent) {
    await mapPool(files, UPLOAD_CONCURRENCY, async (file) => {
        const data = await (0,promises_.readFile)(file.absolute);
        await send(file, new Uint8Array(data));
        sent?.();
    });
}

;// CONCATENATED MODULE: ./src/providers/lookup.ts

/** The entry for a `provider` input; any other name fails as `<unknown> "<name>"; known: <the names>`. */
function providerEntry(table, name, unknown) {
    const entry = Object.hasOwn(table, name) ? table[name] : undefined;
    if (entry === undefined)
        throw new core_errors/* ConfigurationError */.j1(`input "provider": ${unknown} "${name}"; known: ${Object.keys(table).join(', ')}`);
    return entry;
}
/** A provider's required input, or `input "<input>": expected <what>`. */
function requireInput(value, input, what) {
    if (!value)
        throw new core_errors/* ConfigurationError */.j1(`input "${input}": expected ${what}`);
    return value;
}

;// CONCATENATED MODULE: ./src/providers/wait.ts


/**
 * Polls a vendor deployment to a ready state within the deadline. A failed state fails with the
 * vendor's message; on timeout the deployment is cancelled and the error says which state it was in.
 */
async function waitForState(wait, ctx, pollMs = 1000) {
    let result;
    try {
        ({ value: result } = await (0,core_wait/* waitFor */.f)({
            what: wait.what,
            timeoutMs: wait.timeoutMs,
            clock: ctx.clock,
            initialDelayMs: Math.min(pollMs, 500),
            maxDelayMs: pollMs,
            read: () => wait.read(),
            state: (seen) => seen.state,
            initial: 'unknown',
            ended: (state) => wait.ready.includes(state) || wait.failed.includes(state),
            onChange: (_seen, state) => wait.onState?.(state),
        }));
    }
    catch (error) {
        let cancelled = 'cancelled it';
        try {
            await wait.cancel();
        }
        catch (cancelError) {
            cancelled = `could not cancel it: ${(0,core_errors/* errorMessage */.gJ)(cancelError)}`;
        }
        const last = error instanceof core_wait/* WaitTimeoutError */.D ? (error.lastState ?? 'unknown') : 'unknown';
        throw new core_errors/* OperationalError */.LE(`${wait.what} was still ${last} after ${Math.round(wait.timeoutMs / 1000)}s; ${cancelled}`, 'raise "timeout" if builds are slow, or look at the deployment in the vendor dashboard');
    }
    if (wait.failed.includes(result.state))
        throw new core_errors/* OperationalError */.LE(`${wait.what} ended ${result.state}: ${wait.failure(result.state, result.value)}`);
    return result.value;
}
/** waitForState for a publish: each new state is logged as "<what>: <state>" and kept in progress.state. */
async function waitForPublish(wait, ctx, progress) {
    return waitForState({
        ...wait,
        onState: (state) => {
            progress.state = state;
            ctx.logger.info(`${wait.what}: ${state}`);
        },
    }, ctx);
}

;// CONCATENATED MODULE: ./src/providers/netlify.ts




const NETLIFY_API = 'https://api.netlify.com/api/v1';
function netlifyApi(config, ctx) {
    return (0,json_api/* jsonApi */.Z)(ctx, config.apiUrl ?? NETLIFY_API, config.token);
}
const encodePath = (path) => path.split('/').map(encodeURIComponent).join('/');
function netlifyHost(inputs, site) {
    return {
        provider: 'netlify',
        site,
        needsDigests: true,
        async publish(request, ctx, progress) {
            const api = netlifyApi({ token: inputs.token, site, apiUrl: inputs['api-url'] }, ctx);
            const files = Object.fromEntries(request.files.map((f) => [`/${f.path}`, f.sha]));
            const created = await api
                .call('POST', `/sites/${encodeURIComponent(site)}/deploys`, {
                body: { files, draft: request.target === 'preview', branch: request.branch },
                query: { title: request.title },
            })
                .catch((error) => (0,json_api/* rethrowAuth */.mb)(error, 'Netlify', `deploys to site ${site}`));
            progress.providerDeploymentId = created.id;
            const toSend = filesForDigests(request.files, created.required ?? []);
            ctx.logger.info(`Netlify: uploading ${toSend.length} of ${request.files.length} files`);
            progress.filesUploaded = 0;
            await uploadFiles(toSend, (file, data) => api.call('PUT', `/deploys/${encodeURIComponent(created.id)}/files/${encodePath(file.path)}`, {
                raw: data,
                headers: { 'content-type': 'application/octet-stream' },
            }), () => {
                progress.filesUploaded += 1;
            });
            const ready = await waitForPublish({
                what: `Netlify deploy ${created.id}`,
                timeoutMs: request.timeoutMs,
                read: async () => {
                    const d = await api.call('GET', `/sites/${encodeURIComponent(site)}/deploys/${encodeURIComponent(created.id)}`);
                    return { state: d.state, value: d };
                },
                ready: ['ready'],
                failed: ['error', 'rejected'],
                failure: (_state, d) => d.error_message ?? 'no error message (see the deploy log on Netlify)',
                cancel: () => api.call('POST', `/deploys/${encodeURIComponent(created.id)}/cancel`),
            }, ctx, progress);
            progress.url = (request.target === 'production' ? ready.ssl_url : ready.deploy_ssl_url) ?? ready.deploy_ssl_url ?? ready.ssl_url;
        },
    };
}
/** Restores `to` (a deploy id) or the newest ready production deploy older than the published one. */
async function rollbackNetlify(config, to, ctx) {
    const api = netlifyApi(config, ctx);
    const site = encodeURIComponent(config.site);
    const info = await api
        .call('GET', `/sites/${site}`)
        .catch((error) => (0,json_api/* rethrowAuth */.mb)(error, 'Netlify', `site ${config.site}`));
    const published = info.published_deploy ?? undefined;
    let target = to;
    if (to === 'previous') {
        const deploys = await api.call('GET', `/sites/${site}/deploys`, { query: { per_page: '100' } });
        const candidates = deploys
            .filter((d) => d.state === 'ready' && !d.draft && d.context === 'production' && d.id !== published?.id)
            .filter((d) => !published?.created_at || (d.created_at ?? '') < published.created_at)
            .sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''));
        if (!candidates[0])
            throw new core_errors/* OperationalError */.LE(`Netlify site ${config.site} has no ready production deploy older than the published one (${published?.id ?? 'none'})`);
        target = candidates[0].id;
    }
    const restored = await api
        .call('POST', `/sites/${site}/deploys/${encodeURIComponent(target)}/restore`)
        .catch((error) => (0,json_api/* rethrowAuth */.mb)(error, 'Netlify', `a restore on site ${config.site}`));
    return { from: published?.id, to: restored.id, url: restored.ssl_url ?? restored.deploy_ssl_url };
}

// EXTERNAL MODULE: ./src/release/deploy.ts + 2 modules
var release_deploy = __webpack_require__(44304);
;// CONCATENATED MODULE: ./src/providers/ssh-static.ts





const KEEP_RELEASES = 5;
/**
 * Ships the built site as a release with backend's release model (lock, rsync with --link-dest,
 * atomic switch, keep N, history): an nginx on the host serves <path>/current.
 */
function sshStaticHost(inputs) {
    const connection = (0,ssh_inputs/* connectionConfig */.tv)(inputs);
    return {
        provider: 'ssh',
        site: connection.root,
        needsDigests: false,
        async publish(request, ctx, progress) {
            const releaseId = defaultReleaseId(ctx.clock.now(), request.sha);
            const config = {
                ...connection,
                releaseId,
                source: request.dir,
                exclude: [],
                sharedDirs: [],
                sharedFiles: [],
                keepReleases: KEEP_RELEASES,
                health: { url: inputs.url, expect: (0,health/* parseHealthExpect */.Dq)(''), timeoutMs: Math.min(request.timeoutMs, 60_000) },
                lock: (0,lock/* lockConfig */.kV)(inputs),
                maxParallel: 1,
            };
            progress.providerDeploymentId = releaseId;
            progress.url = inputs.url;
            const report = { release: releaseId, hosts: [] };
            try {
                await (0,release_deploy.deploy)(config, ctx, report);
            }
            finally {
                if (report.hosts.length > 0)
                    progress.state = report.hosts.map((h) => `${h.host}: ${h.status}${h.upload ? ` (${h.upload})` : ''}`).join('; ');
            }
        },
    };
}

;// CONCATENATED MODULE: ./src/providers/vercel.ts





const VERCEL_API = 'https://api.vercel.com';
const CREATE_ATTEMPTS = 3;
function vercelApi(config, ctx) {
    return (0,json_api/* jsonApi */.Z)(ctx, config.apiUrl ?? VERCEL_API, config.token, { teamId: config.team });
}
/** The missing sha1 list of a `missing_files` error, or undefined for any other error. */
function missingFiles(error) {
    if (!(error instanceof http/* HttpError */.j$))
        return undefined;
    try {
        const body = JSON.parse(error.body);
        return body.error?.code === 'missing_files' ? (body.error.missing ?? []) : undefined;
    }
    catch {
        return undefined;
    }
}
async function upload(api, files) {
    await uploadFiles(files, (file, data) => api.call('POST', '/v2/files', {
        raw: data,
        headers: { 'content-type': 'application/octet-stream', 'x-vercel-digest': file.sha, 'content-length': String(data.length) },
    }));
}
/** Creates the deployment; each `missing_files` answer uploads exactly those digests and tries again. */
async function create(api, config, request, progress, ctx) {
    const body = {
        name: config.project,
        project: config.project,
        ...(request.target === 'production' ? { target: 'production' } : {}),
        files: request.files.map((f) => ({ file: f.path, sha: f.sha, size: f.size })),
        projectSettings: { framework: null },
        meta: { githubCommitSha: request.sha, githubCommitRef: request.branch, deployKit: 'frontend' },
        gitMetadata: { commitSha: request.sha, commitRef: request.branch, commitMessage: request.title },
    };
    progress.filesUploaded = 0;
    for (let attempt = 1;; attempt += 1) {
        try {
            return await api.call('POST', '/v13/deployments', { body, query: { skipAutoDetectionConfirmation: '1' } });
        }
        catch (error) {
            const missing = missingFiles(error);
            if (missing === undefined)
                (0,json_api/* rethrowAuth */.mb)(error, 'Vercel', `deployments to project ${config.project}`);
            if (attempt >= CREATE_ATTEMPTS)
                throw new core_errors/* OperationalError */.LE(`Vercel still reports ${missing.length} missing files after ${attempt} attempts`);
            const toSend = filesForDigests(request.files, missing);
            ctx.logger.info(`Vercel: uploading ${toSend.length} of ${request.files.length} files`);
            await upload(api, toSend);
            progress.filesUploaded += toSend.length;
        }
    }
}
/** A READY production deployment the production domains do not point at (STAGED, or no alias assigned). */
function isStaged(d) {
    return d.readySubstate === 'STAGED' || !d.aliasAssigned;
}
/**
 * After an Instant Rollback, Vercel stops assigning the production domains to new production
 * deployments until one is promoted (https://vercel.com/docs/instant-rollback): the deployment is
 * READY but the old build keeps serving. The kit promotes it (POST /v10/projects/{id}/promote/{dpl},
 * no rebuild), says so, and waits until the domains point at it.
 */
async function ensureProduction(api, config, ready, timeoutMs, ctx, progress) {
    if (!isStaged(ready))
        return ready;
    ctx.logger.warning(`Vercel: production deployment ${ready.id} is READY but the production domains do not point at it (auto-assignment is off after an Instant Rollback); promoting it`);
    await api
        .call('POST', `/v10/projects/${encodeURIComponent(config.project)}/promote/${encodeURIComponent(ready.id)}`)
        .catch((error) => (0,json_api/* rethrowAuth */.mb)(error, 'Vercel', `promoting deployments of project ${config.project}`));
    progress.note = `promoted ${ready.id} to production: the production domains had stayed on an older deployment after an Instant Rollback`;
    const promoted = await waitForPublish({
        what: `Vercel promotion of ${ready.id}`,
        timeoutMs,
        read: async () => {
            const d = await api.call('GET', `/v13/deployments/${encodeURIComponent(ready.id)}`);
            return { state: isStaged(d) ? 'STAGED' : 'PROMOTED', value: d };
        },
        ready: ['PROMOTED'],
        failed: [],
        failure: () => 'the production domains still point at another deployment',
        cancel: () => Promise.reject(new Error('a promotion is not cancelled; it may still complete, check the project on Vercel')),
    }, ctx, progress);
    ctx.logger.info(`Vercel: ${ready.id} now serves the production domains`);
    return promoted;
}
function vercelHost(inputs, project) {
    return {
        provider: 'vercel',
        site: project,
        needsDigests: true,
        async publish(request, ctx, progress) {
            const config = { token: inputs.token, project, team: inputs.team, apiUrl: inputs['api-url'] };
            const api = vercelApi(config, ctx);
            const created = await create(api, config, request, progress, ctx);
            progress.providerDeploymentId = created.id;
            progress.url = `https://${created.url}`;
            const ready = await waitForPublish({
                what: `Vercel deployment ${created.id}`,
                timeoutMs: request.timeoutMs,
                read: async () => {
                    const d = await api.call('GET', `/v13/deployments/${encodeURIComponent(created.id)}`);
                    return { state: d.readyState, value: d };
                },
                ready: ['READY'],
                failed: ['ERROR', 'CANCELED'],
                failure: (_state, d) => d.errorMessage ?? d.errorCode ?? 'no error message (see the build logs on Vercel)',
                cancel: () => api.call('PATCH', `/v12/deployments/${encodeURIComponent(created.id)}/cancel`),
            }, ctx, progress);
            const live = request.target === 'production' ? await ensureProduction(api, config, ready, request.timeoutMs, ctx, progress) : ready;
            // Production is served at the project's domains, which Vercel lists in `alias` once assigned.
            if (request.target === 'production' && live.aliasAssigned && live.alias?.[0])
                progress.url = `https://${live.alias[0]}`;
            if (ready.aliasError)
                progress.aliasError = ready.aliasError.message ?? ready.aliasError.code;
            if (request.alias) {
                try {
                    await api.call('POST', `/v2/deployments/${encodeURIComponent(created.id)}/aliases`, { body: { alias: request.alias } });
                    progress.aliasUrl = `https://${request.alias}`;
                }
                catch (error) {
                    progress.aliasError = (0,json_api/* vendorMessage */.cA)(error) ?? error.message;
                }
            }
            if (progress.aliasError)
                ctx.logger.warning(`Vercel alias: ${progress.aliasError}`);
        },
    };
}
/** Rolls the project's production back to `to` (a deployment id) or to the READY production deployment before the newest. */
async function rollbackVercel(config, to, ctx) {
    const api = vercelApi(config, ctx);
    const listed = await api
        .call('GET', '/v6/deployments', {
        query: { projectId: config.project, target: 'production', limit: '100' },
    })
        .catch((error) => (0,json_api/* rethrowAuth */.mb)(error, 'Vercel', `the deployments of project ${config.project}`));
    const ready = listed.deployments.filter((d) => (d.readyState ?? d.state) === 'READY').sort((a, b) => b.created - a.created);
    const current = ready[0];
    const target = to === 'previous' ? ready[1] : ready.find((d) => d.uid === to);
    if (!target) {
        const known = ready.map((d) => d.uid).join(', ') || 'none';
        throw new core_errors/* OperationalError */.LE(to === 'previous'
            ? `Vercel project ${config.project} has no READY production deployment before ${current?.uid ?? 'the current one'}`
            : `Vercel deployment ${to} is not a READY production deployment of ${config.project}; READY ones: ${known}`);
    }
    await api
        .call('POST', `/v1/projects/${encodeURIComponent(config.project)}/rollback/${encodeURIComponent(target.uid)}`)
        .catch((error) => (0,json_api/* rethrowAuth */.mb)(error, 'Vercel', `a rollback of ${config.project}`));
    return { from: current?.uid, to: target.uid, url: `https://${target.url}` };
}

;// CONCATENATED MODULE: ./src/providers/registry.ts




const vercelProject = (inputs) => requireInput(inputs.project, 'project', 'the Vercel project name or id for provider vercel');
const netlifySite = (inputs) => requireInput(inputs.site, 'site', 'the Netlify site id (or name.netlify.app) for provider netlify');
/** Every frontend provider, by the `provider` input: where a built frontend can go and how it comes back. */
const FRONTEND_PROVIDERS = {
    vercel: {
        needsToken: true,
        host: (inputs) => vercelHost(inputs, vercelProject(inputs)),
        rollback: (inputs, to, ctx) => rollbackVercel({ token: inputs.token, project: vercelProject(inputs), team: inputs.team, apiUrl: inputs['api-url'] }, to, ctx),
    },
    netlify: {
        needsToken: true,
        host: (inputs) => netlifyHost(inputs, netlifySite(inputs)),
        rollback: (inputs, to, ctx) => rollbackNetlify({ token: inputs.token, site: netlifySite(inputs), apiUrl: inputs['api-url'] }, to, ctx),
    },
    ssh: { needsToken: false, host: sshStaticHost },
};
/** The provider for a `provider` input; an unknown name fails with the known ones. */
function frontendProvider(name) {
    return providerEntry(FRONTEND_PROVIDERS, name, 'unknown frontend provider');
}

// EXTERNAL MODULE: ./src/ssh/connect.ts
var connect = __webpack_require__(81456);
;// CONCATENATED MODULE: ./src/github/event.ts

/**
 * The webhook payload of the triggering event (the file at GITHUB_EVENT_PATH), or undefined when
 * there is no such file. Throws when the file cannot be read or is not JSON: each caller decides
 * what that means for it.
 */
function readEventPayload(eventPath) {
    if (!eventPath || !(0,external_node_fs_.existsSync)(eventPath))
        return undefined;
    return JSON.parse((0,external_node_fs_.readFileSync)(eventPath, 'utf8'));
}

;// CONCATENATED MODULE: ./src/frontend/event.ts

function readEvent(env) {
    let payload;
    try {
        // A missing or unreadable payload: the ref and sha from the environment are all there is.
        payload = readEventPayload(env.eventPath) ?? {};
    }
    catch {
        payload = {};
    }
    const pr = payload.pull_request;
    const headRepo = pr?.head?.repo?.full_name;
    const baseRepo = pr?.base?.repo?.full_name ?? payload.repository?.full_name;
    return {
        branch: pr?.head?.ref ?? env.ref.replace(/^refs\/(heads|tags)\//, ''),
        sha: pr?.head?.sha ?? env.sha,
        defaultBranch: payload.repository?.default_branch,
        pullRequest: pr?.number,
        fromFork: pr !== undefined && (headRepo === undefined || headRepo !== baseRepo),
    };
}
/** `auto`: production for a push to the default branch, preview for anything else (PRs, other branches, unknown). */
function chooseTarget(environment, event) {
    if (environment !== 'auto')
        return environment;
    return event.pullRequest === undefined && event.defaultBranch !== undefined && event.branch === event.defaultBranch
        ? 'production'
        : 'preview';
}

;// CONCATENATED MODULE: ./src/frontend/inputs.ts



const frontendSchema = schemas/* object */.Ikc({
    provider: (0,core_inputs/* choice */.Yq)(['vercel', 'netlify', 'ssh']),
    dir: (0,core_inputs/* text */.Qq)('dist'),
    'build-command': (0,core_inputs/* optionalText */.mR)(),
    environment: (0,core_inputs/* choice */.Yq)(['auto', 'preview', 'production'], 'auto'),
    token: (0,core_inputs/* optionalText */.mR)(),
    project: (0,core_inputs/* pattern */.T1)(/^[A-Za-z0-9._-]{1,100}$/, 'a Vercel project name or id (letters, digits, ".", "_", "-")'),
    team: (0,core_inputs/* pattern */.T1)(/^[A-Za-z0-9._-]{1,100}$/, 'a Vercel team id (team_...)'),
    site: (0,core_inputs/* pattern */.T1)(/^[A-Za-z0-9._-]{1,200}$/, 'a Netlify site id or name (letters, digits, ".", "_", "-")'),
    alias: (0,core_inputs/* pattern */.T1)(/^[A-Za-z0-9.-]{1,253}$/, 'a domain name such as pr-12.example.com'),
    url: (0,core_inputs/* httpUrl */.q3)(),
    'github-token': (0,core_inputs/* optionalText */.mR)(),
    comment: (0,core_inputs/* bool */.lc)(true),
    deployment: (0,core_inputs/* bool */.lc)(true),
    timeout: (0,core_inputs/* duration */.p0)('10m'),
    'api-url': (0,core_inputs/* httpUrl */.q3)(),
    'on-missing-credentials': (0,core_inputs/* choice */.Yq)(['auto', 'fail', 'skip'], 'auto'),
    ...ssh_inputs/* sshConnectionInputs */.M$,
});
const FRONTEND_SECRET_INPUTS = ['token', 'github-token', 'ssh-key'];

;// CONCATENATED MODULE: ./src/frontend/report.ts
function rows(outcome) {
    const p = outcome.progress;
    const out = [
        ['status', outcome.error ? `failed: ${outcome.error.split('\n')[0]}` : 'published'],
        ['environment', outcome.target],
        ['url', p.aliasUrl ?? p.url ?? '—'],
        ['commit', outcome.sha.slice(0, 7) || '—'],
        ['deployment', p.providerDeploymentId ?? '—'],
        ['files uploaded', p.filesTotal === undefined ? '—' : `${p.filesUploaded ?? '—'} of ${p.filesTotal}`],
    ];
    if (p.aliasError)
        out.push(['alias error', p.aliasError]);
    if (p.note)
        out.push(['note', p.note]);
    return out;
}
/** The sticky PR comment: URL, commit and time, in the same words as the job summary. */
function commentBody(outcome, ctx) {
    const icon = outcome.error ? '❌' : '✅';
    const lines = [
        `### ${icon} deploy-kit frontend: ${outcome.provider} ${outcome.site}`,
        '',
        '| | |',
        '| --- | --- |',
        ...rows(outcome).map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`),
        `| updated | ${new Date(ctx.clock.now()).toISOString()} |`,
    ];
    if (ctx.env.runUrl)
        lines.push('', `[Run log](${ctx.env.runUrl})`);
    return lines.join('\n');
}
function report_writeSummary(outcome, ctx) {
    ctx.summary.heading(`deploy-kit frontend: ${outcome.provider} ${outcome.site} (${outcome.target})`);
    ctx.summary.table(['', ''], rows(outcome));
}

;// CONCATENATED MODULE: ./src/frontend/action.ts
















/**
 * No token: on a fork PR (or Dependabot's) that is GitHub withholding secrets, which the message
 * explains. `auto` skips a pull request's preview visibly (a notice and the summary) and fails
 * anything else; `skip` and `fail` always do that.
 */
function missingToken(host, event, inputs, ctx) {
    const why = event.fromFork
        ? `pull request #${event.pullRequest} comes from a fork, and GitHub does not pass repository secrets to workflows run for pull requests from forks, so "token" is empty`
        : ctx.env.actor === 'dependabot[bot]'
            ? `this run was triggered by Dependabot, and GitHub passes Dependabot runs only Dependabot secrets, so "token" is empty (add it under Settings → Secrets → Dependabot to publish its previews)`
            : (0,missing_secret/* missingSecret */.bk)('token', `provider ${host.provider} needs an API token`).message;
    const mode = inputs['on-missing-credentials'];
    if (mode === 'skip' || (mode === 'auto' && event.pullRequest !== undefined)) {
        ctx.outputs.set('skipped', 'true');
        (0,core_logger/* annotate */.fz)(ctx.logger, 'notice', `frontend: preview not published: ${why}`);
        ctx.summary.heading(`deploy-kit frontend: ${host.provider} ${host.site} skipped`);
        ctx.summary.line(`⚠️ Not published: ${why} (on-missing-credentials: ${mode}).`);
        return;
    }
    throw new core_errors/* ConfigurationError */.j1(`${why}. Nothing was published. Set on-missing-credentials: skip to skip this step visibly instead.`);
}
async function build(command, ctx) {
    await ctx.logger.group('build-command', () => (0,exec/* runChecked */.X4)(ctx.exec, 'build-command', ['bash', '-eo', 'pipefail', '-c', command], { cwd: ctx.env.workspace }));
}
const frontendAction = (0,action/* defineAction */.Q)({
    name: 'frontend',
    schema: frontendSchema,
    secretInputs: FRONTEND_SECRET_INPUTS,
    outputs: ['url', 'deployment-id', 'provider-deployment-id', 'files-uploaded', 'files-total', 'skipped'],
    async run(inputs, ctx) {
        const provider = frontendProvider(inputs.provider);
        const host = provider.host(inputs);
        const event = readEvent(ctx.env);
        const target = chooseTarget(inputs.environment, event);
        const dir = (0,external_node_path_.resolve)(ctx.env.workspace, inputs.dir);
        if (provider.needsToken && !inputs.token)
            return missingToken(host, event, inputs, ctx);
        ctx.outputs.set('skipped', 'false');
        if (inputs['build-command'])
            await build(inputs['build-command'], ctx);
        if (!(0,external_node_fs_.existsSync)(dir) || !(0,external_node_fs_.statSync)(dir).isDirectory())
            throw new core_errors/* ConfigurationError */.j1(`input "dir": ${dir} is not a directory (build the site first, or set build-command)`);
        const paths = await listSite(dir);
        if (paths.length === 0)
            throw new core_errors/* ConfigurationError */.j1(`input "dir": ${dir} has no files to publish`);
        const files = host.needsDigests ? await digestFiles(dir, paths) : [];
        const progress = { filesTotal: paths.length };
        ctx.outputs.set('files-total', String(paths.length));
        ctx.logger.info(`frontend: publishing ${paths.length} files from ${inputs.dir} to ${host.provider} ${host.site} as ${target}`);
        const github = inputs['github-token']
            ? { api: githubApi(ctx, inputs['github-token']), repo: parseRepository(ctx.env.repository) }
            : undefined;
        if (!github && (inputs.deployment || (inputs.comment && event.pullRequest)))
            ctx.logger.info('frontend: no github-token given, so no GitHub deployment or PR comment');
        let deploymentId;
        if (github && inputs.deployment) {
            deploymentId = await createDeployment(github.api, github.repo, {
                ref: event.sha,
                environment: target,
                production: target === 'production',
                description: `${host.provider} ${host.site}`,
            });
            ctx.outputs.set('deployment-id', String(deploymentId));
            await setDeploymentStatus(github.api, github.repo, deploymentId, {
                state: 'in_progress',
                environment: target,
                logUrl: ctx.env.runUrl,
            });
        }
        const outcome = { provider: host.provider, site: host.site, target, sha: event.sha, progress };
        const finish = async () => {
            if (progress.url)
                ctx.outputs.set('url', progress.aliasUrl ?? progress.url);
            if (progress.providerDeploymentId)
                ctx.outputs.set('provider-deployment-id', progress.providerDeploymentId);
            if (progress.filesUploaded !== undefined)
                ctx.outputs.set('files-uploaded', String(progress.filesUploaded));
            report_writeSummary(outcome, ctx);
            if (!github)
                return;
            if (deploymentId !== undefined) {
                await setDeploymentStatus(github.api, github.repo, deploymentId, {
                    state: outcome.error ? 'failure' : 'success',
                    environment: target,
                    logUrl: ctx.env.runUrl,
                    environmentUrl: outcome.error ? undefined : (progress.aliasUrl ?? progress.url),
                    description: outcome.error ?? `${host.provider} ${progress.providerDeploymentId ?? ''}`.trim(),
                });
            }
            if (inputs.comment && event.pullRequest !== undefined) {
                const marker = stickyMarker('frontend', host.provider, host.site);
                const comment = await upsertStickyComment(github.api, github.repo, event.pullRequest, marker, commentBody(outcome, ctx));
                ctx.logger.info(`frontend: ${comment.created ? 'created' : 'updated'} the PR comment ${comment.id}`);
            }
        };
        try {
            await host.publish({
                dir,
                files,
                target,
                branch: event.branch,
                sha: event.sha,
                title: `${ctx.env.repository}@${event.sha.slice(0, 7)}`,
                timeoutMs: inputs.timeout,
                alias: inputs.alias,
            }, ctx, progress);
        }
        catch (error) {
            outcome.error = (0,core_errors/* errorMessage */.gJ)(error);
            await finish().catch((reportError) => ctx.logger.warning(`frontend: could not report the failure to GitHub: ${(0,core_errors/* errorMessage */.gJ)(reportError)}`));
            throw error;
        }
        await finish();
    },
    post: connect/* sshPost */.re,
});

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
;// CONCATENATED MODULE: ./src/gate/annotations.ts

/** GitHub shows at most 10 error and 10 warning annotations per step; the rest are only logged. */
const ANNOTATIONS_PER_KIND = 10;
/** Sends annotations up to the platform's limit per kind and counts the ones it had to drop. */
class Annotator {
    logger;
    limit;
    sent = new Map();
    droppedByKind = new Map();
    constructor(logger, limit = ANNOTATIONS_PER_KIND) {
        this.logger = logger;
        this.limit = limit;
    }
    add(a) {
        const count = this.sent.get(a.kind) ?? 0;
        if (count >= this.limit) {
            this.droppedByKind.set(a.kind, (this.droppedByKind.get(a.kind) ?? 0) + 1);
            const where = a.file ? `${a.file}${a.line ? `:${a.line}` : ''}${a.line && a.col ? `:${a.col}` : ''}: ` : '';
            this.logger.info(`${a.kind} (not annotated): ${where}${a.title ? `${a.title}: ` : ''}${a.message}`);
            return;
        }
        this.sent.set(a.kind, count + 1);
        (0,core_logger/* annotate */.fz)(this.logger, a.kind, a.message, { file: a.file, line: a.line, col: a.col, title: a.title });
    }
    get annotated() {
        return [...this.sent.values()].reduce((a, b) => a + b, 0);
    }
    get dropped() {
        return [...this.droppedByKind.values()].reduce((a, b) => a + b, 0);
    }
    /** "12 errors and 3 warnings were not annotated (GitHub shows 10 per kind per step)", or undefined. */
    droppedNote() {
        if (this.dropped === 0)
            return undefined;
        const parts = [...this.droppedByKind].map(([kind, n]) => `${n} ${kind}${n === 1 ? '' : 's'}`);
        return `${parts.join(' and ')} not annotated (GitHub shows ${this.limit} per kind per step); they are in the log`;
    }
}

;// CONCATENATED MODULE: ./src/gate/cache.ts




/** Where each package manager keeps its download cache (not node_modules or a virtualenv). */
function cachePaths(manager, dir, home = (0,external_node_os_.homedir)()) {
    switch (manager) {
        case 'npm':
            return [(0,external_node_path_.join)(home, '.npm')];
        case 'pnpm':
            return [(0,external_node_path_.join)(home, '.local/share/pnpm/store')];
        case 'yarn':
            return [(0,external_node_path_.join)(home, '.cache/yarn')];
        case 'yarn-berry':
            return [(0,external_node_path_.join)(dir, '.yarn/cache')];
        case 'bun':
            return [(0,external_node_path_.join)(home, '.bun/install/cache')];
        case 'pip':
            return [(0,external_node_path_.join)(home, '.cache/pip')];
        case 'poetry':
            return [(0,external_node_path_.join)(home, '.cache/pypoetry')];
        case 'uv':
            return [(0,external_node_path_.join)(home, '.cache/uv')];
        case 'pipenv':
            return [(0,external_node_path_.join)(home, '.cache/pipenv'), (0,external_node_path_.join)(home, '.cache/pip')];
    }
}
/**
 * Key: deploy-kit-gate-<os>-<arch>-<manager>-<sha256 of the lockfiles' names and contents>; restore
 * keys fall back to the newest cache of the same manager. Undefined without lockfiles.
 */
function cachePlan(manager, dir, lockfiles, platform, arch, home) {
    if (lockfiles.length === 0)
        return undefined;
    const hash = (0,external_node_crypto_.createHash)('sha256');
    for (const file of [...lockfiles].sort()) {
        hash.update(`${file}\0`);
        hash.update((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, file)));
        hash.update('\0');
    }
    const prefix = `deploy-kit-gate-${platform}-${arch}-${manager}-`;
    return { paths: cachePaths(manager, dir, home), key: `${prefix}${hash.digest('hex').slice(0, 32)}`, restoreKeys: [prefix], lockfiles };
}

;// CONCATENATED MODULE: ./src/gate/coverage.ts

/**
 * Line coverage in percent from the report formats the presets write: Cobertura XML (coverage.py
 * `--cov-report=xml`, istanbul `cobertura`), istanbul `json-summary`, coverage.py `json`.
 */
function parseCoverage(text) {
    const trimmed = text.trim();
    if (trimmed.startsWith('{')) {
        const data = JSON.parse(trimmed);
        const pct = data.total?.lines?.pct ?? data.totals?.percent_covered;
        return typeof pct === 'number' ? pct : undefined;
    }
    const rate = /<coverage\b[^>]*\bline-rate="([\d.]+)"/.exec(trimmed);
    return rate ? Number(rate[1]) * 100 : undefined;
}
function readCoverage(file) {
    try {
        return parseCoverage((0,external_node_fs_.readFileSync)(file, 'utf8'));
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/gate/detect.ts


function read(dir, name) {
    try {
        return (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, name), 'utf8');
    }
    catch {
        return '';
    }
}
function detectProject(dir) {
    const files = new Set((0,external_node_fs_.readdirSync)(dir));
    const requirementFiles = [...files].filter((f) => /^requirements.*\.txt$/.test(f)).sort();
    if (files.has('requirements') && (0,external_node_fs_.statSync)((0,external_node_path_.join)(dir, 'requirements')).isDirectory()) {
        for (const f of (0,external_node_fs_.readdirSync)((0,external_node_path_.join)(dir, 'requirements')).sort())
            if (f.endsWith('.txt'))
                requirementFiles.push(`requirements/${f}`);
    }
    const pyproject = read(dir, 'pyproject.toml');
    const pythonDeps = [pyproject, read(dir, 'setup.cfg'), read(dir, 'Pipfile'), ...requirementFiles.map((f) => read(dir, f))]
        .join('\n')
        .toLowerCase();
    let packageJson;
    if ((0,external_node_fs_.existsSync)((0,external_node_path_.join)(dir, 'package.json'))) {
        const pkg = JSON.parse(read(dir, 'package.json') || '{}');
        packageJson = {
            scripts: pkg.scripts ?? {},
            deps: new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]),
            eslintConfig: pkg.eslintConfig !== undefined,
        };
    }
    return { files, pyproject, setupCfg: read(dir, 'setup.cfg'), toxIni: read(dir, 'tox.ini'), requirementFiles, pythonDeps, packageJson };
}
function nodeManager(facts) {
    if (facts.files.has('pnpm-lock.yaml'))
        return 'pnpm';
    if (facts.files.has('yarn.lock'))
        return facts.files.has('.yarnrc.yml') ? 'yarn-berry' : 'yarn';
    if (facts.files.has('bun.lockb') || facts.files.has('bun.lock'))
        return 'bun';
    return 'npm';
}
function pythonManager(facts) {
    if (facts.files.has('uv.lock'))
        return 'uv';
    if (facts.files.has('poetry.lock'))
        return 'poetry';
    if (facts.files.has('Pipfile.lock'))
        return 'pipenv';
    return 'pip';
}
/** The files whose contents decide the dependency cache key. */
function lockfiles(facts, ecosystem) {
    const candidates = ecosystem === 'node'
        ? ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lockb', 'bun.lock']
        : ['uv.lock', 'poetry.lock', 'Pipfile.lock'];
    const found = candidates.filter((f) => facts.files.has(f));
    if (ecosystem === 'python')
        found.push(...facts.requirementFiles);
    return found;
}
/** A TOML table or INI section is present: `[tool.ruff]`, `[tool.ruff.lint]`, `[flake8]`. */
function hasSection(text, section) {
    const escaped = section.replace(/[.[\]]/g, '\\$&');
    return new RegExp(`^\\s*\\[${escaped}(?:\\.[^\\]]+)?\\]\\s*$`, 'm').test(text);
}
/** A dependency is named in requirements, pyproject or Pipfile (`ruff`, `ruff==0.6`, `"ruff>=0.5"`). */
function namesPythonDep(facts, name) {
    return new RegExp(`(^|[\\s"',\\[])${name.replace(/[-_]/g, '[-_]')}(\\s*($|[=<>~!;\\[,"']))`, 'm').test(facts.pythonDeps);
}

;// CONCATENATED MODULE: ./src/gate/junit.ts
/**
 * A small JUnit XML reader (pytest --junitxml, vitest/jest junit reporters, node --test junit):
 * <testsuites>/<testsuite>/<testcase> with <failure>, <error>, <skipped>. Only what the gate reports.
 */
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function decode(text) {
    return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity) => {
        if (entity[0] === '#') {
            const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
            return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
        }
        return ENTITIES[entity.toLowerCase()] ?? whole;
    });
}
const TOKEN = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
const ATTR = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
/** Parses well-formed XML into elements; throws on mismatched tags. */
function parseXml(xml) {
    const root = { name: '#document', attrs: {}, children: [], text: '' };
    const stack = [root];
    for (const m of xml.matchAll(TOKEN)) {
        const top = stack[stack.length - 1];
        if (m[1] !== undefined)
            top.text += m[1];
        else if (m[6] !== undefined)
            top.text += decode(m[6]);
        else if (m[3] !== undefined) {
            if (m[2] === '/') {
                if (top.name !== m[3])
                    throw new Error(`malformed XML: </${m[3]}> closes <${top.name}>`);
                stack.pop();
                continue;
            }
            const attrs = {};
            for (const a of (m[4] ?? '').matchAll(ATTR))
                attrs[a[1]] = decode(a[2] ?? a[3] ?? '');
            const element = { name: m[3], attrs, children: [], text: '' };
            top.children.push(element);
            if (m[5] !== '/')
                stack.push(element);
        }
    }
    if (stack.length !== 1)
        throw new Error(`malformed XML: <${stack[stack.length - 1].name}> is not closed`);
    return root;
}
function seconds(value) {
    const n = Number(value);
    return Number.isFinite(n) ? Math.round(n * 1000) : 0;
}
function toCase(element, suite) {
    const outcome = element.children.find((c) => c.name === 'failure' || c.name === 'error' || c.name === 'skipped');
    const status = outcome ? (outcome.name === 'failure' ? 'failed' : outcome.name === 'error' ? 'error' : 'skipped') : 'passed';
    const line = Number(element.attrs.line);
    return {
        suite,
        name: element.attrs.name ?? '',
        classname: element.attrs.classname ?? '',
        timeMs: seconds(element.attrs.time),
        status,
        message: outcome ? outcome.attrs.message || outcome.text.trim().split('\n')[0] || undefined : undefined,
        details: outcome?.text.trim() || undefined,
        file: element.attrs.file,
        line: Number.isInteger(line) && line > 0 ? line : undefined,
    };
}
/** The suites in one JUnit XML document; nested suites are flattened under their own names. */
function parseJUnit(xml) {
    const suites = [];
    const visit = (element, inherited) => {
        if (element.name === 'testsuite') {
            const name = element.attrs.name || inherited || 'tests';
            const cases = element.children.filter((c) => c.name === 'testcase').map((c) => toCase(c, name));
            if (cases.length > 0)
                suites.push({ name, cases });
            for (const child of element.children)
                if (child.name === 'testsuite')
                    visit(child, name);
        }
        else if (element.name === 'testcase') {
            // node --test puts top-level tests directly under <testsuites>.
            const suite = suites.find((s) => s.name === (inherited || 'tests')) ?? suites[suites.push({ name: inherited || 'tests', cases: [] }) - 1];
            suite.cases.push(toCase(element, suite.name));
        }
        else {
            for (const child of element.children)
                visit(child, element.name === 'testsuites' ? (element.attrs.name ?? '') : inherited);
        }
    };
    visit(parseXml(xml), '');
    return suites;
}
function totals(suites) {
    const all = suites.flatMap((s) => s.cases);
    return {
        tests: all.length,
        passed: all.filter((c) => c.status === 'passed').length,
        failed: all.filter((c) => c.status === 'failed' || c.status === 'error').length,
        skipped: all.filter((c) => c.status === 'skipped').length,
    };
}
/**
 * Where a failing test points: the innermost frame of the failure text that lies in the project
 * (`tests/test_app.py:12:`, `at file:///.../x.test.js:5:3`), else the case's own file/line attributes.
 */
function failureLocation(testCase, projectDir) {
    const text = testCase.details ?? '';
    const found = [
        ...[...text.matchAll(/(?:file:\/\/)?((?:\/|\.{0,2}[\w@-])[^\s:()'"]*\.(?:py|[cm]?[jt]sx?)):(\d+)(?::\d+)?/g)].map((m) => ({
            at: m.index,
            file: m[1],
            line: m[2],
        })),
        ...[...text.matchAll(/File "([^"]+)", line (\d+)/g)].map((m) => ({ at: m.index, file: m[1], line: m[2] })),
    ].sort((a, b) => a.at - b.at);
    const frames = found
        .map((m) => ({ file: relativeTo(m.file, projectDir), line: Number(m.line) }))
        .filter((f) => !f.file.startsWith('/') &&
        !f.file.includes('node_modules') &&
        !f.file.startsWith('..') &&
        !/site-packages|node:internal/.test(f.file));
    // Python tracebacks end with the innermost frame; JavaScript stacks start with it.
    const own = frames.length === 0 ? undefined : frames[0].file.endsWith('.py') ? frames.at(-1) : frames[0];
    if (own)
        return own;
    if (testCase.file)
        return { file: relativeTo(testCase.file, projectDir), line: testCase.line ?? 1 };
    return undefined;
}
function relativeTo(file, dir) {
    const base = dir.endsWith('/') ? dir : `${dir}/`;
    return file.startsWith(base) ? file.slice(base.length) : file.replace(/^\.\//, '');
}

;// CONCATENATED MODULE: ./src/gate/steps.ts
/** The gate's plan: the steps a preset runs, as data (what, how, how its output is read). */
function step(partial) {
    return { output: 'none', junit: [], ...partial };
}
function skipped(id, title, kind, why) {
    return step({ id, title, kind, skip: why });
}
/** A user's own command (`lint`, `test` inputs): run by bash like a workflow `run:` line. */
function shellStep(id, kind, command, output) {
    return step({ id, title: command, kind, argv: ['bash', '-eo', 'pipefail', '-c', command], output });
}
// ---------------------------------------------------------------- python
const LINTERS = new Set(['ruff', 'flake8', 'eslint']);
/** `lint` replaces the preset's linter (ruff/flake8, eslint) when given; formatters and type checks stay. */
function lintOverride(steps, options) {
    if (!options.lint)
        return steps;
    const lint = shellStep('lint', 'lint', options.lint, 'lint-text');
    return steps.map((s) => (LINTERS.has(s.id) ? lint : s));
}

;// CONCATENATED MODULE: ./src/gate/plan-node.ts



const INSTALL = {
    npm: ['npm', 'ci'],
    pnpm: ['pnpm', 'install', '--frozen-lockfile'],
    yarn: ['yarn', 'install', '--frozen-lockfile'],
    'yarn-berry': ['yarn', 'install', '--immutable'],
    bun: ['bun', 'install', '--frozen-lockfile'],
};
const ESLINT_CONFIGS = [
    'eslint.config.js',
    'eslint.config.mjs',
    'eslint.config.cjs',
    'eslint.config.ts',
    'eslint.config.mts',
    'eslint.config.cts',
    '.eslintrc',
    '.eslintrc.js',
    '.eslintrc.cjs',
    '.eslintrc.json',
    '.eslintrc.yml',
    '.eslintrc.yaml',
];
const NPM_DEFAULT_TEST = /no test specified/;
const SHELL_META = /[|&;<>()$`\\"'*?[\]#~=%{}]/;
function pmCommand(manager) {
    return manager === 'yarn-berry' ? 'yarn' : manager;
}
function nodeSteps(facts, options) {
    const pkg = facts.packageJson;
    if (!pkg)
        return [skipped('package.json', 'package.json', 'install', 'no package.json in the working directory')];
    const manager = nodeManager(facts);
    const bin = (tool) => (0,external_node_path_.join)(options.dir, 'node_modules', '.bin', tool);
    const steps = [];
    if (options.install) {
        const hasLock = manager !== 'npm' || facts.files.has('package-lock.json') || facts.files.has('npm-shrinkwrap.json');
        steps.push(hasLock
            ? step({ id: 'install', title: INSTALL[manager].join(' '), kind: 'install', argv: INSTALL[manager] })
            : step({
                id: 'install',
                title: 'npm install',
                kind: 'install',
                argv: ['npm', 'install', '--no-audit', '--no-fund'],
                note: 'no lockfile: versions are not pinned and nothing is cached',
            }));
    }
    const eslint = ESLINT_CONFIGS.some((f) => facts.files.has(f)) || pkg.eslintConfig || pkg.deps.has('eslint');
    steps.push(eslint
        ? step({ id: 'eslint', title: 'eslint', kind: 'lint', argv: [bin('eslint'), '--format', 'json', '.'], output: 'eslint-json' })
        : skipped('eslint', 'eslint', 'lint', 'no eslint configuration and eslint is not a dependency'));
    steps.push(facts.files.has('tsconfig.json')
        ? step({
            id: 'tsc',
            title: 'tsc --noEmit',
            kind: 'typecheck',
            argv: [bin('tsc'), '--noEmit', '--pretty', 'false'],
            output: 'lint-text',
        })
        : skipped('tsc', 'tsc --noEmit', 'typecheck', 'no tsconfig.json'));
    if (options.test)
        steps.push(shellStep('test', 'test', options.test, 'none'));
    else
        steps.push(nodeTestStep(pkg, manager, options, bin));
    steps.push(pkg.scripts.build
        ? step({ id: 'build', title: `${pmCommand(manager)} run build`, kind: 'build', argv: [pmCommand(manager), 'run', 'build'] })
        : skipped('build', 'build', 'build', 'no "build" script in package.json'));
    return lintOverride(steps, options);
}
function nodeTestStep(pkg, manager, options, bin) {
    const junit = (0,external_node_path_.join)(options.reportDir, 'junit.xml');
    const coverageDir = (0,external_node_path_.join)(options.reportDir, 'coverage');
    const coverage = (0,external_node_path_.join)(coverageDir, 'coverage-summary.json');
    if (pkg.deps.has('vitest')) {
        const argv = [bin('vitest'), 'run', '--reporter=default', '--reporter=junit', `--outputFile.junit=${junit}`];
        const withCoverage = options.coverageMin > 0 || pkg.deps.has('@vitest/coverage-v8') || pkg.deps.has('@vitest/coverage-istanbul');
        if (withCoverage)
            argv.push('--coverage.enabled=true', '--coverage.reporter=json-summary', '--coverage.reporter=text', `--coverage.reportsDirectory=${coverageDir}`);
        return step({ id: 'vitest', title: 'vitest run', kind: 'test', argv, junit: [junit], coverage: withCoverage ? coverage : undefined });
    }
    if (pkg.deps.has('jest')) {
        const argv = [bin('jest'), '--ci'];
        const junitReporter = pkg.deps.has('jest-junit');
        if (junitReporter)
            argv.push('--reporters=default', '--reporters=jest-junit');
        const withCoverage = options.coverageMin > 0;
        if (withCoverage)
            argv.push('--coverage', '--coverageReporters=json-summary', '--coverageReporters=text', `--coverageDirectory=${coverageDir}`);
        return step({
            id: 'jest',
            title: 'jest',
            kind: 'test',
            argv,
            junit: junitReporter ? [junit] : [],
            env: junitReporter ? { JEST_JUNIT_OUTPUT_FILE: junit } : undefined,
            coverage: withCoverage ? coverage : undefined,
            note: junitReporter ? undefined : 'add jest-junit to devDependencies for per-test results and annotations',
        });
    }
    const script = pkg.scripts.test;
    if (script && /^node\s+--test(\s|$)/.test(script) && !SHELL_META.test(script.replace(/--[\w-]+=[\w./-]+/g, ''))) {
        const rest = script.trim().split(/\s+/).slice(2);
        const argv = [
            'node',
            '--test',
            '--test-reporter=spec',
            '--test-reporter-destination=stdout',
            '--test-reporter=junit',
            `--test-reporter-destination=${junit}`,
            ...rest,
        ];
        return step({ id: 'node-test', title: 'node --test', kind: 'test', argv, junit: [junit] });
    }
    if (script && !NPM_DEFAULT_TEST.test(script)) {
        return step({
            id: 'test',
            title: `${pmCommand(manager)} test`,
            kind: 'test',
            argv: [pmCommand(manager), 'test'],
            note: 'the test script is run as is: no JUnit report, so no per-test results',
        });
    }
    return skipped('test', 'tests', 'test', 'no test runner (vitest, jest, node --test) and no "test" script');
}
// ---------------------------------------------------------------- custom and overrides

;// CONCATENATED MODULE: ./src/gate/plan-python.ts



const PYTHON_RUNNER = {
    pip: [],
    uv: ['uv', 'run', '--'],
    poetry: ['poetry', 'run'],
    pipenv: ['pipenv', 'run'],
};
function pythonInstall(facts) {
    const manager = pythonManager(facts);
    if (manager === 'uv')
        return step({ id: 'install', title: 'uv sync', kind: 'install', argv: ['uv', 'sync', '--frozen'] });
    if (manager === 'poetry')
        return step({ id: 'install', title: 'poetry install', kind: 'install', argv: ['poetry', 'install', '--no-interaction'] });
    if (manager === 'pipenv')
        return step({ id: 'install', title: 'pipenv install', kind: 'install', argv: ['pipenv', 'install', '--dev', '--deploy'] });
    if (facts.requirementFiles.length === 0)
        return skipped('install', 'pip install', 'install', 'no requirements*.txt, poetry.lock, uv.lock or Pipfile.lock: dependencies are not installed by the gate');
    const argv = ['python3', '-m', 'pip', 'install', ...facts.requirementFiles.flatMap((f) => ['-r', f])];
    return step({ id: 'install', title: `pip install ${facts.requirementFiles.map((f) => `-r ${f}`).join(' ')}`, kind: 'install', argv });
}
const uses = {
    ruff: (f) => hasSection(f.pyproject, 'tool.ruff') || f.files.has('ruff.toml') || f.files.has('.ruff.toml') || namesPythonDep(f, 'ruff'),
    flake8: (f) => f.files.has('.flake8') || hasSection(f.setupCfg, 'flake8') || hasSection(f.toxIni, 'flake8') || namesPythonDep(f, 'flake8'),
    black: (f) => hasSection(f.pyproject, 'tool.black') || namesPythonDep(f, 'black'),
    isort: (f) => hasSection(f.pyproject, 'tool.isort') || f.files.has('.isort.cfg') || hasSection(f.setupCfg, 'isort') || namesPythonDep(f, 'isort'),
    mypy: (f) => f.files.has('mypy.ini') || f.files.has('.mypy.ini') || hasSection(f.pyproject, 'tool.mypy') || hasSection(f.setupCfg, 'mypy'),
    pytest: (f) => namesPythonDep(f, 'pytest') ||
        hasSection(f.pyproject, 'tool.pytest.ini_options') ||
        f.files.has('pytest.ini') ||
        f.files.has('conftest.py') ||
        hasSection(f.setupCfg, 'tool:pytest'),
    pytestCov: (f) => namesPythonDep(f, 'pytest-cov'),
};
function pythonSteps(facts, options) {
    const run = (argv) => [...PYTHON_RUNNER[pythonManager(facts)], ...argv];
    const steps = [];
    if (options.install)
        steps.push(pythonInstall(facts));
    if (uses.ruff(facts))
        steps.push(step({
            id: 'ruff',
            title: 'ruff check',
            kind: 'lint',
            argv: run(['ruff', 'check', '--output-format=concise', '.']),
            output: 'lint-text',
        }));
    else if (uses.flake8(facts))
        steps.push(step({ id: 'flake8', title: 'flake8', kind: 'lint', argv: run(['flake8', '.']), output: 'lint-text' }));
    else
        steps.push(skipped('ruff', 'ruff / flake8', 'lint', 'no ruff or flake8 configuration or dependency'));
    steps.push(uses.black(facts)
        ? step({ id: 'black', title: 'black --check', kind: 'lint', argv: run(['black', '--check', '.']) })
        : skipped('black', 'black --check', 'lint', 'no [tool.black] and black is not a dependency'));
    steps.push(uses.isort(facts)
        ? step({ id: 'isort', title: 'isort --check', kind: 'lint', argv: run(['isort', '--check-only', '--diff', '.']) })
        : skipped('isort', 'isort --check', 'lint', 'no isort configuration and isort is not a dependency'));
    steps.push(uses.mypy(facts)
        ? step({
            id: 'mypy',
            title: 'mypy',
            kind: 'typecheck',
            argv: run(['mypy', '--no-error-summary', '--show-column-numbers', '.']),
            output: 'lint-text',
        })
        : skipped('mypy', 'mypy', 'typecheck', 'mypy is not configured (mypy.ini, [tool.mypy] or [mypy] in setup.cfg)'));
    if (options.test)
        steps.push(shellStep('test', 'test', options.test, 'none'));
    else if (uses.pytest(facts)) {
        const junit = (0,external_node_path_.join)(options.reportDir, 'pytest.xml');
        const argv = ['pytest', `--junitxml=${junit}`, '-o', 'junit_family=xunit1'];
        let coverage;
        if (uses.pytestCov(facts) || options.coverageMin > 0) {
            coverage = (0,external_node_path_.join)(options.reportDir, 'coverage.xml');
            argv.push('--cov=.', `--cov-report=xml:${coverage}`, '--cov-report=term');
        }
        steps.push(step({ id: 'pytest', title: 'pytest', kind: 'test', argv: run(argv), junit: [junit], coverage }));
    }
    else
        steps.push(skipped('pytest', 'pytest', 'test', 'pytest is not a dependency and not configured (pytest.ini, conftest.py, [tool.pytest.ini_options])'));
    return lintOverride(steps, options);
}
function djangoSteps(facts, options) {
    const steps = pythonSteps(facts, options);
    const run = PYTHON_RUNNER[pythonManager(facts)];
    if (!facts.files.has('manage.py')) {
        steps.push(skipped('check', 'manage.py check --deploy', 'check', 'no manage.py in the working directory'));
        steps.push(skipped('migrations', 'makemigrations --check', 'check', 'no manage.py in the working directory'));
        return steps;
    }
    steps.push(step({ id: 'check', title: 'manage.py check --deploy', kind: 'check', argv: [...run, 'python3', 'manage.py', 'check', '--deploy'] }));
    steps.push(step({
        id: 'migrations',
        title: 'makemigrations --check',
        kind: 'check',
        argv: [...run, 'python3', 'manage.py', 'makemigrations', '--check', '--dry-run'],
    }));
    return steps;
}
// ---------------------------------------------------------------- node

;// CONCATENATED MODULE: ./src/gate/plan.ts



function customSteps(options) {
    const steps = [];
    steps.push(options.lint ? shellStep('lint', 'lint', options.lint, 'lint-text') : skipped('lint', 'lint', 'lint', 'no "lint" command given'));
    steps.push(options.test ? shellStep('test', 'test', options.test, 'lint-text') : skipped('test', 'test', 'test', 'no "test" command given'));
    return steps;
}
function planSteps(preset, facts, options) {
    if (preset === 'python')
        return pythonSteps(facts, options);
    if (preset === 'django')
        return djangoSteps(facts, options);
    if (preset === 'node')
        return nodeSteps(facts, options);
    return customSteps(options);
}

;// CONCATENATED MODULE: ./src/gate/report.ts

const report_seconds = (ms) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
function slowestTests(suites, count = 5) {
    return suites
        .flatMap((s) => s.cases)
        .filter((c) => c.status !== 'skipped')
        .sort((a, b) => b.timeMs - a.timeMs)
        .slice(0, count);
}
/** Why the gate fails: failed steps, failed tests a step did not report, coverage under the minimum. */
function gateProblems(steps, suites, coverage, coverageMin) {
    const problems = steps
        .filter((s) => s.status === 'failed')
        .map((s) => `${s.title} failed (${s.exitCode !== undefined ? `exit ${s.exitCode}` : (s.note ?? 'did not run')})`);
    const { failed, tests } = totals(suites);
    if (failed > 0)
        problems.push(`${failed} of ${tests} tests failed`);
    if (coverageMin > 0) {
        if (coverage === undefined)
            problems.push(`no coverage was measured, but coverage-min is ${coverageMin}%`);
        else if (coverage < coverageMin)
            problems.push(`coverage ${(Math.floor(coverage * 10) / 10).toFixed(1)}% is below coverage-min ${coverageMin}%`);
    }
    return problems;
}
function gate_report_writeSummary(summary, outcome) {
    const passed = outcome.problems.length === 0;
    summary.heading(`deploy-kit gate (${outcome.preset}${outcome.dir === '.' ? '' : ` in ${outcome.dir}`}): ${passed ? 'passed' : 'failed'}`);
    if (!passed)
        summary.line(outcome.problems.map((p) => `- ${p}`).join('\n'));
    summary.table(['step', 'result', 'time', 'note'], outcome.steps.map((s) => [
        s.title,
        s.status,
        s.status === 'skipped' ? '—' : report_seconds(s.durationMs),
        s.note ?? (s.findings.length > 0 ? `${s.findings.length} findings` : ''),
    ]));
    if (outcome.suites.length > 0) {
        summary.heading('Tests', 3);
        const rows = outcome.suites.map((suite) => {
            const t = totals([suite]);
            return [
                suite.name,
                String(t.passed),
                String(t.failed),
                String(t.skipped),
                report_seconds(suite.cases.reduce((sum, c) => sum + c.timeMs, 0)),
            ];
        });
        const all = totals(outcome.suites);
        rows.push([
            '**total**',
            String(all.passed),
            String(all.failed),
            String(all.skipped),
            report_seconds(outcome.suites.flatMap((s) => s.cases).reduce((sum, c) => sum + c.timeMs, 0)),
        ]);
        summary.table(['suite', 'passed', 'failed', 'skipped', 'time'], rows);
        const failing = outcome.suites.flatMap((s) => s.cases).filter((c) => c.status === 'failed' || c.status === 'error');
        if (failing.length > 0) {
            summary.heading('Failing tests', 3);
            summary.table(['test', 'message'], failing.slice(0, 20).map((c) => [`${c.suite} › ${c.name}`, (c.message ?? '').slice(0, 200)]));
            if (failing.length > 20)
                summary.line(`… and ${failing.length - 20} more.`);
        }
        summary.heading('Slowest tests', 3);
        summary.table(['test', 'time'], slowestTests(outcome.suites).map((c) => [`${c.suite} › ${c.name}`, report_seconds(c.timeMs)]));
    }
    if (outcome.coverage !== undefined || outcome.coverageMin > 0) {
        const value = outcome.coverage === undefined ? 'not measured' : `${outcome.coverage.toFixed(1)}%`;
        const verdict = outcome.coverageMin > 0
            ? ` (minimum ${outcome.coverageMin}%: ${outcome.coverage !== undefined && outcome.coverage >= outcome.coverageMin ? 'ok' : 'below'})`
            : '';
        summary.line(`Coverage: ${value}${verdict}`);
    }
    if (outcome.annotationNote)
        summary.line(`Annotations: ${outcome.annotationNote}.`);
    if (outcome.cacheNote)
        summary.line(`Dependency cache: ${outcome.cacheNote}.`);
}

;// CONCATENATED MODULE: ./src/gate/lint.ts
// ruff --output-format=concise, flake8, pycodestyle, mypy (path:line: error: msg), eslint --format unix.
// Terminal colour codes some linters print even when not on a TTY.
// eslint-disable-next-line no-control-regex
const ANSI_COLOR = /\x1b\[[0-9;]*m/g;
const COLON = /^(?<file>[^\s:][^:]*?):(?<line>\d+):(?:(?<col>\d+):)?\s*(?<rest>.+)$/;
// eslint --format compact: "path: line 3, col 5, Error - msg (rule)"
const COMPACT = /^(?<file>[^:]+): line (?<line>\d+), col (?<col>\d+), (?<sev>Error|Warning) - (?<msg>.+?)(?: \((?<rule>[^()]+)\))?$/;
// tsc: "src/a.ts(3,5): error TS2322: msg"
const TSC = /^(?<file>[^()\s][^()]*)\((?<line>\d+),(?<col>\d+)\): (?<sev>error|warning) (?<rule>TS\d+): (?<msg>.+)$/;
/** tsc's and eslint compact's lines: file, line, column, severity (either case), message and rule in named groups. */
function locatedFinding(line) {
    for (const format of [TSC, COMPACT]) {
        const groups = format.exec(line)?.groups;
        if (!groups)
            continue;
        const { file, sev, msg, rule } = groups;
        return {
            kind: sev.toLowerCase() === 'warning' ? 'warning' : 'error',
            file: file,
            line: Number(groups.line),
            col: Number(groups.col),
            message: msg,
            rule,
        };
    }
    return undefined;
}
function classify(rest) {
    // mypy: "error: msg  [code]" / "note: ..."
    const mypy = /^(error|warning|note): (.+?)(?:\s+\[([\w-]+)\])?$/.exec(rest);
    if (mypy)
        return { kind: mypy[1] === 'note' ? 'notice' : mypy[1], message: mypy[2], rule: mypy[3] };
    // eslint unix: "msg [Error/rule]"
    const unix = /^(.+?) \[(Error|Warning)(?:\/([^\]]+))?\]$/.exec(rest);
    if (unix)
        return { kind: unix[2] === 'Warning' ? 'warning' : 'error', message: unix[1], rule: unix[3] };
    // ruff / flake8: "E501 line too long" (W codes are warnings)
    const code = /^([A-Z]+\d+)\s+(.+)$/.exec(rest);
    if (code)
        return { kind: code[1].startsWith('W') ? 'warning' : 'error', message: code[2], rule: code[1] };
    return { kind: 'error', message: rest };
}
/** Findings in a linter's text output; lines that are not findings (summaries, diffs) are ignored. */
function parseLintText(output) {
    const findings = [];
    for (const raw of output.split('\n')) {
        const line = raw.replace(ANSI_COLOR, '').trimEnd();
        const located = locatedFinding(line);
        if (located) {
            findings.push(located);
            continue;
        }
        const colon = COLON.exec(line)?.groups;
        if (colon && /\.\w+$/.test(colon.file)) {
            const { kind, message, rule } = classify(colon.rest);
            findings.push({ kind, file: colon.file, line: Number(colon.line), col: colon.col ? Number(colon.col) : undefined, message, rule });
        }
    }
    return findings;
}
/** eslint --format json: an array of files with messages (severity 2 = error, 1 = warning). */
function parseEslintJson(output, projectDir) {
    const start = output.indexOf('[');
    if (start < 0)
        return [];
    let results;
    try {
        results = JSON.parse(output.slice(start));
    }
    catch {
        return [];
    }
    const base = projectDir.endsWith('/') ? projectDir : `${projectDir}/`;
    return results.flatMap((r) => r.messages.map((m) => ({
        kind: m.severity === 2 ? 'error' : 'warning',
        file: r.filePath.startsWith(base) ? r.filePath.slice(base.length) : r.filePath,
        line: m.line ?? 1,
        col: m.column,
        message: m.message,
        rule: m.ruleId ?? undefined,
    })));
}

;// CONCATENATED MODULE: ./src/gate/run.ts





/** The suites in the JUnit files that exist; a missing or unreadable file is a note, not a failure. */
function readSuites(files, notes) {
    const suites = [];
    for (const file of files) {
        if (!(0,external_node_fs_.existsSync)(file)) {
            notes.push(`no JUnit report at ${file}`);
            continue;
        }
        try {
            suites.push(...parseJUnit((0,external_node_fs_.readFileSync)(file, 'utf8')));
        }
        catch (error) {
            notes.push(`unreadable JUnit report ${file}: ${(0,core_errors/* errorMessage */.gJ)(error)}`);
        }
    }
    return suites;
}
/** Runs one planned step in `dir`; a missing tool is a skipped step with a note, never a crash. */
async function runStep(step, dir, ctx) {
    const base = { id: step.id, title: step.title, kind: step.kind, findings: [], suites: [] };
    if (!step.argv)
        return { ...base, status: 'skipped', note: step.skip, durationMs: 0 };
    const started = ctx.clock.now();
    return ctx.logger.group(step.title, async () => {
        let result;
        try {
            result = await ctx.exec.run(step.argv, { cwd: dir, env: step.env });
        }
        catch (error) {
            const tool = step.argv[0].split('/').pop();
            if (error instanceof core_errors/* ToolNotFoundError */.Mm) {
                ctx.logger.info(`${tool} is not installed: step skipped`);
                return { ...base, status: 'skipped', note: `${tool} is not installed`, durationMs: ctx.clock.now() - started };
            }
            // Could not start at all (permissions, a bad interpreter): a failed step, and the others still run.
            const message = (0,core_errors/* errorMessage */.gJ)(error);
            ctx.logger.error(`${tool} could not start: ${message}`);
            return { ...base, status: 'failed', note: `could not start: ${message}`, durationMs: ctx.clock.now() - started };
        }
        const output = `${result.stdout}${result.stderr ? `\n${result.stderr}` : ''}`;
        if (step.output !== 'eslint-json' && output.trim())
            ctx.logger.info(output.trimEnd());
        const findings = step.output === 'lint-text' ? parseLintText(output) : step.output === 'eslint-json' ? parseEslintJson(result.stdout, dir) : [];
        if (step.output === 'eslint-json') {
            for (const f of findings)
                ctx.logger.info(`${f.file}:${f.line}:${f.col ?? 0}: ${f.kind} ${f.message}${f.rule ? ` (${f.rule})` : ''}`);
            if (result.stderr.trim())
                ctx.logger.info(result.stderr.trimEnd());
        }
        const notes = step.note ? [step.note] : [];
        const suites = readSuites(step.junit, notes);
        const coverage = step.coverage ? readCoverage(step.coverage) : undefined;
        if (step.coverage && coverage === undefined)
            notes.push(`no coverage report at ${step.coverage}`);
        return {
            ...base,
            status: result.exitCode === 0 ? 'passed' : 'failed',
            exitCode: result.exitCode,
            note: notes.join('; ') || undefined,
            durationMs: ctx.clock.now() - started,
            findings,
            suites,
            coverage,
        };
    });
}
/** Runs the steps in order; after a failed install the rest cannot work and are skipped with a note. */
async function runSteps(steps, dir, ctx) {
    const results = [];
    let installFailed = false;
    for (const step of steps) {
        if (installFailed && step.argv) {
            results.push({
                id: step.id,
                title: step.title,
                kind: step.kind,
                status: 'skipped',
                note: 'dependencies did not install',
                durationMs: 0,
                findings: [],
                suites: [],
            });
            continue;
        }
        const result = await runStep(step, dir, ctx);
        if (step.kind === 'install' && result.status === 'failed')
            installFailed = true;
        results.push(result);
    }
    return results;
}

;// CONCATENATED MODULE: ./src/gate/action.ts















const action_schema = schemas/* object */.Ikc({
    preset: (0,core_inputs/* choice */.Yq)(['python', 'node', 'django', 'custom']),
    'working-directory': (0,core_inputs/* text */.Qq)('.'),
    lint: (0,core_inputs/* optionalText */.mR)(),
    test: (0,core_inputs/* optionalText */.mR)(),
    install: (0,core_inputs/* bool */.lc)(true),
    cache: (0,core_inputs/* bool */.lc)(true),
    'junit-files': (0,core_inputs/* list */.p_)(),
    'coverage-file': (0,core_inputs/* optionalText */.mR)(),
    'coverage-min': (0,core_inputs/* integer */.nd)(0, 0, 100),
});
function workingDirectory(inputs, workspace) {
    const dir = (0,external_node_path_.resolve)(workspace, inputs['working-directory']);
    if (!(0,external_node_fs_.existsSync)(dir) || !(0,external_node_fs_.statSync)(dir).isDirectory())
        throw new core_errors/* ConfigurationError */.j1(`input "working-directory": ${JSON.stringify(inputs['working-directory'])} is not a directory in the workspace`);
    return { dir, rel: (0,external_node_path_.relative)(workspace, dir) || '.' };
}
function cacheFor(preset, facts, dir) {
    if (preset === 'custom')
        return undefined;
    if (preset === 'node')
        return cachePlan(nodeManager(facts), dir, lockfiles(facts, 'node'), (0,external_node_os_.platform)(), (0,external_node_os_.arch)());
    return cachePlan(pythonManager(facts), dir, lockfiles(facts, 'python'), (0,external_node_os_.platform)(), (0,external_node_os_.arch)());
}
/** Paths in findings are relative to the working directory; annotations want the repository root. */
function repoPath(file, dir, workspace) {
    return (0,external_node_path_.normalize)((0,external_node_path_.relative)(workspace, (0,external_node_path_.isAbsolute)(file) ? file : (0,external_node_path_.join)(dir, file)));
}
function annotateResults(steps, suites, dir, ctx) {
    const annotator = new Annotator(ctx.logger);
    for (const step of steps) {
        for (const f of step.findings) {
            annotator.add({
                kind: f.kind,
                message: f.message,
                title: `${step.id}${f.rule ? ` ${f.rule}` : ''}`,
                file: repoPath(f.file, dir, ctx.env.workspace),
                line: f.line,
                col: f.col,
            });
        }
    }
    for (const c of suites.flatMap((s) => s.cases)) {
        if (c.status !== 'failed' && c.status !== 'error')
            continue;
        const at = failureLocation(c, dir);
        const details = (c.details ?? c.message ?? 'failed').split('\n').slice(0, 30).join('\n');
        annotator.add({
            kind: 'error',
            title: `test failed: ${c.suite} › ${c.name}`,
            message: details,
            file: at ? repoPath(at.file, dir, ctx.env.workspace) : undefined,
            line: at?.line,
        });
    }
    return annotator;
}
async function gateIn(where, inputs, ctx) {
    const { dir, rel, facts, reportDir } = where;
    const steps = planSteps(inputs.preset, facts, {
        dir,
        reportDir,
        install: inputs.install,
        coverageMin: inputs['coverage-min'],
        lint: inputs.lint,
        test: inputs.test,
    });
    for (const s of steps)
        if (s.skip)
            ctx.logger.info(`skipped ${s.title}: ${s.skip}`);
    const fromCli = ctx.env.eventName === 'cli';
    const installs = steps.some((s) => s.kind === 'install' && s.argv);
    const plan = inputs.cache && installs && !fromCli ? cacheFor(inputs.preset, facts, dir) : undefined;
    // @actions/cache (and the Azure SDK under it) loads only when there is something to cache.
    const cache = plan ? (await Promise.all(/* import() */[__webpack_require__.e(559), __webpack_require__.e(379)]).then(__webpack_require__.bind(__webpack_require__, 85379))).actionsCache(ctx.logger) : undefined;
    let cacheNote = inputs.cache && installs ? (fromCli ? 'not used from the CLI' : 'no lockfile, nothing cached') : undefined;
    let restored;
    if (plan && cache) {
        ctx.logger.info(`dependency cache key ${plan.key} (from ${plan.lockfiles.join(', ')})`);
        restored = await cache.restore(plan.paths, plan.key, plan.restoreKeys);
        cacheNote = restored === plan.key ? `hit ${plan.key}` : restored ? `restored ${restored}, will save ${plan.key}` : `miss ${plan.key}`;
    }
    const results = await runSteps(steps, dir, ctx);
    const notes = [];
    const suites = [
        ...results.flatMap((r) => r.suites),
        ...readSuites(inputs['junit-files'].map((f) => (0,external_node_path_.resolve)(dir, f)), notes),
    ];
    let coverage = results.map((r) => r.coverage).find((c) => c !== undefined);
    if (inputs['coverage-file']) {
        coverage = readCoverage((0,external_node_path_.resolve)(dir, inputs['coverage-file']));
        if (coverage === undefined)
            notes.push(`no readable coverage report at ${inputs['coverage-file']}`);
    }
    for (const note of notes)
        ctx.logger.warning(note);
    const t = totals(suites);
    ctx.outputs.set('tests', String(t.tests));
    ctx.outputs.set('failures', String(t.failed));
    if (coverage !== undefined)
        ctx.outputs.set('coverage', coverage.toFixed(1));
    const installed = results.find((r) => r.kind === 'install')?.status === 'passed';
    if (plan && cache && installed && restored !== plan.key)
        await cache.save(plan.paths, plan.key);
    const annotator = annotateResults(results, suites, dir, ctx);
    const problems = gateProblems(results, suites, coverage, inputs['coverage-min']);
    ctx.outputs.set('passed', String(problems.length === 0));
    const annotationNote = annotator.droppedNote();
    if (annotationNote)
        ctx.logger.warning(annotationNote);
    gate_report_writeSummary(ctx.summary, {
        preset: inputs.preset,
        dir: rel,
        steps: results,
        suites,
        coverage,
        coverageMin: inputs['coverage-min'],
        cacheNote,
        annotationNote,
        problems,
    });
    if (problems.length > 0)
        throw new core_errors/* OperationalError */.LE(`gate failed: ${problems.join('; ')}`, 'the annotations and the job summary point at the files and tests to fix');
}
const gateAction = (0,action/* defineAction */.Q)({
    name: 'gate',
    schema: action_schema,
    secretInputs: [],
    outputs: ['passed', 'tests', 'failures', 'coverage'],
    async run(inputs, ctx) {
        const { dir, rel } = workingDirectory(inputs, ctx.env.workspace);
        if (inputs.preset === 'custom' && !inputs.lint && !inputs.test)
            throw new core_errors/* ConfigurationError */.j1('input "lint" or "test": the custom preset needs at least one command');
        const facts = detectProject(dir);
        // The JUnit and coverage files the steps write go to a scratch directory removed afterwards.
        const reportDir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(ctx.env.tempDir, 'deploy-kit-gate-'));
        try {
            await gateIn({ dir, rel, facts, reportDir }, inputs, ctx);
        }
        finally {
            (0,external_node_fs_.rmSync)(reportDir, { recursive: true, force: true });
        }
    },
});

;// CONCATENATED MODULE: ./src/image/builders.ts


/** Where the registry credentials live for this run: a file under workDir, removed on logout. */
function credentialPath(builder, workDir) {
    return builder === 'docker' ? (0,external_node_path_.join)(workDir, 'docker-config') : (0,external_node_path_.join)(workDir, 'auth.json');
}
function credentialEnv(builder, workDir) {
    // DOCKER_CONFIG moves the whole docker config (with config.json) into the private directory.
    return builder === 'docker' ? { DOCKER_CONFIG: credentialPath(builder, workDir) } : undefined;
}
function authFlags(builder, spec) {
    return [...(spec.loggedIn ? ['--authfile', credentialPath(builder, spec.workDir)] : []), ...tlsFlag(builder, spec.tlsVerify)];
}
function tlsFlag(builder, tlsVerify) {
    return builder !== 'docker' && !tlsVerify ? ['--tls-verify=false'] : [];
}
/** A registry host with an optional port (`ghcr.io`, `127.0.0.1:5000`); anything else could become an option. */
function validateRegistry(registry) {
    if (!/^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?$/i.test(registry))
        throw new core_errors/* ConfigurationError */.j1(`input "registry": expected a host[:port] such as ghcr.io or 127.0.0.1:5000, got ${JSON.stringify(registry)}`);
    return registry;
}
function loginCommand(builder, login, workDir, tlsVerify) {
    validateRegistry(login.registry);
    const auth = builder === 'docker' ? [] : ['--authfile', credentialPath(builder, workDir)];
    return {
        argv: [
            builder,
            'login',
            ...auth,
            ...tlsFlag(builder, tlsVerify),
            '--username',
            login.username,
            '--password-stdin',
            '--',
            login.registry,
        ],
        env: credentialEnv(builder, workDir),
        stdin: login.password,
    };
}
/** Detection probes, in the order `builder: auto` tries them. */
const PROBES = [
    // A docker client alone is not enough: the daemon must answer.
    { builder: 'docker', argv: ['docker', 'version', '--format', '{{.Server.Version}}'] },
    { builder: 'buildah', argv: ['buildah', '--version'] },
    { builder: 'podman', argv: ['podman', '--version'] },
];
/** Whether the docker CLI has the buildx plugin (run with the private DOCKER_CONFIG, which links the user's cli-plugins). */
function buildxProbe(workDir) {
    return { argv: ['docker', 'buildx', 'version'], env: credentialEnv('docker', workDir) };
}
const idFile = (workDir) => (0,external_node_path_.join)(workDir, 'iid');
const digestFile = (workDir, index) => (0,external_node_path_.join)(workDir, `digest-${index}`);
const metadataFile = (workDir) => (0,external_node_path_.join)(workDir, 'metadata.json');
function commonBuildFlags(spec) {
    const args = [];
    if (spec.file)
        args.push('--file', spec.file);
    if (spec.target)
        args.push('--target', spec.target);
    if (spec.network)
        args.push('--network', spec.network);
    if (spec.platforms.length > 0)
        args.push('--platform', spec.platforms.join(','));
    for (const [k, v] of Object.entries(spec.labels))
        args.push('--label', `${k}=${v}`);
    for (const [k, v] of Object.entries(spec.buildArgs))
        args.push('--build-arg', `${k}=${v}`);
    for (const s of spec.secrets)
        args.push('--secret', `id=${s.id},src=${s.path}`);
    return args;
}
function buildCommand(builder, spec) {
    if (builder === 'docker' && spec.buildx) {
        const argv = ['docker', 'buildx', 'build', ...commonBuildFlags(spec)];
        for (const c of spec.cacheFrom)
            argv.push('--cache-from', c);
        for (const c of spec.cacheTo)
            argv.push('--cache-to', c);
        for (const ref of spec.refs)
            argv.push('--tag', ref);
        argv.push('--iidfile', idFile(spec.workDir), '--metadata-file', metadataFile(spec.workDir));
        // A multi-platform image cannot be loaded into the local image store; it is only pushed.
        if (spec.push)
            argv.push('--push');
        else if (spec.platforms.length <= 1)
            argv.push('--load');
        argv.push('--', spec.context);
        return { argv, env: credentialEnv(builder, spec.workDir) };
    }
    if (builder === 'docker') {
        // Without buildx: the classic builder, or BuildKit when DOCKER_BUILDKIT=1 (docker 20.10's CLI has it built in).
        const argv = ['docker', 'build', ...commonBuildFlags(spec), ...spec.refs.flatMap((ref) => ['--tag', ref])];
        argv.push('--iidfile', idFile(spec.workDir), '--', spec.context);
        return { argv, env: credentialEnv(builder, spec.workDir) };
    }
    const argv = [builder, 'build', ...commonBuildFlags(spec), ...authFlags(builder, spec)];
    if (spec.platforms.length > 1)
        argv.push('--manifest', spec.refs[0]);
    else
        for (const ref of spec.refs)
            argv.push('--tag', ref);
    argv.push('--iidfile', idFile(spec.workDir), '--', spec.context);
    return { argv };
}
/** buildah/podman push each reference, and so does docker without buildx (buildx pushes during the build). */
function pushCommands(builder, spec) {
    if (!spec.push || (builder === 'docker' && spec.buildx))
        return [];
    if (builder === 'docker')
        return spec.refs.map((ref) => ({ argv: ['docker', 'push', '--', ref], env: credentialEnv(builder, spec.workDir) }));
    const auth = authFlags(builder, spec);
    const local = spec.refs[0];
    const push = spec.platforms.length > 1 ? [builder, 'manifest', 'push', '--all'] : [builder, 'push'];
    return spec.refs.map((ref, index) => ({
        argv: [...push, ...auth, '--digestfile', digestFile(spec.workDir, index), '--', local, `docker://${ref}`],
    }));
}
/** The manifest digest `docker push` reports on its last line (`main: digest: sha256:… size: 735`). */
function pushedDigest(output) {
    return [...output.matchAll(/\bdigest: (sha256:[0-9a-f]{64})\b/g)].at(-1)?.[1];
}
/** The registry host of a repository (`ghcr.io/a/b` → ghcr.io; `acme/app` → docker.io), as docker resolves it. */
function registryOf(repository) {
    const first = repository.split('/')[0];
    return repository.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

;// CONCATENATED MODULE: ./src/image/labels.ts

/** The OCI annotations metadata-action sets; user labels given as `key=value` lines override them. */
function ociLabels(facts, userLabels) {
    const labels = {};
    if (facts.repository) {
        labels['org.opencontainers.image.title'] = facts.repository.split('/').pop();
        labels['org.opencontainers.image.source'] = `${facts.serverUrl.replace(/\/$/, '')}/${facts.repository}`;
        labels['org.opencontainers.image.url'] = labels['org.opencontainers.image.source'];
    }
    if (facts.sha)
        labels['org.opencontainers.image.revision'] = facts.sha;
    labels['org.opencontainers.image.created'] = facts.created.toISOString();
    if (facts.version)
        labels['org.opencontainers.image.version'] = facts.version;
    Object.assign(labels, parseKeyValues('labels', userLabels));
    return labels;
}
/** `KEY=value` lines (labels, build-args, secrets) into a record; the value may contain `=`. */
function parseKeyValues(input, lines) {
    const out = {};
    for (const [index, line] of lines.entries()) {
        const eq = line.indexOf('=');
        // The line itself is not printed: in `secrets` it may be the secret.
        if (eq <= 0)
            throw new core_errors/* ConfigurationError */.j1(`input "${input}": expected KEY=value lines; entry ${index + 1} has no KEY=`);
        out[line.slice(0, eq).trim()] = line.slice(eq + 1);
    }
    return out;
}
/** The server URL from the run link (`https://github.com/owner/repo/actions/runs/1`), github.com otherwise. */
function serverUrlFromRunUrl(runUrl, repository) {
    const at = repository ? runUrl.indexOf(`/${repository}/actions/runs/`) : -1;
    return at > 0 && /^https?:\/\//.test(runUrl) ? runUrl.slice(0, at) : 'https://github.com';
}

;// CONCATENATED MODULE: ./src/image/tag-facts.ts


/** The repository's tags, so latest=auto can tell a backport from the newest release; undefined when unknown. */
async function gitTags(ctx) {
    if (!ctx.env.ref.startsWith('refs/tags/'))
        return undefined;
    const result = await ctx.exec.run(['git', '-C', ctx.env.workspace, 'tag', '--list']).catch(() => undefined);
    if (result?.exitCode !== 0)
        return undefined;
    const tags = result.stdout
        .split('\n')
        .map((t) => t.trim())
        .filter(Boolean);
    return tags.length > 0 ? tags : undefined;
}
/** Reads what the tag rules need from the event payload (PR number and head sha, default branch) and git. */
async function tagFacts(ctx, options) {
    if (!/^\d{1,2}$/.test(options.shortShaLength) || Number(options.shortShaLength) < 1)
        throw new core_errors/* ConfigurationError */.j1(`input "short-sha-length": expected a number from 1 to 40, got "${options.shortShaLength}"`);
    const facts = {
        eventName: ctx.env.eventName,
        ref: ctx.env.ref,
        sha: ctx.env.sha,
        now: new Date(ctx.clock.now()),
        gitTags: await gitTags(ctx),
        usePrHeadSha: options.prHeadSha,
        shortShaLength: Number(options.shortShaLength),
    };
    try {
        const payload = readEventPayload(ctx.env.eventPath);
        if (payload === undefined)
            return facts;
        facts.prNumber = payload.pull_request?.number;
        facts.prHeadSha = payload.pull_request?.head?.sha;
        facts.prBaseRef = payload.pull_request?.base?.ref;
        facts.baseRef = payload.base_ref ?? undefined;
        facts.defaultBranch = payload.repository?.default_branch;
        const committed = payload.head_commit?.timestamp ? new Date(payload.head_commit.timestamp) : undefined;
        if (committed && !Number.isNaN(committed.getTime()))
            facts.commitDate = committed;
    }
    catch {
        ctx.logger.warning(`could not read the event payload ${ctx.env.eventPath}; PR tags use the ref only`);
    }
    return facts;
}

;// CONCATENATED MODULE: ./src/image/tags/rules.ts

const DEFAULT_PRIORITY = {
    schedule: 1000,
    semver: 900,
    pep440: 900,
    match: 800,
    edge: 700,
    ref: 600,
    raw: 200,
    sha: 100,
};
const KEYS = {
    schedule: ['pattern'],
    semver: ['pattern', 'value', 'match'],
    pep440: ['pattern', 'value', 'match'],
    match: ['pattern', 'group', 'value'],
    edge: ['branch'],
    ref: ['event'],
    raw: ['value'],
    sha: ['format'],
};
/** Default rules when `tags` is empty, as metadata-action: schedule, branch, tag, pr. */
const DEFAULT_RULES = ['type=schedule', 'type=ref,event=branch', 'type=ref,event=tag', 'type=ref,event=pr'];
/**
 * Splits a CSV line: a field wholly in double quotes may hold commas (`"pattern=\d{1,2}"`), and
 * commas inside `{{…}}` never split (so `{{date 'YYYY,MM'}}` needs no quotes).
 */
function splitFields(line) {
    const fields = [];
    let i = 0;
    while (i <= line.length) {
        let field = '';
        while (line[i] === ' ')
            i += 1;
        if (line[i] === '"') {
            i += 1;
            while (i < line.length && !(line[i] === '"' && line[i + 1] !== '"')) {
                field += line[i];
                i += line[i] === '"' ? 2 : 1;
            }
            i += 1;
            while (i < line.length && line[i] !== ',')
                field += line[i++];
        }
        else {
            let depth = 0;
            while (i < line.length && (line[i] !== ',' || depth > 0)) {
                if (line.startsWith('{{', i))
                    depth += 1;
                if (line.startsWith('}}', i))
                    depth = Math.max(0, depth - 1);
                field += line[i++];
            }
        }
        fields.push(field.trim());
        i += 1;
    }
    return fields.filter((f) => f !== '');
}
function need(rule, key, line, what) {
    if (!Object.hasOwn(rule.attrs, key))
        throw new core_errors/* ConfigurationError */.j1(`input "tags": type=${rule.type} needs ${what} in "${line}"`);
}
function parseRule(line) {
    const attrs = {};
    let type = 'raw';
    for (const field of splitFields(line)) {
        const eq = field.indexOf('=');
        // `type=raw,{{date 'x' tz='UTC'}}`: a field whose "key" is not a word is a bare value.
        if (eq <= 0 || !/^\s*[a-z][\w-]*\s*$/i.test(field.slice(0, eq))) {
            attrs.value = field;
            continue;
        }
        const key = field.slice(0, eq).trim().toLowerCase();
        const value = field.slice(eq + 1).trim();
        if (key !== 'type')
            attrs[key] = value;
        else if (value in DEFAULT_PRIORITY)
            type = value;
        else
            throw new core_errors/* ConfigurationError */.j1(`input "tags": unknown type=${value} in "${line}" (known: ${Object.keys(DEFAULT_PRIORITY).join(', ')})`);
    }
    const allowed = new Set(['prefix', 'suffix', 'enable', 'priority', ...KEYS[type]]);
    for (const key of Object.keys(attrs)) {
        if (!allowed.has(key))
            throw new core_errors/* ConfigurationError */.j1(`input "tags": type=${type} does not take "${key}" (it takes type, ${[...allowed].join(', ')})`);
    }
    const priorityText = attrs.priority;
    if (priorityText !== undefined && !/^\d+$/.test(priorityText))
        throw new core_errors/* ConfigurationError */.j1(`input "tags": priority must be a whole number in "${line}"`);
    const rule = { type, attrs, priority: priorityText === undefined ? DEFAULT_PRIORITY[type] : Number(priorityText) };
    switch (type) {
        case 'schedule':
            attrs.pattern ??= 'nightly';
            break;
        case 'semver':
        case 'pep440':
            need(rule, 'pattern', line, 'a pattern such as {{version}}');
            break;
        case 'match':
            need(rule, 'pattern', line, 'a pattern (a regular expression)');
            attrs.group ??= '0';
            if (!/^\d+$/.test(attrs.group))
                throw new core_errors/* ConfigurationError */.j1(`input "tags": group must be a whole number in "${line}"`);
            break;
        case 'ref':
            if (attrs.event !== 'branch' && attrs.event !== 'tag' && attrs.event !== 'pr')
                throw new core_errors/* ConfigurationError */.j1(`input "tags": type=ref needs event=branch, tag or pr in "${line}"`);
            if (attrs.event === 'pr')
                attrs.prefix ??= 'pr-';
            break;
        case 'raw':
            need(rule, 'value', line, 'a value');
            break;
        case 'sha':
            attrs.prefix ??= 'sha-';
            attrs.format ??= 'short';
            if (attrs.format !== 'short' && attrs.format !== 'long')
                throw new core_errors/* ConfigurationError */.j1(`input "tags": type=sha format must be short or long in "${line}"`);
            break;
        case 'edge':
            break;
    }
    return rule;
}
/** Parses the rules and orders them by priority, highest first; equal priorities keep their order. */
function parseRules(lines) {
    return (lines.length > 0 ? lines : DEFAULT_RULES).map(parseRule).sort((a, b) => b.priority - a.priority);
}

;// CONCATENATED MODULE: ./src/image/tags/dates.ts

/**
 * moment.js format tokens rendered with Intl in an IANA time zone, for `{{date 'fmt' tz='Zone'}}`.
 * Text in `[brackets]` is literal, as in moment.
 */
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const TOKENS = /\[([^\]]*)\]|YYYY|YY|Q|MMMM|MMM|MM|M|DDDD|DDD|Do|DD|D|dddd|ddd|dd|d|HH|H|hh|h|kk|k|mm|m|ss|s|SSS|SS|S|A|a|ZZ|Z|X|x/g;
function zonedParts(date, timeZone) {
    let format;
    try {
        format = new Intl.DateTimeFormat('en-US', {
            timeZone,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
        });
    }
    catch {
        throw new core_errors/* ConfigurationError */.j1(`input "tags": unknown time zone tz='${timeZone}' (use an IANA name such as Europe/Paris)`);
    }
    const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, Number(p.value)]));
    const [year, month, day, hour, minute, second] = [parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second];
    const local = Date.UTC(year, month - 1, day, hour, minute, second);
    const offset = Math.round((local - Math.floor(date.getTime() / 1000) * 1000) / 60000);
    return { year, month, day, hour, minute, second, weekday: new Date(local).getUTCDay(), offset };
}
function ordinal(n) {
    const tens = n % 100;
    const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
    return `${n}${suffix}`;
}
/** Formats like moment-timezone's `moment(date).tz(tz).format(format)`; no format gives ISO 8601. */
function formatDate(format, date, timeZone = 'UTC') {
    const p = zonedParts(date, timeZone);
    const pattern = format ?? (p.offset === 0 && timeZone === 'UTC' ? 'YYYY-MM-DDTHH:mm:ss[Z]' : 'YYYY-MM-DDTHH:mm:ssZ');
    const pad = (n, width = 2) => String(n).padStart(width, '0');
    const zone = (sep) => `${p.offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(p.offset) / 60))}${sep}${pad(Math.abs(p.offset) % 60)}`;
    const dayOfYear = Math.round((Date.UTC(p.year, p.month - 1, p.day) - Date.UTC(p.year, 0, 1)) / 86400000) + 1;
    const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
    const ms = date.getUTCMilliseconds();
    const values = {
        YYYY: () => pad(p.year, 4),
        YY: () => pad(p.year % 100),
        Q: () => String(Math.ceil(p.month / 3)),
        MMMM: () => MONTHS[p.month - 1],
        MMM: () => MONTHS[p.month - 1].slice(0, 3),
        MM: () => pad(p.month),
        M: () => String(p.month),
        DDDD: () => pad(dayOfYear, 3),
        DDD: () => String(dayOfYear),
        Do: () => ordinal(p.day),
        DD: () => pad(p.day),
        D: () => String(p.day),
        dddd: () => DAYS[p.weekday],
        ddd: () => DAYS[p.weekday].slice(0, 3),
        dd: () => DAYS[p.weekday].slice(0, 2),
        d: () => String(p.weekday),
        HH: () => pad(p.hour),
        H: () => String(p.hour),
        hh: () => pad(h12),
        h: () => String(h12),
        kk: () => pad(p.hour === 0 ? 24 : p.hour),
        k: () => String(p.hour === 0 ? 24 : p.hour),
        mm: () => pad(p.minute),
        m: () => String(p.minute),
        ss: () => pad(p.second),
        s: () => String(p.second),
        SSS: () => pad(ms, 3),
        SS: () => pad(Math.floor(ms / 10)),
        S: () => String(Math.floor(ms / 100)),
        A: () => (p.hour < 12 ? 'AM' : 'PM'),
        a: () => (p.hour < 12 ? 'am' : 'pm'),
        ZZ: () => zone(''),
        Z: () => zone(':'),
        X: () => String(Math.floor(date.getTime() / 1000)),
        x: () => String(date.getTime()),
    };
    return pattern.replace(TOKENS, (token, literal) => literal ?? values[token]());
}

;// CONCATENATED MODULE: ./src/image/tags/flavor.ts


/** The `flavor` input: lines of `latest=…`, `prefix=…[,onlatest=true]`, `suffix=…[,onlatest=true]`. */
function parseFlavor(lines) {
    const flavor = { latest: 'auto', prefix: '', suffix: '', prefixLatest: false, suffixLatest: false };
    for (const line of lines) {
        let onLatestFor;
        for (const field of splitFields(line)) {
            const eq = field.indexOf('=');
            const key = eq > 0 ? field.slice(0, eq).trim().toLowerCase() : '';
            const value = eq > 0 ? field.slice(eq + 1).trim() : '';
            if (key === 'latest') {
                if (value !== 'auto' && value !== 'true' && value !== 'false')
                    throw new core_errors/* ConfigurationError */.j1(`input "flavor": latest must be auto, true or false, got "${value}"`);
                flavor.latest = value;
            }
            else if (key === 'prefix' || key === 'suffix') {
                flavor[key] = value;
                onLatestFor = key;
            }
            else if (key === 'onlatest') {
                if (value !== 'true' && value !== 'false')
                    throw new core_errors/* ConfigurationError */.j1(`input "flavor": onlatest must be true or false, got "${value}"`);
                if (!onLatestFor)
                    throw new core_errors/* ConfigurationError */.j1(`input "flavor": onlatest= follows prefix= or suffix= on the same line, got "${line}"`);
                flavor[`${onLatestFor}Latest`] = value === 'true';
            }
            else
                throw new core_errors/* ConfigurationError */.j1(`input "flavor": expected latest=, prefix=, suffix= or onlatest=, got "${line}"`);
        }
    }
    return flavor;
}

;// CONCATENATED MODULE: ./src/image/semver.ts
const SEMVER = /^[v=]?\s*(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
function parseSemver(text) {
    const raw = text.trim();
    const m = SEMVER.exec(raw);
    if (!m)
        return undefined;
    const [, major, minor, patch, prerelease, build] = m;
    return {
        raw,
        version: `${major}.${minor}.${patch}${prerelease ? `-${prerelease}` : ''}${build ? `+${build}` : ''}`,
        major: Number(major),
        minor: Number(minor),
        patch: Number(patch),
        prerelease,
        build,
    };
}
/** SemVer precedence of two versions: negative, zero or positive. Build metadata is ignored. */
function compareSemver(a, b) {
    for (const key of ['major', 'minor', 'patch'])
        if (a[key] !== b[key])
            return a[key] - b[key];
    if (!a.prerelease || !b.prerelease)
        return (a.prerelease ? -1 : 0) - (b.prerelease ? -1 : 0);
    const pa = a.prerelease.split('.');
    const pb = b.prerelease.split('.');
    for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
        const x = pa[i];
        const y = pb[i];
        if (x === undefined)
            return -1;
        if (y === undefined)
            return 1;
        if (x === y)
            continue;
        const nx = /^\d+$/.test(x);
        const ny = /^\d+$/.test(y);
        if (nx && ny)
            return Number(x) - Number(y);
        if (nx !== ny)
            return nx ? -1 : 1;
        return x < y ? -1 : 1;
    }
    return 0;
}

;// CONCATENATED MODULE: ./src/image/tags/expressions.ts
/**
 * The handlebars subset metadata-action's tag values use: `{{name}}`, `{{name 'arg'}}` and
 * `{{name 'arg' key='value'}}`. Unknown names render empty, as handlebars does.
 */
const MUSTACHE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const expressions_TOKEN = /(\w+)=(?:'([^']*)'|"([^"]*)"|(\S+))|'([^']*)'|"([^"]*)"|(\S+)/g;
function parseExpression(body) {
    const expression = { name: '', options: {} };
    let positional = 0;
    for (const m of body.matchAll(expressions_TOKEN)) {
        if (m[1] !== undefined)
            expression.options[m[1]] = m[2] ?? m[3] ?? m[4];
        else if (expression.name === '')
            expression.name = m[7] ?? '';
        else if (positional++ === 0)
            expression.arg = m[5] ?? m[6];
    }
    return expression;
}
function render(template, helpers) {
    return template.replace(MUSTACHE, (_, body) => {
        const expression = parseExpression(body);
        const helper = Object.hasOwn(helpers, expression.name) ? helpers[expression.name] : undefined;
        return helper ? helper(expression.arg, expression.options) : '';
    });
}
/** True when the pattern is exactly `{{raw}}` (metadata-action's isRawStatement). */
function isRawStatement(pattern) {
    const m = /^\{\{\s*([^{}]*?)\s*\}\}$/.exec(pattern);
    return m !== null && parseExpression(m[1]).name === 'raw' && m[1].trim() === 'raw';
}

;// CONCATENATED MODULE: ./src/image/tags/context.ts



/**
 * The run as the rules see it. A pull_request_target run checks out the base branch, but its tags
 * must be the PR's (`refs/pull/<n>/merge`): a branch tag from an untrusted PR would overwrite it.
 */
function normalizeFacts(facts) {
    const isPr = facts.eventName.startsWith('pull_request');
    const ref = facts.eventName === 'pull_request_target' && facts.prNumber !== undefined ? `refs/pull/${facts.prNumber}/merge` : facts.ref;
    const sha = isPr && facts.usePrHeadSha && facts.prHeadSha ? facts.prHeadSha : facts.sha;
    return { ...facts, ref, sha };
}
function shortSha(facts) {
    return facts.sha.slice(0, facts.shortShaLength ?? 7);
}
const after = (ref, prefix) => (ref.startsWith(prefix) ? ref.slice(prefix.length) : '');
function isDefaultBranch(facts) {
    const branch = facts.ref.replace(/^refs\/heads\//, '');
    if (branch === '')
        return false;
    if (facts.defaultBranch === branch)
        return true;
    // These events always run on the default branch's last commit.
    return /create|discussion|issues|schedule/.test(facts.eventName);
}
function dateHelper(date) {
    return (format, options) => {
        for (const key of Object.keys(options))
            if (key !== 'tz')
                throw new core_errors/* ConfigurationError */.j1(`input "tags": {{date}} takes only tz=, got ${key}=`);
        return formatDate(format, date, options.tz ?? 'UTC');
    };
}
/** Renders `{{branch}}`, `{{tag}}`, `{{sha}}`, `{{base_ref}}`, `{{is_default_branch}}`, `{{date}}`, `{{commit_date}}`. */
function renderGlobal(template, facts) {
    return render(template, {
        branch: () => after(facts.ref, 'refs/heads/'),
        tag: () => after(facts.ref, 'refs/tags/'),
        sha: () => shortSha(facts),
        base_ref: () => {
            if (facts.ref.startsWith('refs/tags/') && facts.baseRef)
                return facts.baseRef.replace(/^refs\/heads\//, '');
            if (facts.ref.startsWith('refs/pull/') && facts.prBaseRef)
                return facts.prBaseRef;
            return '';
        },
        is_default_branch: () => String(isDefaultBranch(facts)),
        is_not_default_branch: () => String(!isDefaultBranch(facts)),
        date: dateHelper(facts.now),
        commit_date: dateHelper(facts.commitDate ?? facts.now),
    });
}

;// CONCATENATED MODULE: ./src/image/tags/pep440.ts
const PEP440 = /^\s*v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;
const PRE_LETTER = { a: 'a', alpha: 'a', b: 'b', beta: 'b', c: 'rc', rc: 'rc', pre: 'rc', preview: 'rc' };
function parsePep440(text) {
    const m = PEP440.exec(text);
    if (!m)
        return undefined;
    const [, epoch, release, pre, preN, postImplicit, post, postN, dev, devN, local] = m;
    const numbers = release.split('.').map(Number);
    let version = `${epoch && Number(epoch) !== 0 ? `${Number(epoch)}!` : ''}${numbers.join('.')}`;
    if (pre)
        version += `${PRE_LETTER[pre.toLowerCase()]}${Number(preN ?? 0)}`;
    const postNumber = postImplicit ?? (post ? (postN ?? '0') : undefined);
    if (postNumber !== undefined)
        version += `.post${Number(postNumber)}`;
    if (dev)
        version += `.dev${Number(devN ?? 0)}`;
    if (local)
        version += `+${local.toLowerCase().replace(/[-_]/g, '.')}`;
    return {
        raw: text,
        version,
        major: numbers[0],
        minor: numbers[1] ?? 0,
        patch: numbers[2] ?? 0,
        unstable: pre !== undefined || postNumber !== undefined || dev !== undefined,
    };
}

;// CONCATENATED MODULE: ./src/image/tags/sanitize.ts
/**
 * Replaces what the tag grammar `[\w][\w.-]{0,127}` rejects with `-`, like metadata-action; the kit
 * also drops leading `.`/`-` and cuts to 128 characters, which registries reject. Undefined when empty.
 */
function sanitizeTag(raw) {
    const tag = raw
        .replace(/[^\w.-]+/g, '-')
        .replace(/^[.-]+/, '')
        .slice(0, 128);
    return tag === '' ? undefined : tag;
}

;// CONCATENATED MODULE: ./src/image/tags/plan.ts







const plan_after = (ref, prefix) => (ref.startsWith(prefix) ? ref.slice(prefix.length) : undefined);
/** The version text a semver/pep440/match rule reads: its value=, or the git tag. */
function versionSource(rule, facts) {
    if (rule.attrs.value)
        return renderGlobal(rule.attrs.value, facts);
    return plan_after(facts.ref, 'refs/tags/');
}
function matched(text, pattern) {
    if (!pattern)
        return text;
    return new RegExp(pattern).exec(text)?.[1] ?? text;
}
function semverYield(rule, facts) {
    const source = versionSource(rule, facts);
    if (source === undefined)
        return undefined;
    const version = parseSemver(matched(source, rule.attrs.match).replace(/\//g, '-'));
    if (!version)
        return undefined;
    const fields = (v) => ({
        raw: () => v.raw,
        version: () => v.version,
        major: () => String(v.major),
        minor: () => String(v.minor),
        patch: () => String(v.patch),
        prerelease: () => v.prerelease ?? '',
        build: () => v.build ?? '',
    });
    // A pre-release gets its full version only, so 1.2 and 1 keep pointing at a release.
    const pattern = version.prerelease && !isRawStatement(rule.attrs.pattern) ? '{{version}}' : rule.attrs.pattern;
    return { value: render(pattern, fields(version)), autoLatest: !version.prerelease };
}
function pep440Yield(rule, facts) {
    const source = versionSource(rule, facts);
    if (source === undefined)
        return undefined;
    const raw = matched(source, rule.attrs.match).replace(/\//g, '-');
    const version = parsePep440(raw);
    if (!version)
        return undefined;
    if (version.unstable)
        return { value: isRawStatement(rule.attrs.pattern) ? raw : version.version, autoLatest: false };
    const value = render(rule.attrs.pattern, {
        raw: () => raw,
        version: () => version.version,
        major: () => String(version.major),
        minor: () => String(version.minor),
        patch: () => String(version.patch),
    });
    return { value, autoLatest: true };
}
function matchYield(rule, facts) {
    const source = versionSource(rule, facts);
    if (source === undefined)
        return undefined;
    const pattern = rule.attrs.pattern;
    const literal = /^\/(.+)\/(.*)$/.exec(pattern);
    let regex;
    try {
        regex = literal ? new RegExp(literal[1], literal[2]) : new RegExp(pattern);
    }
    catch {
        throw new core_errors/* ConfigurationError */.j1(`input "tags": type=match pattern is not a regular expression: ${pattern}`);
    }
    const group = source.match(regex)?.[Number(rule.attrs.group)];
    return group === undefined ? undefined : { value: group, autoLatest: true };
}
function ruleYield(rule, facts) {
    const branch = plan_after(facts.ref, 'refs/heads/');
    switch (rule.type) {
        case 'schedule':
            return facts.eventName.includes('schedule') ? { value: renderGlobal(rule.attrs.pattern, facts), autoLatest: false } : undefined;
        case 'semver':
            return semverYield(rule, facts);
        case 'pep440':
            return pep440Yield(rule, facts);
        case 'match':
            return matchYield(rule, facts);
        case 'edge':
            return branch !== undefined && branch === (rule.attrs.branch || facts.defaultBranch)
                ? { value: 'edge', autoLatest: false }
                : undefined;
        case 'ref': {
            if (rule.attrs.event === 'branch')
                return branch === undefined ? undefined : { value: branch, autoLatest: false };
            if (rule.attrs.event === 'tag') {
                const tag = plan_after(facts.ref, 'refs/tags/');
                return tag === undefined ? undefined : { value: tag, autoLatest: true };
            }
            const pr = plan_after(facts.ref, 'refs/pull/');
            return pr === undefined ? undefined : { value: pr.replace(/\/merge$/, ''), autoLatest: false };
        }
        case 'raw':
            return { value: renderGlobal(rule.attrs.value, facts), autoLatest: false };
        case 'sha':
            return facts.sha ? { value: rule.attrs.format === 'long' ? facts.sha : shortSha(facts), autoLatest: false } : undefined;
    }
}
/** A rule's own prefix/suffix (the implicit `pr-`/`sha-` included) replaces the flavor's. */
function wrap(value, rule, flavor, facts) {
    const prefix = Object.hasOwn(rule.attrs, 'prefix') ? rule.attrs.prefix : flavor.prefix;
    const suffix = Object.hasOwn(rule.attrs, 'suffix') ? rule.attrs.suffix : flavor.suffix;
    return `${renderGlobal(prefix, facts)}${value}${renderGlobal(suffix, facts)}`;
}
function enabled(rule, facts) {
    const value = renderGlobal(rule.attrs.enable ?? 'true', facts).trim();
    if (value !== 'true' && value !== 'false')
        throw new core_errors/* ConfigurationError */.j1(`input "tags": enable must be true, false or {{is_default_branch}}, got "${rule.attrs.enable}"`);
    return value === 'true';
}
/** A backport (a release below the newest git tag) does not move latest. */
function isBackport(facts) {
    const current = parseSemver(plan_after(facts.ref, 'refs/tags/') ?? '');
    if (!current || !facts.gitTags)
        return false;
    return facts.gitTags.map(parseSemver).some((other) => other && !other.prerelease && compareSemver(other, current) > 0);
}
/**
 * metadata-action's tag planning: rules by priority; the first tag produced is the main version
 * and also decides latest (under latest=auto: a git tag, a match or a release version); the rest
 * are partial tags, de-duplicated, each sanitised to the tag grammar.
 */
function planTags(ruleLines, flavor, runFacts) {
    const facts = normalizeFacts(runFacts);
    const rules = parseRules(ruleLines);
    const tags = [];
    let latest;
    for (const rule of rules) {
        if (!enabled(rule, facts))
            continue;
        const yielded = ruleYield(rule, facts);
        if (!yielded)
            continue;
        const tag = sanitizeTag(wrap(yielded.value, rule, flavor, facts));
        if (tag === undefined)
            continue;
        if (!tags.includes(tag))
            tags.push(tag);
        latest ??= flavor.latest === 'auto' ? yielded.autoLatest && !isBackport(facts) : flavor.latest === 'true';
    }
    const [main = '', ...partial] = tags;
    const withLatest = latest === true && tags.length > 0;
    if (withLatest) {
        const latestTag = sanitizeTag(`${flavor.prefixLatest ? flavor.prefix : ''}latest${flavor.suffixLatest ? flavor.suffix : ''}`);
        if (!tags.includes(latestTag))
            tags.push(latestTag);
    }
    return { tags, version: main, partial, latest: withLatest };
}

;// CONCATENATED MODULE: ./src/image/tags.ts







/** Lower-cases a repository reference (registry host included) and rejects what cannot be one. */
function normalizeRepository(image) {
    const repo = image.trim().toLowerCase();
    if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(repo) || repo.includes('@')) {
        throw new core_errors/* ConfigurationError */.j1(`input "images": expected repositories such as ghcr.io/owner/app (no tag), got ${JSON.stringify(image)}`);
    }
    return repo;
}
/**
 * The `images` input as metadata-action reads it: one line of comma-separated names, or lines of
 * `name=…,enable=true|false` (a bare field is the name). Returns the enabled repositories.
 */
function parseImages(lines) {
    const rows = lines.map(splitFields);
    if (rows.length === 1 && rows[0].every((field) => !field.includes('=')))
        return rows[0].map(normalizeRepository);
    const repositories = [];
    for (const [index, fields] of rows.entries()) {
        let name = '';
        let enable = true;
        for (const field of fields) {
            const eq = field.indexOf('=');
            const key = eq > 0 ? field.slice(0, eq).trim().toLowerCase() : '';
            const value = field.slice(eq + 1).trim();
            if (eq <= 0 || key === 'name')
                name = value;
            else if (key === 'enable' && (value === 'true' || value === 'false'))
                enable = value === 'true';
            else
                throw new core_errors/* ConfigurationError */.j1(`input "images": line ${index + 1}: expected name=… and enable=true|false, got "${field}"`);
        }
        if (name === '')
            throw new core_errors/* ConfigurationError */.j1(`input "images": line ${index + 1} names no repository`);
        if (enable)
            repositories.push(normalizeRepository(name));
    }
    return repositories;
}
/** Every repository × tag, as `repo:tag`. */
function imageRefs(repositories, tags) {
    return repositories.flatMap((repo) => tags.map((tag) => `${repo}:${tag}`));
}

;// CONCATENATED MODULE: ./src/image/build.ts












const WORK_DIR_STATE = 'image-work-dir';
const SECRET_ID = /^[A-Za-z0-9_.-]{1,64}$/;
/** Everything that can be checked without running a builder; a bad input fails here. */
async function planImage(config, ctx) {
    if (config.images.length === 0)
        throw new core_errors/* ConfigurationError */.j1('input "images": expected one or more repositories such as ghcr.io/owner/app');
    if (config.registry)
        validateRegistry(config.registry);
    const repositories = parseImages(config.images);
    if (repositories.length === 0)
        throw new core_errors/* ConfigurationError */.j1('input "images": every repository is enable=false');
    const context = (0,external_node_path_.resolve)(ctx.env.workspace, config.context);
    (0,core_inputs/* requireDirectory */.T)('context', context);
    const file = config.file ? (0,external_node_path_.resolve)(ctx.env.workspace, config.file) : undefined;
    if (file && !(0,external_node_fs_.existsSync)(file))
        throw new core_errors/* ConfigurationError */.j1(`input "file": ${file} does not exist`);
    if (config.password && !config.username)
        throw new core_errors/* ConfigurationError */.j1('input "username": required when "password" is given');
    if (config.username && !config.password)
        throw (0,missing_secret/* missingSecret */.bk)('password', `logging in to the registry as ${config.username} needs it`);
    if (config.builder !== 'auto' && config.builder !== 'docker' && (config['cache-from'].length > 0 || config['cache-to'].length > 0)) {
        throw new core_errors/* ConfigurationError */.j1(`inputs "cache-from"/"cache-to": only the docker builder exports caches, not ${config.builder}`);
    }
    const secrets = parseKeyValues('secrets', config.secrets);
    for (const [id, value] of Object.entries(secrets)) {
        (0,core_logger/* maskSecret */.$l)(ctx.logger, value);
        if (!SECRET_ID.test(id))
            throw new core_errors/* ConfigurationError */.j1(`input "secrets": a secret id must be letters, digits, "_", "." or "-", got ${JSON.stringify(id)}`);
    }
    const buildArgs = parseKeyValues('build-args', config['build-args']);
    const plan = planTags(config.tags, parseFlavor(config.flavor), await tagFacts(ctx, { prHeadSha: config['pr-head-sha'], shortShaLength: config['short-sha-length'] }));
    if (plan.tags.length === 0)
        throw new core_errors/* ConfigurationError */.j1(`input "tags": no rule produced a tag for ${ctx.env.eventName} on ${ctx.env.ref}; add a type=sha or type=raw rule`);
    const labels = ociLabels({
        repository: ctx.env.repository,
        serverUrl: serverUrlFromRunUrl(ctx.env.runUrl, ctx.env.repository),
        sha: ctx.env.sha,
        version: plan.version,
        created: new Date(ctx.clock.now()),
    }, config.labels);
    const refs = imageRefs(repositories, plan.tags);
    return {
        repositories,
        refs,
        secrets,
        context,
        file,
        buildArgs,
        metadata: { images: repositories, tags: refs, tagNames: plan.tags, version: plan.version, labels },
    };
}
async function detectBuilder(config, ctx) {
    if (config.builder !== 'auto')
        return config.builder;
    for (const probe of PROBES) {
        const result = await ctx.exec.run(probe.argv).catch(() => undefined);
        if (result?.exitCode === 0)
            return probe.builder;
    }
    throw new core_errors/* OperationalError */.LE('no image builder found: no docker daemon answered, and neither buildah nor podman is installed', 'install buildah (apt-get install buildah) or run on a runner with docker');
}
function run(ctx, what, command) {
    return (0,exec/* runChecked */.X4)(ctx.exec, what, command.argv, { env: command.env, stdin: command.stdin });
}
function readDigest(builder, spec, pushOutput) {
    if (!spec.push)
        return undefined;
    if (builder === 'docker' && !spec.buildx)
        return pushedDigest(pushOutput ?? '');
    if (builder === 'docker') {
        const file = metadataFile(spec.workDir);
        return (0,external_node_fs_.existsSync)(file) ? JSON.parse((0,external_node_fs_.readFileSync)(file, 'utf8'))['containerimage.digest'] : undefined;
    }
    const file = digestFile(spec.workDir, 0);
    return (0,external_node_fs_.existsSync)(file) ? (0,external_node_fs_.readFileSync)(file, 'utf8').trim() : undefined;
}
/**
 * docker reads its whole configuration from DOCKER_CONFIG: the private one keeps the user's buildx
 * builders (setup-buildx-action's), CLI plugins and contexts by linking them, and their settings
 * minus any credentials, so the login lands only in the private directory.
 */
function prepareDockerConfig(privateDir, userDir) {
    (0,external_node_fs_.mkdirSync)(privateDir, { recursive: true, mode: 0o700 });
    for (const sub of ['buildx', 'cli-plugins', 'contexts']) {
        if ((0,external_node_fs_.existsSync)((0,external_node_path_.join)(userDir, sub)))
            (0,external_node_fs_.symlinkSync)((0,external_node_path_.join)(userDir, sub), (0,external_node_path_.join)(privateDir, sub));
    }
    const userConfig = (0,external_node_path_.join)(userDir, 'config.json');
    let settings = {};
    if ((0,external_node_fs_.existsSync)(userConfig)) {
        try {
            settings = JSON.parse((0,external_node_fs_.readFileSync)(userConfig, 'utf8'));
        }
        catch {
            settings = {};
        }
    }
    const { auths: _auths, credsStore: _store, credHelpers: _helpers, ...rest } = settings;
    (0,external_node_fs_.writeFileSync)((0,external_node_path_.join)(privateDir, 'config.json'), JSON.stringify(rest), { mode: 0o600 });
}
/**
 * docker without the buildx plugin (Debian's docker.io, a bare engine) still builds: `docker build`
 * (the classic builder, or BuildKit with DOCKER_BUILDKIT=1) then `docker push` per tag. What only
 * buildx does fails or is dropped here, named.
 */
async function hasBuildx(config, ctx, workDir) {
    const probe = buildxProbe(workDir);
    const result = await ctx.exec.run(probe.argv, { env: probe.env }).catch(() => undefined);
    if (result?.exitCode === 0)
        return true;
    if (config.platforms.length > 1)
        throw new core_errors/* OperationalError */.LE(`input "platforms": building for ${config.platforms.join(', ')} needs docker buildx, and this docker has no buildx plugin`, 'add docker/setup-buildx-action before this step, or use builder: buildah');
    if (config['cache-from'].length > 0 || config['cache-to'].length > 0)
        ctx.logger.warning('cache-from/cache-to are ignored: docker has no buildx plugin');
    ctx.logger.info('docker has no buildx plugin: building with docker build (BuildKit with DOCKER_BUILDKIT=1, needed for secrets), pushing with docker push');
    return false;
}
/** Removes the private directory holding credentials and secret files; safe to call twice. */
function removeWorkDir(dir) {
    if (dir)
        (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
}
/** plan → detect builder → log in → build → push; the report gets the metadata once planned, completed as the build goes. Credentials and secrets removed in every case. */
async function buildImage(config, ctx, report) {
    const plan = await planImage(config, ctx);
    const metadata = plan.metadata;
    report.metadata = metadata;
    const builder = await detectBuilder(config, ctx);
    metadata.builder = builder;
    ctx.logger.info(`builder: ${builder}`);
    if (builder !== 'docker' && (config['cache-from'].length > 0 || config['cache-to'].length > 0))
        ctx.logger.warning(`cache-from/cache-to are ignored by ${builder}`);
    const workDir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(ctx.env.tempDir, 'dk-image-'));
    (0,external_node_fs_.chmodSync)(workDir, 0o700);
    ctx.state.save(WORK_DIR_STATE, workDir);
    try {
        const secretDir = (0,external_node_path_.join)(workDir, 'secrets');
        (0,external_node_fs_.mkdirSync)(secretDir, { mode: 0o700 });
        const secrets = Object.entries(plan.secrets).map(([id, value], index) => {
            const path = (0,external_node_path_.join)(secretDir, String(index));
            (0,external_node_fs_.writeFileSync)(path, value, { mode: 0o600 });
            return { id, path };
        });
        let loggedIn = false;
        if (builder === 'docker')
            prepareDockerConfig(credentialPath('docker', workDir), ctx.env.dockerConfigDir ?? (0,external_node_path_.join)((0,external_node_os_.homedir)(), '.docker'));
        const buildx = builder === 'docker' && (await hasBuildx(config, ctx, workDir));
        if (config.username && config.password) {
            const registry = config.registry ?? registryOf(plan.repositories[0]);
            await run(ctx, `${builder} login to ${registry}`, loginCommand(builder, { registry, username: config.username, password: config.password }, workDir, config['tls-verify']));
            loggedIn = true;
            ctx.logger.info(`logged in to ${registry} (credentials in a private temp dir, removed after the build)`);
        }
        const spec = {
            context: plan.context,
            file: plan.file,
            refs: plan.refs,
            labels: metadata.labels,
            buildArgs: plan.buildArgs,
            secrets,
            target: config.target,
            platforms: config.platforms,
            push: config.push,
            tlsVerify: config['tls-verify'],
            cacheFrom: buildx ? config['cache-from'] : [],
            cacheTo: buildx ? config['cache-to'] : [],
            workDir,
            loggedIn,
            buildx,
            network: config.network,
        };
        await ctx.logger.group(`build ${plan.refs[0]}`, async () => {
            const result = await run(ctx, `${builder} build`, buildCommand(builder, spec));
            ctx.logger.info(`${result.stdout}${result.stderr}`.trim());
            if ((0,external_node_fs_.existsSync)(idFile(workDir)))
                ctx.logger.info(`image id ${(0,external_node_fs_.readFileSync)(idFile(workDir), 'utf8').trim()}`);
        });
        const pushed = [];
        for (const [index, command] of pushCommands(builder, spec).entries()) {
            const result = await ctx.logger.group(`push ${plan.refs[index]}`, () => run(ctx, `push ${plan.refs[index]}`, command));
            pushed.push(result.stdout);
        }
        const digest = readDigest(builder, spec, pushed[0]);
        if (spec.push && !digest)
            throw new core_errors/* OperationalError */.LE(`${builder} pushed but reported no digest`);
        if (digest) {
            metadata.digest = digest;
            metadata.image = `${plan.repositories[0]}@${digest}`;
        }
    }
    finally {
        removeWorkDir(workDir);
    }
}
/** Post step: the main step removes the directory itself; this covers a main step that was killed. */
async function imagePost(ctx) {
    const dir = ctx.state.get(WORK_DIR_STATE);
    if (dir && (0,external_node_fs_.existsSync)(dir)) {
        removeWorkDir(dir);
        ctx.logger.info('removed the registry credentials and build secrets left by the main step');
    }
}

;// CONCATENATED MODULE: ./src/image/inputs.ts


/** Newline-separated entries (tag rules and key=value lines contain commas, so commas do not split). */
function lines() {
    return (0,core_inputs/* content */.Qs)().transform((v) => (v ?? '')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#')));
}
const imageInputs = {
    builder: (0,core_inputs/* choice */.Yq)(['auto', 'docker', 'buildah', 'podman'], 'auto'),
    context: (0,core_inputs/* text */.Qq)('.'),
    file: (0,core_inputs/* optionalText */.mR)(),
    images: lines(),
    tags: lines(),
    flavor: lines(),
    labels: lines(),
    'build-args': lines(),
    secrets: lines(),
    target: (0,core_inputs/* optionalText */.mR)(),
    platforms: (0,core_inputs/* list */.p_)(),
    push: (0,core_inputs/* bool */.lc)(false),
    registry: (0,core_inputs/* optionalText */.mR)(),
    username: (0,core_inputs/* optionalText */.mR)(),
    password: (0,core_inputs/* optionalText */.mR)(),
    'tls-verify': (0,core_inputs/* bool */.lc)(true),
    'cache-from': lines(),
    'cache-to': lines(),
    network: (0,core_inputs/* pattern */.T1)(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a network mode such as host, none or default'),
    'pr-head-sha': (0,core_inputs/* bool */.lc)(false),
    'short-sha-length': (0,core_inputs/* text */.Qq)('7'),
    'sep-tags': (0,core_inputs/* content */.Qs)(),
    'sep-labels': (0,core_inputs/* content */.Qs)(),
    'bake-target': (0,core_inputs/* text */.Qq)('docker-metadata-action'),
};
const imageSchema = schemas/* object */.Ikc(imageInputs);

// EXTERNAL MODULE: ./src/core/file-sinks.ts
var file_sinks = __webpack_require__(19152);
;// CONCATENATED MODULE: ./src/image/metadata-outputs.ts


/** metadata-action's `json` output. */
function metadataJson(view) {
    return JSON.stringify({ tags: view.tags, 'tag-names': view.tagNames, labels: view.labels, annotations: [] });
}
/** A buildx bake definition `{target: {<name>: {...}}}` as metadata-action writes it. */
function bakeDefinition(view, target, kind) {
    const args = { DOCKER_META_IMAGES: view.images.join(','), DOCKER_META_VERSION: view.version };
    const body = kind === 'tags'
        ? { tags: view.tags, args }
        : kind === 'labels'
            ? { labels: view.labels }
            : { tags: view.tags, labels: view.labels, args };
    return { target: { [target]: body } };
}
/** Writes the three bake files into `dir` (redacted, like every file the kit writes) and returns their paths by output name. */
function writeBakeFiles(view, target, dir, logger) {
    const files = {};
    for (const [output, kind, suffix] of [
        ['bake-file', 'all', ''],
        ['bake-file-tags', 'tags', '-tags'],
        ['bake-file-labels', 'labels', '-labels'],
    ]) {
        const path = (0,external_node_path_.join)(dir, `docker-metadata-action-bake${suffix}.json`);
        (0,file_sinks/* writeTextFile */.Tl)(logger, path, JSON.stringify(bakeDefinition(view, target, kind), null, 2));
        files[output] = path;
    }
    return files;
}

;// CONCATENATED MODULE: ./src/image/action.ts




function action_setOutputs(metadata, inputs, ctx) {
    ctx.outputs.set('tags', metadata.tags.join(inputs['sep-tags'] || '\n'));
    ctx.outputs.set('labels', Object.entries(metadata.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(inputs['sep-labels'] || '\n'));
    ctx.outputs.set('version', metadata.version);
    ctx.outputs.set('metadata', JSON.stringify(metadata));
    ctx.outputs.set('json', metadataJson(metadata));
    for (const [name, path] of Object.entries(writeBakeFiles(metadata, inputs['bake-target'], ctx.env.tempDir, ctx.logger)))
        ctx.outputs.set(name, path);
    if (metadata.digest)
        ctx.outputs.set('digest', metadata.digest);
    if (metadata.image)
        ctx.outputs.set('image', metadata.image);
}
const imageAction = (0,action/* defineAction */.Q)({
    name: 'image',
    schema: imageSchema,
    secretInputs: ['password', 'secrets'],
    outputs: ['digest', 'image', 'tags', 'labels', 'metadata', 'version', 'json', 'bake-file', 'bake-file-tags', 'bake-file-labels'],
    async run(inputs, ctx) {
        const report = {};
        try {
            await buildImage(inputs, ctx, report);
        }
        finally {
            const last = report.metadata;
            if (last) {
                action_setOutputs(last, inputs, ctx);
                ctx.summary.heading(`deploy-kit image: ${last.version}`);
                ctx.summary.table(['builder', 'image', 'tags'], [[last.builder ?? '—', last.image ?? (inputs.push ? 'not pushed (failed)' : 'built, not pushed'), last.tags.join('\n')]]);
            }
        }
    },
    post: imagePost,
});

// EXTERNAL MODULE: ./src/db/migrate/tool-table.ts
var tool_table = __webpack_require__(17341);
// EXTERNAL MODULE: ./src/db/url.ts
var db_url = __webpack_require__(50879);
;// CONCATENATED MODULE: ./src/migrate/action.ts











const migrate_action_schema = schemas/* object */.Ikc({
    tool: (0,core_inputs/* choice */.Yq)(tool_table/* TOOLS */.It, 'sql'),
    'database-url': (0,core_inputs/* optionalText */.mR)(),
    dir: (0,core_inputs/* text */.Qq)('migrations'),
    plan: (0,core_inputs/* bool */.lc)(false),
    down: (0,core_inputs/* integer */.nd)(0, 0, 100_000),
    command: (0,core_inputs/* optionalText */.mR)(),
    'working-directory': (0,core_inputs/* text */.Qq)('.'),
    where: (0,core_inputs/* choice */.Yq)(['runner', 'ssh'], 'runner'),
    'lock-timeout': (0,core_inputs/* duration */.p0)('5m'),
    release: (0,core_inputs/* pattern */.T1)(RELEASE_ID, RELEASE_ID_TEXT),
    ...ssh_inputs/* sshConnectionInputs */.M$,
    'source-host': (0,core_inputs/* optionalText */.mR)(),
});
const list = (items) => items.join(',');
/** Cross-input checks, all before anything is connected or run. */
function check(inputs) {
    const { tool, where } = inputs;
    if (inputs.down > 0 && tool !== 'sql')
        throw new core_errors/* ConfigurationError */.j1(`input "down": only the built-in runner (tool: sql) rolls back; for ${tool}, use tool: command with the tool's own rollback command`);
    if (tool === 'command' && !inputs.command)
        throw new core_errors/* ConfigurationError */.j1('input "command": expected the command to run (tool: command)');
    if (tool !== 'command' && inputs.command)
        throw new core_errors/* ConfigurationError */.j1(`input "command": only used with tool: command (tool is ${tool})`);
    if (tool === 'command' && inputs.plan)
        throw new core_errors/* ConfigurationError */.j1('input "plan": tool: command has no plan mode');
    if (tool === 'sql' && where === 'ssh')
        throw new core_errors/* ConfigurationError */.j1('input "where": ssh runs the app\'s own tool on the host; the built-in runner (tool: sql) runs here, with a database-url reachable from this runner');
    if (where === 'ssh' && inputs['source-host'])
        throw new core_errors/* ConfigurationError */.j1('input "source-host": where: ssh already runs the tool on the host (hosts); source-host tunnels to the database for a tool run on this runner');
    if (where === 'runner' && inputs.release)
        throw new core_errors/* ConfigurationError */.j1('input "release": only used with where: ssh');
    if (inputs['database-url'] && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(inputs['database-url']))
        throw new core_errors/* ConfigurationError */.j1('input "database-url": expected a URL such as postgres://user:password@host/db');
    if (tool === 'sql' && !inputs['database-url'])
        throw (0,missing_secret/* missingSecret */.bk)('database-url', 'tool: sql connects with it (postgres://, mysql://, mariadb://, sqlite:///path)');
}
function writeSqlSummary(report, label, plan, ctx) {
    ctx.summary.heading(`deploy-kit migrate: ${label}${plan ? ' (plan)' : ''}`);
    const rows = [
        ...report.applied.map((id) => [id, 'applied']),
        ...report.rolledBack.map((id) => [id, 'rolled back']),
        ...(report.failed ? [[report.failed, 'failed, not recorded']] : []),
        ...(plan ? report.plan.map((line) => [line.replace(/^(up|down) /, ''), `would run ${line.split(' ')[0]}`]) : []),
        ...(plan ? [] : report.pending.filter((id) => id !== report.failed && !report.rolledBack.includes(id)).map((id) => [id, 'pending'])),
    ];
    if (rows.length === 0)
        ctx.summary.line('Nothing to do: every migration is applied.');
    ctx.summary.table(['migration', 'status'], rows);
}
async function runSql(inputs, cwd, ctx) {
    const url = (0,db_url/* parseDatabaseUrl */.mx)(inputs['database-url'], cwd);
    // The database drivers and the SSH forward load once the inputs are checked, not at start-up.
    const [{ throughSource }, { migrateSql }] = await Promise.all([__webpack_require__.e(/* import() */ 551).then(__webpack_require__.bind(__webpack_require__, 7551)), Promise.all(/* import() */[__webpack_require__.e(528), __webpack_require__.e(710)]).then(__webpack_require__.bind(__webpack_require__, 34710))]);
    const report = { planned: false, applied: [], rolledBack: [], pending: [], plan: [] };
    try {
        await throughSource(inputs, url, ctx, (reached) => migrateSql({ url: reached, dir: (0,external_node_path_.resolve)(cwd, inputs.dir), plan: inputs.plan, down: inputs.down, lockTimeoutMs: inputs['lock-timeout'] }, ctx, report));
        const done = inputs.plan
            ? report.plan
            : [...report.applied.map((id) => `applied ${id}`), ...report.rolledBack.map((id) => `rolled back ${id}`)];
        ctx.logger.info(done.length > 0 ? done.join('\n') : 'nothing to do: every migration is applied');
    }
    finally {
        // Set once the run ends, failed or not: up to the failed file.
        if (report.planned) {
            ctx.outputs.set('applied', list(report.applied));
            ctx.outputs.set('rolled-back', list(report.rolledBack));
            ctx.outputs.set('pending', list(report.pending));
            ctx.outputs.set('plan', report.plan.join('\n') || 'nothing to do');
            writeSqlSummary(report, url.display, inputs.plan, ctx);
        }
    }
}
async function runPreset(inputs, tool, cwd, ctx) {
    const invocation = (0,tool_table/* presetInvocation */.q_)(tool, inputs.plan, inputs.command);
    if (!invocation)
        throw new core_errors/* ConfigurationError */.j1(`input "plan": ${tool} has no plan mode`);
    const databaseUrl = inputs['database-url'];
    const connection = inputs.where === 'ssh' ? (0,ssh_inputs/* connectionConfig */.tv)(inputs) : undefined;
    if (connection && inputs.release && !isSafeReleaseId(inputs.release))
        throw new core_errors/* ConfigurationError */.j1(`input "release": expected ${RELEASE_ID_TEXT}`);
    const { runPresetOnRunner, runPresetOverSsh } = await __webpack_require__.e(/* import() */ 271).then(__webpack_require__.bind(__webpack_require__, 49271));
    let result;
    try {
        result = connection
            ? await runPresetOverSsh(tool, invocation, { connection, release: inputs.release, lock: (0,lock/* lockConfig */.kV)(inputs) }, databaseUrl, ctx)
            : await throughSourceIfUrl(inputs, cwd, ctx, (reached) => runPresetOnRunner(tool, invocation, cwd, reached, ctx));
    }
    finally {
        // Set once the tool ends, failed or not. The tool reports no pending list, and after a failure
        // nothing is known to be applied or planned.
        ctx.outputs.set('pending', '');
        if (inputs.plan)
            ctx.outputs.set('plan', result?.output ?? '');
        else
            ctx.outputs.set('applied', list(result?.applied ?? []));
        ctx.summary.heading(`deploy-kit migrate: ${tool}${inputs.plan ? ' (plan)' : ''}${inputs.where === 'ssh' ? ` on ${inputs.release ? `release ${inputs.release}` : 'current'}` : ''}`);
        ctx.summary.line(`\`${invocation.remote}\``);
        if (!result)
            ctx.summary.line("Failed: the tool's last output lines are in the step log.");
        else if (inputs.plan)
            ctx.summary.line(`\`\`\`\n${result.output}\n\`\`\``);
        else
            ctx.summary.table(['migration', 'status'], result.applied.map((id) => [id, 'applied']));
    }
}
/** The app's tool on the runner gets DATABASE_URL pointed at the forward when source-host is set. */
async function throughSourceIfUrl(inputs, cwd, ctx, fn) {
    const raw = inputs['database-url'];
    if (!raw || !inputs['source-host'])
        return fn(raw);
    const { throughSource } = await __webpack_require__.e(/* import() */ 551).then(__webpack_require__.bind(__webpack_require__, 7551));
    return throughSource(inputs, (0,db_url/* parseDatabaseUrl */.mx)(raw, cwd), ctx, (url) => fn(url.raw));
}
const migrateAction = (0,action/* defineAction */.Q)({
    name: 'migrate',
    schema: migrate_action_schema,
    secretInputs: ['database-url', ...ssh_inputs/* SSH_SECRET_INPUTS */.uV],
    outputs: ['applied', 'rolled-back', 'pending', 'plan'],
    async run(inputs, ctx) {
        if (inputs['database-url'])
            (0,db_url/* maskDatabaseUrl */.jf)(ctx.logger, inputs['database-url']);
        check(inputs);
        const cwd = (0,external_node_path_.resolve)(ctx.env.workspace, inputs['working-directory']);
        if (inputs.where === 'runner')
            (0,core_inputs/* requireDirectory */.T)('working-directory', cwd);
        if (inputs.tool === 'sql')
            await runSql(inputs, cwd, ctx);
        else
            await runPreset(inputs, inputs.tool, cwd, ctx);
    },
    // where: ssh holds the deploy lock: a killed main step leaves it to the post step to release
    // (releasePost also closes the target's connections); the source connection closes first.
    post: async (ctx) => {
        const [{ sourcePost }, { releasePost }] = await Promise.all([__webpack_require__.e(/* import() */ 608).then(__webpack_require__.bind(__webpack_require__, 92608)), Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 41495))]);
        await sourcePost(ctx);
        await releasePost(ctx);
    },
});

// EXTERNAL MODULE: ./src/pipeline/action.ts
var pipeline_action = __webpack_require__(37170);
;// CONCATENATED MODULE: ./src/sentry/config.ts


/**
 * Sentry releases through the REST API (https://sentry.io/api/0, or a self-hosted `sentry-url`):
 * create the release with its commits, finalize it, record a deploy per environment.
 */
const SLUG = /^[a-z0-9][a-z0-9_-]{0,49}$/;
/** Sentry's own rule for release versions: no slashes, backslashes or whitespace, not `.`, `..` or `latest`, at most 200 characters. */
const VERSION = /^(?!\.{1,2}$)(?!latest$)[^\s/\\]{1,200}$/;
const sentryInputs = {
    'sentry-org': (0,core_inputs/* pattern */.T1)(SLUG, 'the Sentry organization slug'),
    'sentry-project': (0,core_inputs/* pattern */.T1)(SLUG, 'the Sentry project slug'),
    'sentry-token': (0,core_inputs/* requiredSecret */.c7)('sentry-token', 'Sentry needs an auth token with project:releases (and org:read)'),
    'sentry-url': (0,core_inputs/* httpUrl */.q3)(),
    'sentry-environment': (0,core_inputs/* text */.Qq)('production'),
    step: (0,core_inputs/* choice */.Yq)(['release', 'deploy', 'all'], 'all'),
    version: (0,core_inputs/* pattern */.T1)(VERSION, 'a Sentry release version (no slashes or whitespace, not "latest", at most 200 characters)'),
    'project-prefix': (0,core_inputs/* bool */.lc)(false),
    repository: (0,core_inputs/* pattern */.T1)(/^[\w.-]+\/[\w.-]+$/, 'the repository as Sentry knows it, owner/name'),
    commit: (0,core_inputs/* pattern */.T1)(/^[0-9a-f]{7,40}$/, 'a git commit sha'),
    'previous-commit': (0,core_inputs/* pattern */.T1)(/^[0-9a-f]{7,40}$/, 'a git commit sha'),
    sourcemaps: (0,core_inputs/* optionalText */.mR)(),
    'url-prefix': (0,core_inputs/* text */.Qq)('~/'),
    'sentry-cli': (0,core_inputs/* optionalText */.mR)(),
};
function sentryConfig(inputs, ctx) {
    const org = inputs['sentry-org'];
    const project = inputs['sentry-project'];
    if (!org)
        throw new core_errors/* ConfigurationError */.j1('input "sentry-org": expected the organization slug (sentry.io/organizations/<slug>/)');
    if (!project)
        throw new core_errors/* ConfigurationError */.j1('input "sentry-project": expected the project slug the release belongs to');
    const commit = inputs.commit ?? ctx.env.sha;
    const version = inputs.version ?? commit.slice(0, 7);
    const baseUrl = (inputs['sentry-url'] ?? 'https://sentry.io').replace(/\/+$/, '');
    return {
        baseUrl,
        apiUrl: `${baseUrl}/api/0`,
        token: inputs['sentry-token'],
        org,
        project,
        environment: inputs['sentry-environment'],
        version: inputs['project-prefix'] ? `${project}@${version}` : version,
        repository: inputs.repository ?? ctx.env.repository,
        commit,
        previousCommit: inputs['previous-commit'],
    };
}

;// CONCATENATED MODULE: ./src/sentry/releases.ts





const releaseSchema = schemas/* object */.Ikc({ version: schemas/* string */.YjP(), dateReleased: schemas/* string */.YjP().nullish(), commitCount: schemas/* number */.aig().optional() });
const deploySchema = schemas/* object */.Ikc({ id: schemas/* string */.YjP(), environment: schemas/* string */.YjP() });
/** The release calls the kit makes itself (the source-map upload is sentry-cli's). */
class SentryReleases {
    config;
    ctx;
    constructor(config, ctx) {
        this.config = config;
        this.ctx = ctx;
    }
    get releasePath() {
        return `/organizations/${this.config.org}/releases/${encodeURIComponent(this.config.version)}/`;
    }
    async call(method, path, body) {
        try {
            return await (0,json_api/* jsonApi */.Z)(this.ctx, this.config.apiUrl, this.config.token).send(method, path, { body });
        }
        catch (error) {
            if (error instanceof http/* HttpError */.j$ && error.status === 404 && path.startsWith(this.releasePath))
                throw error;
            throw describeVendorError(error, {
                vendor: 'Sentry',
                apiUrl: this.config.apiUrl,
                tokenInput: 'sentry-token',
                notFound: { pathEnd: `/organizations/${this.config.org}/releases`, input: 'sentry-org', what: `organization ${this.config.org}` },
            });
        }
    }
    refs() {
        const { repository, commit, previousCommit } = this.config;
        return [{ repository, commit, ...(previousCommit ? { previousCommit } : {}) }];
    }
    /**
     * Creates the release for the project with its commits (201), or finds it (208) and sets the
     * commits on it. A repository Sentry has no integration for is a warning: the release is made without commits.
     */
    async create() {
        const body = { version: this.config.version, projects: [this.config.project] };
        try {
            const response = await this.call('POST', `/organizations/${this.config.org}/releases/`, { ...body, refs: this.refs() });
            parseVendor(releaseSchema, response.json(), 'Sentry create release');
            if (response.status === 208)
                await this.call('PUT', this.releasePath, { refs: this.refs() });
            return { created: response.status !== 208, commits: true };
        }
        catch (error) {
            if (!(error instanceof core_errors/* OperationalError */.LE) || !/returned 400: .*repositor/i.test(error.message))
                throw error;
            this.ctx.logger.warning(`Sentry could not associate commits (${error.message.replace(/^.*returned 400: /, '')}); connect ${this.config.repository} in Sentry (Settings → Integrations) to get suspect commits`);
            const response = await this.call('POST', `/organizations/${this.config.org}/releases/`, body);
            return { created: response.status !== 208, commits: false };
        }
    }
    async finalize(at) {
        parseVendor(releaseSchema, (await this.call('PUT', this.releasePath, { dateReleased: at.toISOString() })).json(), 'Sentry finalize release');
    }
    /** Records a deploy of the release to the environment; a release Sentry does not have is an error naming the version. */
    async deploy(started, finished, url) {
        const body = {
            environment: this.config.environment,
            name: `deploy-kit ${this.config.version}`,
            url,
            projects: [this.config.project],
            dateStarted: started.toISOString(),
            dateFinished: finished.toISOString(),
        };
        try {
            const response = await this.call('POST', `${this.releasePath}deploys/`, body);
            return parseVendor(deploySchema, response.json(), 'Sentry create deploy').id;
        }
        catch (error) {
            if (error instanceof http/* HttpError */.j$ && error.status === 404) {
                throw new core_errors/* OperationalError */.LE(`Sentry has no release ${this.config.version} in ${this.config.org} (404: ${bodyMessage(error.body)})`, 'run the sentry action with `step: release` (or `all`) for this version first, or pass the `version` that was released');
            }
            throw error;
        }
    }
    get releaseUrl() {
        return `${this.config.baseUrl}/organizations/${this.config.org}/releases/${encodeURIComponent(this.config.version)}/`;
    }
}

;// CONCATENATED MODULE: ./src/sentry/sourcemaps.ts




/** The sentry-cli argv that uploads a built frontend's source maps for the release (release-based artifacts, served under `urlPrefix`). */
function sourcemapsUploadArgv(cli, config, dir, urlPrefix) {
    return [
        cli,
        'sourcemaps',
        'upload',
        '--org',
        config.org,
        '--project',
        config.project,
        '--release',
        config.version,
        '--url-prefix',
        urlPrefix,
        dir,
    ];
}
/** The environment sentry-cli reads: the token never goes on the command line (it would show in process listings). */
function sentryCliEnv(config) {
    return { SENTRY_AUTH_TOKEN: config.token, SENTRY_URL: config.baseUrl, SENTRY_LOG_LEVEL: 'warn' };
}
const isFile = (path) => (0,external_node_fs_.existsSync)(path) && (0,external_node_fs_.statSync)(path).isFile();
/** The sentry-cli to run: the `sentry-cli` input, else the project's node_modules/.bin (the @sentry/cli package), else PATH. */
function sentryCliCandidate(explicit, workspace) {
    if (explicit)
        return explicit;
    const local = (0,external_node_path_.join)(workspace, 'node_modules', '.bin', 'sentry-cli');
    return isFile(local) ? local : 'sentry-cli';
}
/** Uploads when a sentry-cli exists; without one the step fails naming the input and how to install it. */
async function uploadSourcemaps(config, dir, urlPrefix, cli, ctx) {
    if (!(0,external_node_fs_.existsSync)(dir) || !(0,external_node_fs_.statSync)(dir).isDirectory())
        throw new core_errors/* ConfigurationError */.j1(`input "sourcemaps": ${dir} is not a directory (the frontend build output)`);
    await ctx.exec.run([cli, '--version']).catch((error) => {
        if (!(error instanceof core_errors/* ToolNotFoundError */.Mm))
            throw error;
        throw new core_errors/* ConfigurationError */.j1(`input "sourcemaps": ${cli} was not found; add @sentry/cli to the project (npm install --save-dev @sentry/cli) or give its path in input "sentry-cli"`);
    });
    await (0,exec/* runChecked */.X4)(ctx.exec, 'sentry-cli sourcemaps upload', sourcemapsUploadArgv(cli, config, dir, urlPrefix), {
        env: sentryCliEnv(config),
    });
    ctx.logger.info(`uploaded the source maps in ${dir} to release ${config.version}`);
}

;// CONCATENATED MODULE: ./src/sentry/action.ts







const sentry_action_schema = schemas/* object */.Ikc(sentryInputs);
/**
 * sentry: `step: release` creates the release with its commits, uploads source maps (optional) and
 * finalizes it; `step: deploy` records a deploy of an existing release (after a rollout, or of the
 * release a rollback returned to); `all` does both, after a successful rollout.
 */
const sentryAction = (0,action/* defineAction */.Q)({
    name: 'sentry',
    schema: sentry_action_schema,
    secretInputs: ['sentry-token'],
    outputs: ['version', 'url', 'deploy-id'],
    async run(inputs, ctx) {
        const config = sentryConfig(inputs, ctx);
        (0,core_logger/* maskSecret */.$l)(ctx.logger, config.token);
        const sourcemaps = inputs.sourcemaps ? (0,external_node_path_.resolve)(ctx.env.workspace, inputs.sourcemaps) : undefined;
        ctx.outputs.set('version', config.version);
        const releases = new SentryReleases(config, ctx);
        ctx.outputs.set('url', releases.releaseUrl);
        const rows = [];
        const started = new Date(ctx.clock.now());
        try {
            if (inputs.step !== 'deploy') {
                const made = await releases.create();
                rows.push([
                    'release',
                    `${made.created ? 'created' : 'existed'}${made.commits ? `, commits up to ${config.commit.slice(0, 7)}` : ', without commits'}`,
                ]);
                if (sourcemaps) {
                    await uploadSourcemaps(config, sourcemaps, inputs['url-prefix'], sentryCliCandidate(inputs['sentry-cli'], ctx.env.workspace), ctx);
                    rows.push(['source maps', sourcemaps]);
                }
                await releases.finalize(new Date(ctx.clock.now()));
                rows.push(['finalized', 'yes']);
            }
            if (inputs.step !== 'release') {
                const id = await releases.deploy(started, new Date(ctx.clock.now()), ctx.env.runUrl);
                ctx.outputs.set('deploy-id', id);
                rows.push(['deploy', `${id} to ${config.environment}`]);
            }
        }
        finally {
            ctx.summary.heading(`deploy-kit sentry: ${config.version}`);
            ctx.summary.table(['step', 'result'], rows.length > 0 ? rows : [['—', 'nothing done']]);
        }
    },
});

// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(77030);
;// CONCATENATED MODULE: ./src/release/rollback-config.ts





/**
 * Everything a rollback over SSH needs to start the older release the way it was deployed: the
 * connection, the lock, the switch strategy (restart or blue/green) and compose mode. The rollback
 * action and smoke's `on-failure: rollback` both take these inputs and build the config here.
 */
const rollbackInputs = {
    ...ssh_inputs/* sshConnectionInputs */.M$,
    ...composeInputs,
    'restart-command': (0,core_inputs/* optionalText */.mR)(),
    ...switchInputs,
};
/** The one rollback config; every check in it runs before any connection. */
function rollbackConfig(inputs, to, health) {
    return applyComposeMode({
        ...(0,ssh_inputs/* connectionConfig */.tv)(inputs),
        to,
        restartCommand: inputs['restart-command'],
        switch: switchConfig(inputs),
        health,
        lock: (0,lock/* lockConfig */.kV)(inputs),
    }, inputs);
}

;// CONCATENATED MODULE: ./src/smoke/expect.ts
/**
 * What a smoke check expects of a response, parsed once from the user's text and evaluated per
 * attempt. Every evaluator returns undefined when satisfied or a reason a person can act on.
 */
const STATUS_PART = /^(?:([1-5])xx|([1-5]\d\d)(?:\s*-\s*([1-5]\d\d))?)$/i;
/** Parses `200`, `200,204`, `2xx`, `200-299` (or a YAML list of those); undefined for anything else. */
function parseStatusSpec(value) {
    const parts = Array.isArray(value) ? value.map(String) : String(value).split(/[,\s]+/);
    const ranges = [];
    for (const raw of parts) {
        const part = raw.trim();
        if (part === '')
            continue;
        const match = STATUS_PART.exec(part);
        if (!match)
            return undefined;
        if (match[1])
            ranges.push([Number(match[1]) * 100, Number(match[1]) * 100 + 99]);
        else {
            const low = Number(match[2]);
            const high = match[3] ? Number(match[3]) : low;
            if (high < low)
                return undefined;
            ranges.push([low, high]);
        }
    }
    return ranges.length > 0 ? ranges : undefined;
}
const DEFAULT_STATUS = [[200, 299]];
function statusMatches(status, ranges) {
    return ranges.some(([low, high]) => status >= low && status <= high);
}
function describeStatus(ranges) {
    return ranges
        .map(([low, high]) => (low === high ? String(low) : low % 100 === 0 && high === low + 99 ? `${low / 100}xx` : `${low}-${high}`))
        .join(', ');
}
function parseTextMatcher(value) {
    const regex = /^\/(.+)\/([dgimsuy]*)$/s.exec(value);
    if (regex) {
        let re;
        try {
            re = new RegExp(regex[1], regex[2].replace('g', ''));
        }
        catch {
            return undefined;
        }
        return { source: value, test: (text) => re.test(text) };
    }
    return { source: JSON.stringify(value), test: (text) => text.includes(value) };
}
function parseJsonExpectation(text) {
    const match = /^\s*(\$[^=]*?)\s*(?:=\s*(.*?))?\s*$/s.exec(text);
    if (!match)
        return undefined;
    const path = parseJsonPath(match[1]);
    if (!path)
        return undefined;
    if (match[2] === undefined)
        return { source: text.trim(), path };
    return { source: text.trim(), path, value: parseScalar(match[2]) };
}
function parseJsonPath(text) {
    const path = [];
    const re = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[(["'])(.*?)\3\]/gy;
    re.lastIndex = 1;
    if (text[0] !== '$')
        return undefined;
    while (re.lastIndex < text.length) {
        const m = re.exec(text);
        if (!m)
            return undefined;
        if (m[1] !== undefined)
            path.push(m[1]);
        else if (m[2] !== undefined)
            path.push(Number(m[2]));
        else
            path.push(m[4]);
    }
    return path;
}
/** `5`, `true`, `null`, `"quoted"` are JSON; anything else is a plain string. */
function parseScalar(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return text;
    }
}
function evaluateJson(body, expectation) {
    let data;
    try {
        data = JSON.parse(body);
    }
    catch {
        return `the body is not JSON (for ${expectation.source}): ${body.slice(0, 120)}`;
    }
    let node = data;
    for (const key of expectation.path) {
        if (node === null || typeof node !== 'object' || !(key in node))
            return `${expectation.source}: the path does not exist`;
        node = node[key];
    }
    if (!('value' in expectation))
        return undefined;
    const same = JSON.stringify(node) === JSON.stringify(expectation.value) || (typeof node !== 'object' && String(node) === String(expectation.value));
    return same ? undefined : `${expectation.source}: got ${JSON.stringify(node)}`;
}
function parseHeaderExpectation(text) {
    const match = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*(?::\s*(.*?))?\s*$/s.exec(text);
    if (!match)
        return undefined;
    const name = match[1].toLowerCase();
    const raw = match[2];
    if (raw === undefined || raw === '')
        return { source: text.trim(), name };
    const regex = raw.startsWith('/') ? parseTextMatcher(raw) : undefined;
    const value = regex ?? { source: JSON.stringify(raw), test: (v) => v.toLowerCase().includes(raw.toLowerCase()) };
    return { source: text.trim(), name, value };
}
function evaluateHeader(headers, expectation) {
    const actual = headers[expectation.name];
    if (actual === undefined)
        return `header ${expectation.name} is missing`;
    if (expectation.value && !expectation.value.test(actual))
        return `header ${expectation.name} is ${JSON.stringify(actual)}, expected ${expectation.value.source}`;
    return undefined;
}

;// CONCATENATED MODULE: ./src/smoke/checks.ts




const oneOrMany = schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* array */.YOg(schemas/* string */.YjP())]).transform((v) => (Array.isArray(v) ? v : [v]));
const checkEntry = schemas/* strictObject */.rej({
    name: schemas/* string */.YjP().optional(),
    url: schemas/* string */.YjP(),
    method: schemas/* string */.YjP()
        .regex(/^[A-Za-z]+$/, 'expected an HTTP method such as GET')
        .optional(),
    headers: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* number */.aig()]).transform(String)).optional(),
    body: schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* unknown */.L5J()), schemas/* array */.YOg(schemas/* unknown */.L5J())]).optional(),
    'expect-status': schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* number */.aig(), schemas/* array */.YOg(schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* number */.aig()]))]).optional(),
    'expect-body': oneOrMany.optional(),
    'expect-json': oneOrMany.optional(),
    'expect-header': oneOrMany.optional(),
    'max-latency-ms': schemas/* number */.aig().int().positive().optional(),
});
function parseUrl(value, where) {
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw new core_errors/* ConfigurationError */.j1(`${where}: expected an http:// or https:// URL, got ${JSON.stringify(value)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw new core_errors/* ConfigurationError */.j1(`${where}: expected an http:// or https:// URL, got ${JSON.stringify(value)}`);
    return url;
}
/** The URL as shown in names, logs and the report: without user and password. */
function displayUrl(url) {
    if (!url.username && !url.password)
        return url.href;
    const copy = new URL(url.href);
    copy.username = '';
    copy.password = '';
    return copy.href;
}
function fromEntry(entry, where) {
    const url = parseUrl(entry.url, `${where} url`);
    const method = (entry.method ?? 'GET').toUpperCase();
    let status = DEFAULT_STATUS;
    if (entry['expect-status'] !== undefined) {
        const parsed = parseStatusSpec(entry['expect-status']);
        if (!parsed)
            throw new core_errors/* ConfigurationError */.j1(`${where} expect-status: expected a code (200), a list (200, 204), or a range (2xx, 200-299), got ${JSON.stringify(entry['expect-status'])}`);
        status = parsed;
    }
    const bodyMatchers = (entry['expect-body'] ?? []).map((text) => {
        const matcher = parseTextMatcher(text);
        if (!matcher)
            throw new core_errors/* ConfigurationError */.j1(`${where} expect-body: ${JSON.stringify(text)} is not a valid /regular expression/`);
        return matcher;
    });
    const json = (entry['expect-json'] ?? []).map((text) => {
        const expectation = parseJsonExpectation(text);
        if (!expectation)
            throw new core_errors/* ConfigurationError */.j1(`${where} expect-json: expected "$.path = value" or "$.path", got ${JSON.stringify(text)}`);
        return expectation;
    });
    const expectHeaders = (entry['expect-header'] ?? []).map((text) => {
        const expectation = parseHeaderExpectation(text);
        if (!expectation)
            throw new core_errors/* ConfigurationError */.j1(`${where} expect-header: expected "Name: value" or "Name", got ${JSON.stringify(text)}`);
        return expectation;
    });
    const headers = { ...(entry.headers ?? {}) };
    let body;
    if (typeof entry.body === 'string')
        body = entry.body;
    else if (entry.body !== undefined) {
        body = JSON.stringify(entry.body);
        if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
            headers['content-type'] = 'application/json';
    }
    return {
        name: entry.name ?? `${method} ${displayUrl(url)}`,
        url,
        method,
        headers,
        body,
        status,
        bodyMatchers,
        json,
        expectHeaders,
        maxLatencyMs: entry['max-latency-ms'],
    };
}
/** The `checks` input: a YAML list of check objects (or bare URLs). */
function parseChecks(yamlText) {
    let data;
    try {
        data = (0,dist/* parse */.qg)(yamlText);
    }
    catch (error) {
        throw new core_errors/* ConfigurationError */.j1(`input "checks": not valid YAML: ${error.message}`);
    }
    if (data === null || data === undefined)
        return [];
    if (!Array.isArray(data))
        throw new core_errors/* ConfigurationError */.j1('input "checks": expected a YAML list of checks (- url: https://...)');
    return data.map((item, index) => {
        const where = `input "checks" item ${index + 1}`;
        const entry = checkEntry.safeParse(typeof item === 'string' ? { url: item } : item);
        if (!entry.success) {
            const issue = entry.error.issues[0];
            const field = issue.path.length > 0 ? ` ${issue.path.join('.')}` : '';
            throw new core_errors/* ConfigurationError */.j1(`${where}${field}: ${issue.message}`);
        }
        return fromEntry(entry.data, where);
    });
}
/** The `url` + `expect` shorthand: expect is a status spec, a body text, or both (`200 ok`, `2xx /ready/`). */
function shorthandCheck(url, expect) {
    const [first = ''] = expect.trim().split(/\s+/);
    const status = first === '' ? undefined : parseStatusSpec(first);
    const bodyText = status ? expect.trim().slice(first.length).trim() : expect.trim();
    return fromEntry({ url, 'expect-status': status ? first : undefined, 'expect-body': bodyText ? [bodyText] : undefined }, 'input "url"/"expect":');
}
/** Why a response does not satisfy the check, or undefined when it does. */
function evaluateHttp(check, response) {
    if (!statusMatches(response.status, check.status)) {
        if (response.status >= 300 && response.status < 400) {
            const to = response.headers.location ? ` to ${response.headers.location}` : '';
            return `HTTP ${response.status} redirect${to}; a redirect is not a pass unless expect-status names it (expected ${describeStatus(check.status)})`;
        }
        return `HTTP ${response.status}, expected ${describeStatus(check.status)}${response.body ? `: ${response.body.slice(0, 200).trim()}` : ''}`;
    }
    for (const matcher of check.bodyMatchers)
        if (!matcher.test(response.body))
            return `HTTP ${response.status} but the body lacks ${matcher.source}: ${response.body.slice(0, 200).trim()}`;
    for (const expectation of check.json) {
        const reason = evaluateJson(response.body, expectation);
        if (reason)
            return reason;
    }
    for (const expectation of check.expectHeaders) {
        const reason = evaluateHeader(response.headers, expectation);
        if (reason)
            return reason;
    }
    if (check.maxLatencyMs !== undefined && response.latencyMs > check.maxLatencyMs)
        return `answered in ${response.latencyMs} ms, more than max-latency-ms ${check.maxLatencyMs}`;
    return undefined;
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(37067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(44708);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(41692);
;// CONCATENATED MODULE: ./src/smoke/request.ts




/** The headers every request to `url` carries because of the routing (forwarded proto, Vercel bypass). */
function routingHeaders(url, routing) {
    const headers = {};
    if (routing.forwardedProto)
        headers['x-forwarded-proto'] = routing.forwardedProto;
    const bypass = routing.vercelBypass;
    if (bypass && (bypass.hosts.includes(url.hostname) || url.hostname.endsWith('.vercel.app')))
        headers['x-vercel-protection-bypass'] = bypass.secret;
    return headers;
}
/** The system store plus extra CA certificates (PEM), or undefined when there are none. */
function trustedCas(extra) {
    return extra ? [...external_node_tls_.rootCertificates, extra] : undefined;
}
function endpoint(url, routing) {
    const protocol = url.protocol === 'https:' ? 'https:' : 'http:';
    const port = url.port ? Number(url.port) : protocol === 'https:' ? 443 : 80;
    const host = routing.hostHeader ?? url.host;
    const publicName = (routing.hostHeader ? hostnameOf(routing.hostHeader) : url.hostname).replace(/^\[|\]$/g, '');
    return {
        protocol,
        address: (routing.resolve ?? url.hostname).replace(/^\[|\]$/g, ''),
        port,
        host,
        servername: protocol === 'https:' && (0,external_node_net_.isIP)(publicName) === 0 ? publicName : undefined,
        path: `${url.pathname}${url.search}`,
    };
}
function hostnameOf(hostHeader) {
    return hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.replace(/:\d+$/, '');
}
const MAX_BODY = 1024 * 1024;
function flatten(headers) {
    const out = {};
    for (const [name, value] of Object.entries(headers))
        if (value !== undefined)
            out[name] = Array.isArray(value) ? value.join(', ') : value;
    return out;
}
/** One request, no redirects followed, the body read up to 1 MiB; latency is to the end of the body. */
function send(req, routing) {
    const target = endpoint(req.url, routing);
    const started = performance.now();
    return new Promise((resolve, reject) => {
        const options = {
            host: target.address,
            port: target.port,
            path: target.path,
            method: req.method,
            headers: { ...routingHeaders(req.url, routing), ...req.headers, host: target.host },
            // Credentials in the URL (https://user:pass@host/) are sent as Basic auth, as browsers and curl do.
            auth: req.url.username ? `${decodeURIComponent(req.url.username)}:${decodeURIComponent(req.url.password)}` : undefined,
            servername: target.servername,
            ca: routing.ca,
            agent: false,
            timeout: req.timeoutMs,
        };
        const handle = target.protocol === 'https:' ? (0,external_node_https_.request)(options) : (0,external_node_http_.request)(options);
        const timer = setTimeout(() => handle.destroy(new Error(`no complete answer within ${req.timeoutMs} ms`)), req.timeoutMs);
        handle.on('timeout', () => handle.destroy(new Error(`no answer within ${req.timeoutMs} ms`)));
        handle.on('error', (error) => {
            clearTimeout(timer);
            reject(new Error(describeNetworkError(error, target)));
        });
        handle.on('response', (res) => {
            const chunks = [];
            let size = 0;
            res.on('data', (chunk) => {
                size += chunk.length;
                if (size <= MAX_BODY)
                    chunks.push(chunk);
            });
            res.on('error', (error) => {
                clearTimeout(timer);
                reject(error);
            });
            res.on('end', () => {
                clearTimeout(timer);
                resolve({
                    status: res.statusCode ?? 0,
                    headers: flatten(res.headers),
                    body: Buffer.concat(chunks).toString('utf8'),
                    latencyMs: Math.round(performance.now() - started),
                });
            });
        });
        handle.end(req.body);
    });
}
function describeNetworkError(error, target) {
    const where = `${target.address}:${target.port}`;
    if (error.code === 'ECONNREFUSED')
        return `connection refused by ${where}`;
    if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN')
        return `cannot resolve ${target.address}`;
    if (error.code === 'ECONNRESET')
        return `connection reset by ${where}`;
    return `${where}: ${error.message}`;
}

;// CONCATENATED MODULE: ./src/smoke/tls.ts

/** Connects with the public server name (SNI) and reads the certificate the server presents. */
function inspectCertificate(target, timeoutMs, ca) {
    const name = target.servername ?? target.address;
    return new Promise((resolve, reject) => {
        const socket = (0,external_node_tls_.connect)({
            host: target.address,
            port: target.port,
            servername: target.servername,
            ca,
            rejectUnauthorized: false,
            timeout: timeoutMs,
        });
        socket.once('timeout', () => socket.destroy(new Error(`no TLS handshake within ${timeoutMs} ms`)));
        socket.once('error', (error) => reject(new Error(error.code === 'ECONNREFUSED'
            ? `connection refused by ${target.address}:${target.port}`
            : `TLS to ${target.address}:${target.port}: ${error.message}`)));
        socket.once('secureConnect', () => {
            const cert = socket.getPeerCertificate();
            const facts = {
                subject: String(cert.subject?.CN ?? JSON.stringify(cert.subject)),
                issuer: String(cert.issuer?.CN ?? JSON.stringify(cert.issuer)),
                validTo: new Date(cert.valid_to),
                chainError: socket.authorized ? undefined : String(socket.authorizationError),
                hostError: (0,external_node_tls_.checkServerIdentity)(name, cert)?.message,
            };
            socket.end();
            resolve(facts);
        });
    });
}
const DAY = 86_400_000;
/** Why the certificate is not good enough, or undefined; `now` from the run's clock. */
function evaluateCertificate(facts, minDays, now) {
    if (facts.hostError)
        return `certificate does not cover the host: ${facts.hostError}`;
    const days = Math.floor((facts.validTo.getTime() - now) / DAY);
    if (facts.validTo.getTime() <= now)
        return `certificate expired on ${facts.validTo.toISOString().slice(0, 10)}`;
    if (facts.chainError)
        return `certificate is not trusted: ${facts.chainError}`;
    if (days < minDays)
        return `certificate expires in ${days} days (${facts.validTo.toISOString().slice(0, 10)}), less than tls-min-days ${minDays}`;
    return undefined;
}

;// CONCATENATED MODULE: ./src/smoke/probes.ts



function observe(response, failure, note) {
    return { status: response.status, latencyMs: response.latencyMs, failure, note };
}
function httpProbe(check, routing) {
    return {
        name: check.name,
        kind: 'http',
        url: displayUrl(check.url),
        async attempt(timeoutMs) {
            const response = await send({ url: check.url, method: check.method, headers: check.headers, body: check.body, timeoutMs }, routing);
            return observe(response, evaluateHttp(check, response));
        },
    };
}
function redirectOrStatus(response) {
    if (response.status >= 200 && response.status < 300)
        return undefined;
    if (response.status >= 300 && response.status < 400)
        return `HTTP ${response.status} redirect to ${response.headers.location ?? '(no Location)'}; point the check at the final URL`;
    return `HTTP ${response.status}`;
}
/** The headers the seeds' apps set; HSTS only counts over https (browsers ignore it on http). */
function securityHeaderProblems(url, headers) {
    const problems = [];
    if (url.protocol === 'https:' && !headers['strict-transport-security'])
        problems.push('Strict-Transport-Security missing');
    const csp = headers['content-security-policy'];
    if (!csp)
        problems.push('Content-Security-Policy missing');
    const nosniff = headers['x-content-type-options'];
    if (nosniff?.trim().toLowerCase() !== 'nosniff')
        problems.push(nosniff ? `X-Content-Type-Options is ${JSON.stringify(nosniff)}, expected nosniff` : 'X-Content-Type-Options missing');
    const frameOptions = headers['x-frame-options']?.trim().toUpperCase();
    const frameAncestors = csp ? /(?:^|;)\s*frame-ancestors\s/i.test(csp) : false;
    if (!frameAncestors && frameOptions !== 'DENY' && frameOptions !== 'SAMEORIGIN')
        problems.push('neither CSP frame-ancestors nor X-Frame-Options DENY/SAMEORIGIN');
    if (!headers['referrer-policy'])
        problems.push('Referrer-Policy missing');
    return problems;
}
/** Missing headers fail the check only with `strict`; otherwise they are reported as a warning. A bad status always fails. */
function securityHeadersProbe(url, routing, strict = false) {
    return {
        name: 'security headers',
        kind: 'security-headers',
        url: displayUrl(url),
        async attempt(timeoutMs) {
            const response = await send({ url, method: 'GET', headers: {}, timeoutMs }, routing);
            const status = redirectOrStatus(response);
            const findings = securityHeaderProblems(url, response.headers).join('; ') || undefined;
            if (status || strict)
                return observe(response, status ?? findings);
            return { ...observe(response, undefined), warning: findings };
        },
    };
}
/** Why a preflight answer does not allow the request a browser at `origin` would make. */
function corsProblems(response, options) {
    const h = response.headers;
    if (response.status < 200 || response.status >= 300)
        return [`preflight answered HTTP ${response.status}`];
    const problems = [];
    const allowOrigin = h['access-control-allow-origin'];
    if (!allowOrigin)
        problems.push('no Access-Control-Allow-Origin');
    else if (allowOrigin === '*' && options.credentials)
        problems.push('Access-Control-Allow-Origin is "*", which browsers refuse with credentials');
    else if (allowOrigin !== '*' && allowOrigin !== options.origin)
        problems.push(`Access-Control-Allow-Origin is ${JSON.stringify(allowOrigin)}, not ${options.origin}`);
    const methods = (h['access-control-allow-methods'] ?? '').split(',').map((m) => m.trim().toUpperCase());
    const simple = ['GET', 'HEAD', 'POST'].includes(options.method);
    const methodOk = methods.includes(options.method) || (methods.includes('*') && !options.credentials) || (simple && !h['access-control-allow-methods']);
    if (!methodOk)
        problems.push(`Access-Control-Allow-Methods ${JSON.stringify(h['access-control-allow-methods'] ?? '')} does not include ${options.method}`);
    const allowedHeaders = (h['access-control-allow-headers'] ?? '').split(',').map((m) => m.trim().toLowerCase());
    for (const header of options.requestHeaders) {
        if (!allowedHeaders.includes(header.toLowerCase()) && !(allowedHeaders.includes('*') && !options.credentials))
            problems.push(`Access-Control-Allow-Headers does not include ${header}`);
    }
    if (options.credentials && h['access-control-allow-credentials'] !== 'true')
        problems.push('Access-Control-Allow-Credentials is not "true"');
    return problems;
}
function corsProbe(url, options, routing) {
    return {
        name: `CORS preflight from ${options.origin}`,
        kind: 'cors',
        url: displayUrl(url),
        async attempt(timeoutMs) {
            const headers = { origin: options.origin, 'access-control-request-method': options.method };
            if (options.requestHeaders.length > 0)
                headers['access-control-request-headers'] = options.requestHeaders.join(', ').toLowerCase();
            const response = await send({ url, method: 'OPTIONS', headers, timeoutMs }, routing);
            return observe(response, corsProblems(response, options).join('; ') || undefined);
        },
    };
}
function tlsProbe(url, minDays, routing, clock) {
    return {
        name: `TLS certificate (≥ ${minDays} days)`,
        kind: 'tls',
        url: displayUrl(url),
        async attempt(timeoutMs) {
            const started = clock.now();
            const facts = await inspectCertificate(endpoint(url, routing), timeoutMs, routing.ca);
            const failure = evaluateCertificate(facts, minDays, clock.now());
            return {
                latencyMs: clock.now() - started,
                failure,
                note: `${facts.subject}, valid until ${facts.validTo.toISOString().slice(0, 10)}`,
            };
        },
    };
}
/** The version a response carries: the full sha or its 7+ character prefix, in the body or a header. */
function findsVersion(response, sha) {
    const short = sha.slice(0, 7);
    const texts = [response.body, ...Object.values(response.headers)];
    return texts.some((text) => text.includes(sha) || (short.length === 7 && new RegExp(`(^|[^0-9a-f])${short}`, 'i').test(text)));
}
function versionProbe(url, sha, routing) {
    return {
        name: `version ${sha.slice(0, 12)}`,
        kind: 'version',
        url: displayUrl(url),
        async attempt(timeoutMs) {
            const response = await send({ url, method: 'GET', headers: {}, timeoutMs }, routing);
            const failure = redirectOrStatus(response) ??
                (findsVersion(response, sha)
                    ? undefined
                    : `the response does not contain ${sha.slice(0, 12)}; the old release may still be serving: ${response.body.slice(0, 120).trim()}`);
            return observe(response, failure);
        },
    };
}

;// CONCATENATED MODULE: ./src/smoke/report.ts
function buildReport(results, skipped = []) {
    return { passed: results.every((r) => r.passed), checks: results, skipped };
}
function smoke_report_writeSummary(summary, report) {
    const passed = report.checks.filter((c) => c.passed).length;
    summary.heading(`deploy-kit smoke: ${passed} of ${report.checks.length} checks passed`);
    summary.table(['check', 'result', 'attempts', 'status', 'latency', 'reason'], report.checks.map((c) => [
        c.name,
        c.warning ? 'warning' : c.passed ? 'passed' : 'failed',
        String(c.attempts),
        c.status === undefined ? '—' : String(c.status),
        c.latencyMs === undefined ? '—' : `${c.latencyMs} ms`,
        c.reason,
    ]));
    for (const s of report.skipped)
        summary.line(`Preset \`${s.name}\` ${s.reason}.`);
}

// EXTERNAL MODULE: ./src/release/connect.ts + 5 modules
var release_connect = __webpack_require__(49012);
// EXTERNAL MODULE: ./src/core/cancel.ts
var cancel = __webpack_require__(49317);
// EXTERNAL MODULE: ./src/release/activation.ts
var activation = __webpack_require__(14301);
// EXTERNAL MODULE: ./src/release/switch/index.ts + 6 modules
var release_switch = __webpack_require__(24288);
;// CONCATENATED MODULE: ./src/release/rollback.ts





/**
 * The release to return to: the named one (which must exist), or the one activated before current
 * (history.jsonl order, activation.ts); an upload that never served is never chosen.
 */
function resolveRollbackTarget(layout, to, label) {
    const present = layout.releases.join(', ') || 'none';
    if (to !== 'previous') {
        if (!layout.releases.includes(to))
            throw new core_errors/* OperationalError */.LE(`${label}: release ${to} does not exist; releases present: ${present}`);
        return to;
    }
    const target = (0,activation/* previousActivated */.Nf)(layout.history, layout.current, layout.releases);
    if (!target)
        throw new core_errors/* OperationalError */.LE(`${label}: no release was activated before the current one (${layout.current ?? 'none'}) according to .deploy-kit/history.jsonl; releases present: ${present}`, 'name the release to return to with the input "to"');
    return target;
}
async function rollbackHost(host, config, strategy, entry, ctx) {
    const layout = await host.lockAndInspect(config.lock, `rollback to ${config.to}`);
    const target = resolveRollbackTarget(layout, config.to, host.label);
    entry.from = layout.current;
    entry.to = target;
    let switched = false;
    try {
        (0,cancel/* checkCancelled */.S5)(ctx.signal, `the rollback on ${host.label}`);
        entry.health.push(...(await strategy.activate(host, target, () => (switched = true))));
        if (config.health.url)
            entry.health.push(await host.checkUrl(config.health));
    }
    catch (error) {
        // The release we rolled back to is not healthy either (or the run was cancelled): put back what was there.
        if (switched)
            await strategy.revert(host, layout.current, 'restart after a failed rollback').catch(() => undefined);
        const event = (0,cancel/* isCancelled */.mm)(error, ctx.signal) ? 'cancelled' : 'failed';
        await host.history(event, { release: target, previous: layout.current, reason: (0,core_errors/* errorMessage */.gJ)(error) });
        entry.status = `${event}, put back`;
        throw error;
    }
    await host.finish('rollback', { release: target, previous: layout.current }, [], config.hosts.length <= 1);
    entry.status = 'rolled back';
}
/** Switches every host back under the deploy lock, with restart and health check; fills the report as it goes. */
async function rollback(config, ctx, report) {
    // The strategy first: a switch config it refuses must not leave the connections open.
    const strategy = (0,release_switch/* switchStrategy */.U)(config.switch, { restartCommand: config.restartCommand, health: config.health }, ctx);
    const connections = await (0,release_connect/* connect */.N)(config, ctx);
    try {
        for (const host of connections.hosts) {
            const entry = { host: host.label, status: 'not started', health: [] };
            report.hosts.push(entry);
            await rollbackHost(host, config, strategy, entry, ctx);
            report.release ??= entry.to;
            report.previous ??= entry.from;
        }
    }
    finally {
        for (const host of connections.hosts)
            await host.unlock();
        await connections.close();
    }
}

// EXTERNAL MODULE: ./src/release/swarm/manager.ts
var manager = __webpack_require__(79037);
// EXTERNAL MODULE: ./src/release/swarm/stack-file.ts
var stack_file = __webpack_require__(6129);
;// CONCATENATED MODULE: ./src/smoke/deployed-mode.ts



function deployedModeScript(root) {
    return (0,shell/* withVars */.Jj)({ root, rendered: stack_file/* RENDERED_NAME */.kM }, `
state="$root/.deploy-kit"
if [ -s "$state/active-port" ]; then echo "active-port=$(head -n 1 "$state/active-port")"; fi
[ -d "$root/current/" ] || exit 0
abs=$(cd "$root" && pwd -P)
stack=$(find "$root/current/" -maxdepth 3 -name "$rendered" -type f -print 2>/dev/null | head -n 1)
[ -z "$stack" ] || echo "stack-file=\${stack#"$root/current/"}"
# Compose labels each container with its project's directory: one under the deploy root is a compose release.
for tool in docker podman; do
  command -v "$tool" >/dev/null 2>&1 || continue
  # No daemon, or no access to it: nothing is known about compose, which is not a reason to stop.
  { "$tool" ps --format '{{.Label "com.docker.compose.project.working_dir"}}' 2>/dev/null || true; } | while IFS= read -r dir; do
    case "$dir" in "$abs"/current | "$abs"/current/* | "$abs"/releases/*) echo "compose-dir=$dir" ;; esac
  done
  break
done
exit 0
`);
}
function parseDeployedMode(stdout) {
    const port = /^active-port=(\d+)$/m.exec(stdout)?.[1];
    return {
        activePort: port ? Number(port) : undefined,
        stackFile: /^stack-file=(.+)$/m.exec(stdout)?.[1],
        composeDir: /^compose-dir=(.+)$/m.exec(stdout)?.[1],
    };
}
const NEXT_STEP = 'nothing on the hosts was changed and the failed release is still live: run the rollback action with those inputs now';
/** Why smoke's rollback would not start the older release the way the deploy started this one; undefined when it would. */
function modeMismatch(label, deployed, planned) {
    if (deployed.stackFile !== undefined && planned.mode !== 'swarm')
        return new core_errors/* OperationalError */.LE(`${label}: the current release was deployed with mode: swarm (it holds ${deployed.stackFile}), but smoke's mode is ${planned.mode}; rolling back would move current while the stack keeps running the failed release. Not rolled back.`, `give smoke the deploy's "mode: swarm", "stack" (default the last segment of path) and "compose-file", then smoke rolls the stack back itself; ${NEXT_STEP}`);
    if (deployed.activePort !== undefined && planned.switch?.kind !== 'blue-green')
        return new core_errors/* OperationalError */.LE(`${label}: the current release was deployed with switch: blue-green (.deploy-kit/active-port: nginx sends requests to port ${deployed.activePort}), but smoke's switch is restart; rolling back would move current while nginx keeps routing to the failed instance. Not rolled back.`, `give smoke the deploy's "switch: blue-green", "ports", "start-command" and "nginx-upstream-file" (and stop-command, health-path, nginx-test-command, nginx-reload-command if the deploy set them); ${NEXT_STEP} (if the app no longer runs blue/green, remove .deploy-kit/active-port under path)`);
    if (deployed.composeDir !== undefined && planned.mode === 'release' && !planned.restartCommand)
        return new core_errors/* OperationalError */.LE(`${label}: a compose project runs from the deploy root (${deployed.composeDir}), so the deploy used mode: compose, but smoke's mode is release without a restart-command; rolling back would move current while the failed release's containers keep running. Not rolled back.`, `give smoke the deploy's "mode: compose", "compose-file" and "compose-project"; ${NEXT_STEP}`);
    return undefined;
}
/** Reads every host's deployed mode over the rollback's own connections; throws the first mismatch. */
async function checkDeployedMode(connections, planned) {
    for (const host of connections.hosts) {
        const deployed = parseDeployedMode(await host.script('reading how the current release was deployed', deployedModeScript(host.root)));
        const mismatch = modeMismatch(host.label, deployed, planned);
        if (mismatch)
            throw mismatch;
    }
}

;// CONCATENATED MODULE: ./src/smoke/rollback.ts





/**
 * The config to roll back with, once it is known that it starts the older release the way the
 * deploy started the current one (deployed-mode.ts); read over the same pinned SSH setup, before
 * the lock is taken or anything is changed.
 */
async function checkedConfig(plan, ctx) {
    const config = plan.config.switch?.kind === 'swarm' ? await (0,manager/* pickSwarmManager */.$)(plan.config, ctx) : plan.config;
    const connections = await (0,release_connect/* connect */.N)(config, ctx);
    try {
        await checkDeployedMode(connections, { mode: plan.mode, switch: config.switch, restartCommand: config.restartCommand });
    }
    finally {
        await connections.close();
    }
    return config;
}
/** `on-failure: rollback`: the same path as the rollback action (lock, switch, restart, health, history). */
async function rollbackAfterFailure(plan, ctx) {
    const report = { hosts: [] };
    let config;
    try {
        config = await ctx.logger.group('checking how the current release was deployed', () => checkedConfig(plan, ctx));
    }
    catch (error) {
        const refused = error instanceof core_errors/* OperationalError */.LE ? error : new core_errors/* OperationalError */.LE((0,core_errors/* errorMessage */.gJ)(error));
        return { refused, report };
    }
    try {
        await ctx.logger.group('rollback to the previous release', () => rollback(config, ctx, report));
        return { release: report.release, previous: report.previous, report };
    }
    catch (error) {
        return { release: report.release, previous: report.previous, error: (0,core_errors/* errorMessage */.gJ)(error), report };
    }
}

// EXTERNAL MODULE: ./src/core/retry.ts
var retry = __webpack_require__(27253);
;// CONCATENATED MODULE: ./src/smoke/run.ts

/** Runs one probe until it passes or the deadline passes; never throws. */
async function runProbe(probe, options) {
    const deadlineAt = options.clock.now() + options.deadlineMs;
    let last = {};
    let attempts = 0;
    let lastReason;
    const result = (passed, reason) => ({
        name: probe.name,
        kind: probe.kind,
        url: probe.url,
        passed,
        attempts,
        status: last.status,
        latencyMs: last.latencyMs,
        reason,
    });
    try {
        await (0,retry/* pollUntil */.g)({
            what: probe.name,
            timeoutMs: options.deadlineMs,
            clock: options.clock,
            initialDelayMs: options.initialDelayMs ?? 250,
            maxDelayMs: 5000,
            onAttempt: (n, reason) => {
                lastReason = reason;
                options.logger.debug(`${probe.name}: attempt ${n}: ${reason}`);
            },
        }, async () => {
            attempts += 1;
            last = {};
            // A hanging server must not hold the check long past its deadline.
            const timeoutMs = Math.max(1000, Math.min(options.requestTimeoutMs, deadlineAt - options.clock.now()));
            last = await probe.attempt(timeoutMs);
            return last.failure ? { done: false, reason: last.failure } : { done: true, value: last };
        });
        const passed = last;
        if (passed.warning)
            return { ...result(true, passed.warning), warning: true };
        return result(true, passed.note ?? 'ok');
    }
    catch (error) {
        // onAttempt saw the last reason, whether a failed expectation or a request error.
        return result(false, lastReason ?? (error instanceof Error ? error.message : String(error)));
    }
}
/** All probes at once, each to the same deadline. */
async function runProbes(probes, options) {
    return Promise.all(probes.map((probe) => runProbe(probe, options)));
}

;// CONCATENATED MODULE: ./src/smoke/action.ts















const PRESETS = ['security-headers', 'cors', 'tls', 'version'];
const smoke_action_schema = schemas/* object */.Ikc({
    url: (0,core_inputs/* httpUrl */.q3)(),
    expect: (0,core_inputs/* text */.Qq)(''),
    checks: (0,core_inputs/* content */.Qs)(),
    presets: (0,core_inputs/* list */.p_)(),
    deadline: (0,core_inputs/* duration */.p0)('60s'),
    'request-timeout': (0,core_inputs/* duration */.p0)('10s'),
    'host-header': (0,core_inputs/* pattern */.T1)(/^[A-Za-z0-9.-]+(?::\d{1,5})?$/, 'a host name with an optional :port'),
    resolve: (0,core_inputs/* optionalText */.mR)(),
    'forwarded-proto': (0,core_inputs/* pattern */.T1)(/^https?$/, 'https (or http)'),
    'vercel-bypass-secret': (0,core_inputs/* optionalText */.mR)(),
    'ca-cert': (0,core_inputs/* content */.Qs)(),
    // A trailing slash (a deployment URL output) is dropped: browsers send the origin without one.
    origin: (0,core_inputs/* pattern */.T1)(/^https?:\/\/[^/\s]+\/?$/, 'an origin such as https://app.example.com (scheme and host, no path)'),
    'cors-url': (0,core_inputs/* httpUrl */.q3)(),
    'cors-method': (0,core_inputs/* pattern */.T1)(/^[A-Za-z]+$/, 'an HTTP method such as POST'),
    'cors-headers': (0,core_inputs/* list */.p_)(),
    'cors-credentials': (0,core_inputs/* bool */.lc)(false),
    'tls-min-days': (0,core_inputs/* integer */.nd)(14, 0, 3650),
    'expect-version': (0,core_inputs/* pattern */.T1)(/^[0-9a-fA-F]{7,64}$/, 'a commit sha (7 to 64 hex digits)'),
    'version-url': (0,core_inputs/* httpUrl */.q3)(),
    strict: (0,core_inputs/* bool */.lc)(false),
    'on-failure': (0,core_inputs/* choice */.Yq)(['fail', 'rollback'], 'fail'),
    ...rollbackInputs,
    ...swarm_inputs/* swarmRollbackInputs */.AG,
});
const SENSITIVE_HEADER = /authorization|cookie|token|secret|api-?key|password/i;
/** Credentials written into `checks` (headers, URL passwords) never reach a log. */
function maskCredentials(check, logger) {
    for (const [name, value] of Object.entries(check.headers)) {
        if (!SENSITIVE_HEADER.test(name))
            continue;
        (0,core_logger/* maskSecret */.$l)(logger, value);
        const scheme = /^(?:Bearer|Basic|Token)\s+(.+)$/i.exec(value);
        if (scheme)
            (0,core_logger/* maskSecret */.$l)(logger, scheme[1]);
    }
    if (check.url.password)
        (0,core_logger/* maskBasicAuth */.H8)(logger, decodeURIComponent(check.url.username), decodeURIComponent(check.url.password));
}
/** Every probe the inputs ask for; all input mistakes surface here, before any request. */
function planProbes(inputs, ctx) {
    const presets = inputs.presets.map((name) => {
        if (!PRESETS.includes(name))
            throw new core_errors/* ConfigurationError */.j1(`input "presets": unknown preset ${JSON.stringify(name)}; known: ${PRESETS.join(', ')}`);
        return name;
    });
    if (inputs.resolve !== undefined && (0,external_node_net_.isIP)(inputs.resolve) === 0)
        throw new core_errors/* ConfigurationError */.j1(`input "resolve": expected an IP address to send the requests to, got ${JSON.stringify(inputs.resolve)}`);
    if (inputs['ca-cert'] && !inputs['ca-cert'].includes('-----BEGIN CERTIFICATE-----'))
        throw new core_errors/* ConfigurationError */.j1('input "ca-cert": expected PEM certificates (-----BEGIN CERTIFICATE-----)');
    const routing = {
        resolve: inputs.resolve,
        hostHeader: inputs['host-header'],
        ca: trustedCas(inputs['ca-cert']),
        forwardedProto: inputs['forwarded-proto'],
    };
    const checks = inputs.checks ? parseChecks(inputs.checks) : [];
    for (const check of checks)
        maskCredentials(check, ctx.logger);
    if (inputs.url) {
        checks.unshift(shorthandCheck(inputs.url, inputs.expect));
        maskCredentials(checks[0], ctx.logger);
    }
    else if (inputs.expect)
        throw new core_errors/* ConfigurationError */.j1('input "expect": it applies to "url", which is not set');
    const base = inputs.url ? new URL(inputs.url) : checks[0]?.url;
    if (inputs['vercel-bypass-secret'])
        routing.vercelBypass = { secret: inputs['vercel-bypass-secret'], hosts: base ? [base.hostname] : [] };
    if (checks.length === 0 && presets.length === 0)
        throw new core_errors/* ConfigurationError */.j1('input "url" or "checks": expected at least one check (url: https://app.example.com/health, or a YAML list in checks)');
    const probes = checks.map((check) => httpProbe(check, routing));
    const needBase = (preset) => {
        if (!base)
            throw new core_errors/* ConfigurationError */.j1(`input "presets": ${preset} needs "url" (or a check) to know which site to test`);
        return base;
    };
    for (const preset of new Set(presets)) {
        if (preset === 'security-headers')
            probes.push(securityHeadersProbe(needBase(preset), routing, inputs.strict));
        if (preset === 'cors') {
            if (!inputs.origin)
                throw new core_errors/* ConfigurationError */.j1('input "origin": the cors preset needs the frontend origin that calls the API (https://app.example.com)');
            const url = inputs['cors-url'] ? new URL(inputs['cors-url']) : needBase(preset);
            probes.push(corsProbe(url, {
                origin: inputs.origin.replace(/\/$/, ''),
                method: (inputs['cors-method'] ?? 'GET').toUpperCase(),
                requestHeaders: inputs['cors-headers'],
                credentials: inputs['cors-credentials'],
            }, routing));
        }
        if (preset === 'tls') {
            const url = needBase(preset);
            if (url.protocol !== 'https:')
                throw new core_errors/* ConfigurationError */.j1(`input "presets": tls needs an https:// url, got ${displayUrl(url)}`);
            probes.push(tlsProbe(url, inputs['tls-min-days'], routing, ctx.clock));
        }
        // The version preset needs the app to report its sha somewhere: without version-url it is skipped (skippedPresets).
        if (preset === 'version' && inputs['version-url']) {
            const sha = inputs['expect-version'] ?? ctx.env.sha;
            if (!sha)
                throw new core_errors/* ConfigurationError */.j1('input "expect-version": the version preset needs the deployed commit sha (defaults to the run\'s sha, which is unknown here)');
            probes.push(versionProbe(new URL(inputs['version-url']), sha.toLowerCase(), routing));
        }
    }
    if (probes.length === 0)
        throw new core_errors/* ConfigurationError */.j1('input "url" or "checks": expected at least one check (the version preset runs only with "version-url", the URL that reports the deployed sha)');
    return probes;
}
/** Presets asked for that need something from the app which the inputs do not say: listed in the notice and the summary, not run. */
function skippedPresets(inputs) {
    if (!inputs.presets.includes('version') || inputs['version-url'])
        return [];
    return [
        {
            name: 'version',
            reason: 'skipped: no "version-url" (a URL whose response contains the deployed commit sha, such as /health answering {"version": "<sha>"})',
        },
    ];
}
/** With `on-failure: rollback`, the SSH inputs are checked up front like the rollback action's. */
function rollbackPlan(inputs) {
    if (inputs['on-failure'] !== 'rollback')
        return undefined;
    // Checked after switching back (2xx), with the same Host and X-Forwarded-Proto; not when the checks go through resolve.
    const healthUrl = inputs.resolve ? undefined : inputs.url;
    const routing = { host: inputs['host-header'], forwardedProto: inputs['forwarded-proto'] };
    const config = rollbackConfig((0,swarm_inputs/* withoutSwarm */.vp)(inputs), 'previous', { url: healthUrl, expect: {}, timeoutMs: inputs.deadline, routing });
    return { config: (0,swarm_inputs/* applySwarmMode */.YI)(config, inputs), mode: inputs.mode };
}
const smokeAction = (0,action/* defineAction */.Q)({
    name: 'smoke',
    schema: smoke_action_schema,
    secretInputs: [...ssh_inputs/* SSH_SECRET_INPUTS */.uV, 'vercel-bypass-secret'],
    outputs: ['report', 'passed', 'rolled-back-to'],
    async run(inputs, ctx) {
        const probes = planProbes(inputs, ctx);
        const skipped = skippedPresets(inputs);
        for (const s of skipped)
            (0,core_logger/* annotate */.fz)(ctx.logger, 'notice', `smoke preset ${s.name} ${s.reason}`);
        const onFailure = rollbackPlan(inputs);
        ctx.logger.info(`${probes.length} checks in parallel, each retried for up to ${Math.round(inputs.deadline / 1000)}s`);
        const results = await runProbes(probes, {
            deadlineMs: inputs.deadline,
            requestTimeoutMs: inputs['request-timeout'],
            clock: ctx.clock,
            logger: ctx.logger,
        });
        const report = buildReport(results, skipped);
        ctx.outputs.set('report', JSON.stringify(report));
        ctx.outputs.set('passed', String(report.passed));
        smoke_report_writeSummary(ctx.summary, report);
        for (const r of results) {
            const line = `${r.passed ? 'passed' : 'FAILED'} ${r.name} after ${r.attempts} attempt${r.attempts === 1 ? '' : 's'}: ${r.reason}`;
            if (r.warning)
                ctx.logger.warning(`${r.name}: ${r.reason} (reported only; with strict: true these findings fail the step)`);
            else if (r.passed)
                ctx.logger.info(line);
            else
                ctx.logger.error(line);
        }
        const failed = results.filter((r) => !r.passed);
        if (failed.length === 0)
            return;
        const what = `${failed.length} of ${results.length} checks failed: ${failed.map((r) => `${r.name} (${r.reason})`).join('; ')}`;
        if (!onFailure)
            throw new core_errors/* OperationalError */.LE(what, 'the deploy is live but not healthy; look at the failing checks above, then fix forward or run the rollback action');
        const outcome = await rollbackAfterFailure(onFailure, ctx);
        if (outcome.refused) {
            ctx.summary.line(`Not rolled back: ${outcome.refused.message}`);
            throw new core_errors/* OperationalError */.LE(`${what}\n${outcome.refused.message}`, outcome.refused.hint);
        }
        if (outcome.release && !outcome.error)
            ctx.outputs.set('rolled-back-to', outcome.release);
        ctx.summary.heading('Rollback', 3);
        ctx.summary.table(['host', 'from', 'to', 'status'], outcome.report.hosts.map((h) => [h.host, h.from ?? '—', h.to ?? '—', h.status]));
        if (outcome.error) {
            ctx.summary.line(`Rollback failed: ${outcome.error}`);
            throw new core_errors/* OperationalError */.LE(`${what}\nThe rollback failed too: ${outcome.error}`, 'the site may be down: run the rollback action with an explicit release, or fix forward');
        }
        throw new core_errors/* OperationalError */.LE(`${what}\nRolled back from ${outcome.previous ?? '?'} to ${outcome.release ?? '?'}.`, 'the previous release is serving again; fix the failing checks before deploying again');
    },
    // on-failure: rollback holds the deploy lock: a killed main step leaves it to the post step to release.
    post: async (ctx) => (await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 41495))).releasePost(ctx),
});

;// CONCATENATED MODULE: ./src/deploy.ts








/**
 * The actions a strategy chains (src/pipeline), by name: only those, so the root action's bundle
 * does not load the ones it never runs (rollback, backup, restore; src/registry.ts has every action).
 */
const pipelineStages = {
    gate: gateAction,
    image: imageAction,
    migrate: migrateAction,
    backend: backendAction,
    frontend: frontendAction,
    smoke: smokeAction,
    sentry: sentryAction,
};
/** The root action.yml: a whole strategy in one step. */
const deployAction = (0,pipeline_action/* pipelineAction */.Hl)(pipelineStages);


/***/ }),

/***/ 14301:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bu: () => (/* binding */ pruneCandidates),
/* harmony export */   Nf: () => (/* binding */ previousActivated),
/* harmony export */   UG: () => (/* binding */ activations),
/* harmony export */   hT: () => (/* binding */ parseHistoryLines)
/* harmony export */ });
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


/***/ }),

/***/ 81613:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   O: () => (/* binding */ composeProject)
/* harmony export */ });
// The compose project name of `mode: compose`, in a module of its own (no YAML parser): backup and
// restore find the project of `container: compose:<service>` from the deploy path with it.
/** The project name: the input, or the deploy root's last segment made into a compose name. */
function composeProject(root, project) {
    if (project)
        return project;
    const name = (root.split('/').filter(Boolean).pop() ?? 'app')
        .toLowerCase()
        .replace(/[^a-z0-9_-]+/g, '-')
        .replace(/^[^a-z0-9]+/, '');
    return name || 'app';
}


/***/ }),

/***/ 49012:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  N: () => (/* binding */ connect_connect)
});

// EXTERNAL MODULE: ./src/ssh/connect.ts
var connect = __webpack_require__(81456);
// EXTERNAL MODULE: ./src/ssh/session.ts
var session = __webpack_require__(20302);
// EXTERNAL MODULE: ./src/core/cancel.ts
var cancel = __webpack_require__(49317);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(74296);
// EXTERNAL MODULE: ./src/core/exec.ts
var exec = __webpack_require__(72642);
// EXTERNAL MODULE: ./src/core/file-sinks.ts
var file_sinks = __webpack_require__(19152);
// EXTERNAL MODULE: ./src/core/health.ts
var core_health = __webpack_require__(54365);
// EXTERNAL MODULE: ./src/core/retry.ts
var retry = __webpack_require__(27253);
// EXTERNAL MODULE: ./src/core/url-credentials.ts
var url_credentials = __webpack_require__(25969);
// EXTERNAL MODULE: ./src/core/shell.ts
var shell = __webpack_require__(36673);
// EXTERNAL MODULE: ./src/release/lock.ts
var lock = __webpack_require__(14722);
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
var external_node_crypto_ = __webpack_require__(77598);
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

// EXTERNAL MODULE: ./src/release/layout.ts
var layout = __webpack_require__(60835);
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
        return (0,layout/* parseInspection */.Kn)(await this.script('reading the release layout', (0,layout/* inspectScript */.Y1)(this.root)));
    }
    /** Waits for the deploy lock up to lock-wait (taking over one whose heartbeat is stale); renews it while held. */
    async lock(config, purpose) {
        await this.deployLock.acquire(config, purpose);
    }
    /** The lock and the layout in one round trip (stale partial uploads are removed under the lock). */
    async lockAndInspect(config, purpose) {
        return (0,layout/* parseInspection */.Kn)(await this.deployLock.acquire(config, purpose, layout/* INSPECT_BODY */.Q7));
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
        const output = await this.script(what, (0,layout/* runInScript */.MK)(this.root, dir, command, env));
        if (output.trim())
            this.ctx.logger.info((0,errors/* tail */.RT)(output, 20));
    }
    /** The pre-switch check: a command in the new release, retried to the deadline. */
    async checkCommand(health, release) {
        const command = health.command;
        const result = await (0,retry/* pollUntil */.g)({ what: `health-command on ${this.label}`, timeoutMs: health.timeoutMs, clock: this.ctx.clock, isFatal: isCancelledError }, async () => {
            (0,cancel/* checkCancelled */.S5)(this.ctx.signal, `health-command on ${this.label}`);
            const run = await this.transport.run((0,layout/* runInScript */.MK)(this.root, `releases/${release}`, command, { DEPLOY_KIT_RELEASE: release }));
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
            what: `health check ${(0,url_credentials/* displayUrl */.Q)(url)} (expecting ${(0,core_health/* describeExpectation */.uN)(health.expect)})`,
            timeoutMs: health.timeoutMs,
            clock: this.ctx.clock,
            isFatal: isCancelledError,
        }, () => ((0,cancel/* checkCancelled */.S5)(this.ctx.signal, `the health check on ${this.label}`),
            (0,core_health/* checkHttp */.hv)(url, health.expect, undefined, health.routing)));
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
var post = __webpack_require__(41495);
// EXTERNAL MODULE: ./src/release/upload/local.ts
var local = __webpack_require__(92764);
// EXTERNAL MODULE: ./src/release/upload/ssh.ts
var ssh = __webpack_require__(26141);
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


/***/ }),

/***/ 44304:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  deploy: () => (/* binding */ deploy)
});

// EXTERNAL MODULE: ./src/core/cancel.ts
var cancel = __webpack_require__(49317);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(74296);
// EXTERNAL MODULE: ./src/release/activation.ts
var activation = __webpack_require__(14301);
// EXTERNAL MODULE: ./src/release/connect.ts + 5 modules
var connect = __webpack_require__(49012);
// EXTERNAL MODULE: ./src/core/shell.ts
var shell = __webpack_require__(36673);
// EXTERNAL MODULE: ./src/release/layout.ts
var release_layout = __webpack_require__(60835);
;// CONCATENATED MODULE: ./src/release/shared.ts

/**
 * Links shared dirs (created when absent) and shared files (which must exist) into a release
 * directory (`dir`, under releases/). Every path is resolved physically first (realpath: a link in
 * the release is followed): one whose parent leads outside the release refuses the deploy before
 * anything is changed (exit 5), so `storage -> /elsewhere` never lets `storage/data` touch /elsewhere.
 */
function linkSharedScript(root, dir, dirs, files) {
    return withVars({ root, dir, dirs: dirs.join('\n'), files: files.join('\n') }, LINK_SHARED_BODY);
}
/** Expects $root, $dir, $dirs and $files. */
const LINK_SHARED_BODY = `
abs=$(cd "$root" && pwd -P)
rel=$(cd "$abs/releases/$dir" && pwd -P)
while IFS= read -r p; do
  [ -n "$p" ] || continue
  parent=$(realpath -m -- "$rel/$(dirname "$p")")
  case "$parent/" in
    "$rel/"*) ;;
    *) echo "shared path $p resolves to $parent/$(basename "$p"), outside the release (a symlink in the release leads there): remove the link from the source or choose another shared path; nothing was changed" >&2; exit 5 ;;
  esac
done <<< "$dirs
$files"
while IFS= read -r f; do
  [ -n "$f" ] || continue
  if [ ! -e "$abs/shared/$f" ]; then
    echo "shared file $f is missing: create $abs/shared/$f on the host first" >&2
    exit 3
  fi
done <<< "$files"
while IFS= read -r d; do
  [ -n "$d" ] || continue
  mkdir -p "$abs/shared/$d"
  rm -rf "\${rel:?}/$d"
  mkdir -p "$(dirname "$rel/$d")"
  ln -s "$abs/shared/$d" "$rel/$d"
done <<< "$dirs"
while IFS= read -r f; do
  [ -n "$f" ] || continue
  rm -rf "\${rel:?}/$f"
  mkdir -p "$(dirname "$rel/$f")"
  ln -s "$abs/shared/$f" "$rel/$f"
done <<< "$files"
`;

;// CONCATENATED MODULE: ./src/release/finalize.ts



/**
 * Turns a complete upload into a release in one round trip: refuses an empty one (exit 7), links
 * the shared paths inside the partial directory (shared.ts: exit 5 or 3), then renames it into
 * place, so `releases/<id>` only ever appears complete.
 */
function finalizeScript(root, release, dirs, files) {
    return (0,shell/* withVars */.Jj)({ root, release, dir: (0,release_layout/* partialName */.t4)(release), dirs: dirs.join('\n'), files: files.join('\n') }, `
[ -d "$root/releases/$dir" ] || { echo "the upload of $release did not create releases/$dir" >&2; exit 6; }
if [ -z "$(find "$root/releases/$dir" -mindepth 1 ! -type d -print -quit)" ]; then
  echo "release $release has no files: check the source directory and exclude (a pattern like '*' leaves nothing)" >&2
  exit 7
fi
${LINK_SHARED_BODY}
[ ! -e "$root/releases/$release" ] || { echo "release $release already exists" >&2; exit 8; }
mv -T "$root/releases/$dir" "$root/releases/$release"
`);
}

// EXTERNAL MODULE: ./src/release/switch/index.ts + 6 modules
var release_switch = __webpack_require__(24288);
;// CONCATENATED MODULE: ./src/release/deploy.ts







async function revert(run, config, reason, ctx) {
    const { host, report } = run;
    try {
        await run.strategy.revert(host, report.previous, 'restart after revert');
        run.switched = false;
        report.status = 'reverted';
        await host.history('revert', { release: report.previous, previous: config.releaseId, reason });
        ctx.logger.warning(`${host.label}: reverted to ${report.previous ?? 'no release (this was the first deploy)'}`);
        // Say whether the old release serves again, so the log tells how urgent the failure is. Only the
        // status is checked: the expected body may name the new release's version.
        if (report.previous && config.health.url && !ctx.signal?.aborted) {
            await host.checkUrl({ ...config.health, expect: { status: config.health.expect.status } }).then((result) => ctx.logger.info(`${host.label}: ${report.previous} passes the health check again (${result})`), (error) => ctx.logger.error(`${host.label}: after the revert, ${report.previous} fails the health check too: ${(0,errors/* errorMessage */.gJ)(error)}`));
        }
    }
    catch (error) {
        ctx.logger.error(`${host.label}: revert to ${report.previous} failed: ${(0,errors/* errorMessage */.gJ)(error)}`);
    }
}
/** lock + inspect → upload → finish upload → before-switch → check → switch → restart → check → history + prune + unlock. */
async function deployHost(run, config, ctx) {
    const { host, report } = run;
    const started = ctx.clock.now();
    const release = config.releaseId;
    const step = (what) => (0,cancel/* checkCancelled */.S5)(ctx.signal, `the deploy of ${release} on ${host.label} (${what})`);
    let uploaded = false;
    // Every failure: mark the host failed, undo what was done on it, time it, re-raise.
    const fail = async (error, undo) => {
        const cancelled = (0,cancel/* isCancelled */.mm)(error, ctx.signal);
        report.status = cancelled ? 'cancelled' : 'failed';
        report.error = cancelled ? `cancelled: ${(0,errors/* errorMessage */.gJ)(error)}` : (0,errors/* errorMessage */.gJ)(error);
        await undo();
        // A cancelled run says so in history, after whatever it undid.
        if (cancelled && host.locked)
            await host.history('cancelled', { release, previous: report.previous, reason: report.error });
        report.seconds = (ctx.clock.now() - started) / 1000;
        throw error;
    };
    const discard = async (remove) => {
        if (remove)
            await host.script('removing the failed release', (0,release_layout/* removeReleaseScript */.JA)(config.root, release)).catch(() => undefined);
        if (host.locked && !ctx.signal?.aborted)
            await host.history('failed', { release, previous: report.previous, reason: report.error });
    };
    let layout;
    try {
        step('taking the lock');
        layout = await host.lockAndInspect(config.lock, `deploy ${release}`);
        report.previous = layout.current;
        if (layout.partials.removed.length > 0)
            ctx.logger.info(`${host.label}: removed partial uploads left by a run that died: ${layout.partials.removed.join(', ')}`);
        if (layout.releases.includes(release)) {
            throw new errors/* OperationalError */.LE(`${host.label}: release ${release} already exists`, 'choose another release-id, or use rollback to return to it');
        }
        await ctx.logger.group(`${host.label}: upload ${release}`, async () => {
            step('upload');
            uploaded = true;
            // Into a partial name, renamed into place when complete: a cut upload is never a release.
            const linkDest = layout.current ? `../${layout.current}` : undefined;
            const result = await host.transport.upload(config.source, `${config.root}/releases/${(0,release_layout/* partialName */.t4)(release)}`, {
                linkDest,
                exclude: config.exclude,
                remoteRsync: layout.rsync,
            });
            report.upload = `${result.method}, ${result.bytesSent} bytes sent`;
            ctx.logger.info(`${host.label}: ${report.upload}`);
            step('upload');
            await host.script('finishing the upload', finalizeScript(config.root, release, config.sharedDirs, config.sharedFiles));
        });
        if (config.beforeSwitch) {
            step('before-switch');
            await ctx.logger.group(`${host.label}: before-switch`, () => host.runCommand('before-switch', `releases/${release}`, config.beforeSwitch, release));
        }
        if (config.health.command)
            report.health.push(await host.checkCommand(config.health, release));
        step('switch');
    }
    catch (error) {
        return fail(error, () => discard(uploaded));
    }
    try {
        report.health.push(...(await run.strategy.activate(host, release, () => (run.switched = true))));
        step('health check');
        if (config.health.url)
            report.health.push(await host.checkUrl(config.health));
        step('health check');
    }
    catch (error) {
        return fail(error, () => (run.switched ? revert(run, config, report.error, ctx) : discard(true)));
    }
    report.status = 'deployed';
    // Pruning follows activation order; this release was just switched to, so it is the newest.
    const present = [...layout.releases, release];
    const order = { ...layout.history, order: [...layout.history.order.filter((r) => r !== release), release] };
    const protect = [release, report.previous, (0,activation/* previousActivated */.Nf)(order, release, present)].filter((r) => r !== undefined);
    // With one host the lock goes in the same round trip; with several, every host stays locked
    // until the rollout is over, since a later failure reverts this one.
    const prune = (0,activation/* pruneCandidates */.Bu)(order, present, config.keepReleases, protect);
    await host.finish('deploy', { release, previous: report.previous }, prune, config.hosts.length <= 1);
    report.seconds = (ctx.clock.now() - started) / 1000;
}
function batches(items, size) {
    const out = [];
    for (let i = 0; i < items.length; i += size)
        out.push(items.slice(i, i + size));
    return out;
}
/**
 * Rolls a release out host by host in batches of max-parallel. The first failed batch stops the
 * rollout, and every host already switched goes back to its previous release. `report` gets one
 * entry per host once they are connected, filled in as the rollout goes, also when it fails.
 */
async function deploy(config, ctx, report) {
    // The strategy first: a switch config it refuses must not leave the connections open.
    const strategy = (0,release_switch/* switchStrategy */.U)(config.switch, { restartCommand: config.restartCommand, health: config.health }, ctx);
    const connections = await (0,connect/* connect */.N)(config, ctx);
    const runs = connections.hosts.map((host) => ({
        host,
        switched: false,
        strategy,
        report: { host: host.label, status: 'not started', health: [], seconds: 0 },
    }));
    report.hosts.push(...runs.map((r) => r.report));
    try {
        for (const batch of batches(runs, config.maxParallel)) {
            const results = await Promise.allSettled(batch.map((run) => deployHost(run, config, ctx)));
            report.previous ??= batch.find((r) => r.report.previous)?.report.previous;
            const failure = results.find((r) => r.status === 'rejected');
            if (failure) {
                const switched = runs.filter((r) => r.switched);
                for (const run of switched)
                    await revert(run, config, `another host failed: ${(0,errors/* errorMessage */.gJ)(failure.reason)}`, ctx);
                throw failure.reason;
            }
        }
    }
    finally {
        for (const run of runs)
            await run.host.unlock();
        await connections.close();
    }
}


/***/ }),

/***/ 60835:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   JA: () => (/* binding */ removeReleaseScript),
/* harmony export */   Kn: () => (/* binding */ parseInspection),
/* harmony export */   MK: () => (/* binding */ runInScript),
/* harmony export */   Q7: () => (/* binding */ INSPECT_BODY),
/* harmony export */   Y1: () => (/* binding */ inspectScript),
/* harmony export */   t4: () => (/* binding */ partialName)
/* harmony export */ });
/* harmony import */ var _core_shell_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(36673);
/* harmony import */ var _activation_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(14301);
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
    return (0,_core_shell_js__WEBPACK_IMPORTED_MODULE_0__/* .withVars */ .Jj)({ root }, INSPECT_BODY);
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
    return { current, releases: releases.sort(), rsync, history: (0,_activation_js__WEBPACK_IMPORTED_MODULE_1__/* .activations */ .UG)((0,_activation_js__WEBPACK_IMPORTED_MODULE_1__/* .parseHistoryLines */ .hT)(lines)), partials };
}
/**
 * Runs a user command inside a directory of the layout, with the deploy facts in its environment;
 * DEPLOY_KIT_ROOT is the absolute deploy root, so the command may cd anywhere.
 */
function runInScript(root, dir, command, env) {
    const exports = Object.keys(env).map((name) => `export ${name}`);
    return (0,_core_shell_js__WEBPACK_IMPORTED_MODULE_0__/* .withVars */ .Jj)({ root, dir, command, ...env }, `
${exports.join('\n')}
DEPLOY_KIT_ROOT="$(cd "$root" && pwd -P)"
export DEPLOY_KIT_ROOT
cd "$root/$dir"
exec bash --noprofile --norc -eo pipefail -c "$command"
`);
}
function removeReleaseScript(root, release) {
    return (0,_core_shell_js__WEBPACK_IMPORTED_MODULE_0__/* .withVars */ .Jj)({ root, release }, `
cd "$root"
if [ "$(basename "$(readlink current 2>/dev/null || true)")" = "$release" ]; then exit 0; fi
rm -rf "releases/$release" "releases/.$release.partial"
`);
}


/***/ }),

/***/ 14722:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   H3: () => (/* binding */ RELEASE_LOCK_BODY),
/* harmony export */   SU: () => (/* binding */ heartbeatScript),
/* harmony export */   Sr: () => (/* binding */ heartbeatIntervalMs),
/* harmony export */   kV: () => (/* binding */ lockConfig),
/* harmony export */   mU: () => (/* binding */ parseLockAttempt),
/* harmony export */   s: () => (/* binding */ releaseLockScript),
/* harmony export */   xD: () => (/* binding */ acquireLockScript)
/* harmony export */ });
/* harmony import */ var _core_shell_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(36673);

/** The deploy lock settings from lock-wait and lock-ttl. */
function lockConfig(inputs) {
    return { waitMs: inputs['lock-wait'], ttlMs: inputs['lock-ttl'] };
}
/**
 * mkdir is atomic, so the first run to create the lock directory holds it. The holder renews
 * `heartbeat` (heartbeatScript); a lock whose heartbeat is older than the TTL was left by a run
 * that died: it is stale and taken over, by one run only, and the script reports whose it was.
 * `then` (a fixed script body, never user text) runs right after the lock is taken, in the same
 * round trip: deploy and rollback inspect the layout there.
 */
function acquireLockScript(root, owner, ttlSeconds, then = '') {
    return (0,_core_shell_js__WEBPACK_IMPORTED_MODULE_0__/* .withVars */ .Jj)({ root, info: JSON.stringify(owner), token: owner.token, ttl: String(ttlSeconds) }, `
lock="$root/.deploy-kit/lock"
mkdir -p "$root/.deploy-kit"
take() {
  mkdir "$lock" 2>/dev/null || return 1
  printf '%s\\n' "$info" > "$lock/owner.json"
  printf '%s\\n' "$token" > "$lock/token"
  date +%s > "$lock/started"
  date +%s > "$lock/heartbeat"
}
got=""
if take; then
  got=acquired
  echo "lock=acquired"
else
  # The token first: the age read after it belongs to that holder or a newer one, never an older one.
  seen=$(cat "$lock/token" 2>/dev/null || true)
  holder=$(cat "$lock/owner.json" 2>/dev/null || echo '{}')
  beat=$(cat "$lock/heartbeat" 2>/dev/null || cat "$lock/started" 2>/dev/null || true)
  # A lock whose heartbeat is not written yet is being taken right now: date it by its directory.
  case "$beat" in ''|*[!0-9]*) beat=$(stat -c %Y "$lock" 2>/dev/null || date +%s) ;; esac
  age=$(( $(date +%s) - beat ))
  if [ "$age" -gt "$ttl" ]; then
    # Breaking a stale lock takes a second mutex, so two runs that both judged it stale cannot both
    # break it (the second would remove the first one's fresh lock). Under it, the lock must still
    # be the one judged stale; a mutex left by a run killed mid-takeover is removed after a minute.
    mutex="$lock.takeover"
    if mkdir "$mutex" 2>/dev/null; then
      if [ "$(cat "$lock/token" 2>/dev/null || true)" = "$seen" ]; then
        stale="$lock.stale.$$"
        if mv -T "$lock" "$stale" 2>/dev/null; then rm -rf "$stale"; fi
        if take; then got=taken-over; fi
      fi
      rmdir "$mutex"
    elif [ $(( $(date +%s) - $(stat -c %Y "$mutex" 2>/dev/null || date +%s) )) -gt 60 ]; then
      rmdir "$mutex" 2>/dev/null || true
    fi
  fi
  if [ -n "$got" ]; then echo "lock=taken-over"; else echo "lock=held"; fi
  echo "holder=$holder"
  echo "age=$age"
fi
if [ -n "$got" ]; then
${then || ':'}
fi
`);
}
/** Renews the heartbeat if this run still holds the lock; prints beat=ok, or beat=lost after a takeover. */
function heartbeatScript(root, token) {
    return (0,_core_shell_js__WEBPACK_IMPORTED_MODULE_0__/* .withVars */ .Jj)({ root, token }, `
lock="$root/.deploy-kit/lock"
if [ "$(cat "$lock/token" 2>/dev/null || true)" = "$token" ]; then
  date +%s > "$lock/heartbeat.$$" && mv -f "$lock/heartbeat.$$" "$lock/heartbeat"
  echo "beat=ok"
else
  echo "beat=lost"
fi
`);
}
/** How often the holder renews its heartbeat: a quarter of the TTL, between 1 and 10 seconds. */
function heartbeatIntervalMs(ttlMs) {
    return Math.min(10_000, Math.max(1000, Math.floor(ttlMs / 4)));
}
/** Expects $root and $token: removes the lock only if this run still holds it. */
const RELEASE_LOCK_BODY = `
lock="$root/.deploy-kit/lock"
if [ "$(cat "$lock/token" 2>/dev/null || true)" = "$token" ]; then rm -rf "$lock"; fi
`;
/** Removes the lock only if this run still holds it (it may have been taken over as stale). */
function releaseLockScript(root, token) {
    return (0,_core_shell_js__WEBPACK_IMPORTED_MODULE_0__/* .withVars */ .Jj)({ root, token }, RELEASE_LOCK_BODY);
}
function parseLockAttempt(stdout) {
    const field = (name) => new RegExp(`^${name}=(.*)$`, 'm').exec(stdout)?.[1] ?? '';
    const state = field('lock');
    return {
        state: state === 'acquired' || state === 'taken-over' ? state : 'held',
        holder: field('holder'),
        ageSeconds: Number(field('age') || 0),
    };
}


/***/ }),

/***/ 41495:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   STATE_LOCKS: () => (/* binding */ STATE_LOCKS),
/* harmony export */   releasePost: () => (/* binding */ releasePost)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(74296);
/* harmony import */ var _ssh_connect_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(81456);
/* harmony import */ var _lock_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(14722);
/* harmony import */ var _upload_local_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(92764);
/* harmony import */ var _upload_ssh_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(26141);







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

/***/ 89321:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AG: () => (/* binding */ swarmRollbackInputs),
/* harmony export */   Ui: () => (/* binding */ swarmInputs),
/* harmony export */   YI: () => (/* binding */ applySwarmMode),
/* harmony export */   vp: () => (/* binding */ withoutSwarm)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(74296);
/* harmony import */ var _core_inputs_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(89114);
/* harmony import */ var _core_shell_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(36673);
/* harmony import */ var _compose_project_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(81613);
/* harmony import */ var _stack_file_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6129);





/**
 * The inputs `mode: swarm` adds to backend and rollback. `mode` replaces compose's own choice (it is
 * spread after composeInputs); `compose-file` is the stack file.
 */
const STACK_NAME = /^[a-z0-9][a-z0-9_-]{0,49}$/;
const STACK_NAME_TEXT = 'a stack name of lower-case letters, digits, "_" and "-" (up to 50, starting with a letter or digit)';
/** Rollback's: it deploys the stack file a release was deployed with, so there are no defaults to apply. */
const swarmRollbackInputs = {
    mode: (0,_core_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .choice */ .Yq)(['release', 'compose', 'swarm'], 'release'),
    stack: (0,_core_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .pattern */ .T1)(STACK_NAME, STACK_NAME_TEXT),
};
const swarmInputs = { ...swarmRollbackInputs, 'swarm-defaults': (0,_core_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .bool */ .lc)(true) };
/** The inputs as the release and compose builders read them: a swarm release is, to them, a plain release. */
function withoutSwarm(inputs) {
    return { ...inputs, mode: inputs.mode === 'swarm' ? 'release' : inputs.mode };
}
/** Turns a release-mode config into a swarm one (backend and rollback); every check runs before any connection. */
function applySwarmMode(config, inputs, report) {
    if (inputs.mode !== 'swarm') {
        const stray = inputs.stack !== undefined ? 'stack' : undefined;
        if (stray)
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`input "${stray}": only used with mode: swarm (mode is ${inputs.mode})`);
        return config;
    }
    if (config.switch?.kind === 'blue-green')
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1('input "switch": mode swarm rolls services with Swarm\'s own update_config; leave switch at restart');
    if (config.restartCommand)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1('input "restart-command": not used with mode swarm; docker stack deploy starts the release');
    if (inputs['compose-project'])
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1('input "compose-project": not used with mode swarm; name the stack with "stack"');
    const stack = inputs.stack ?? (0,_compose_project_js__WEBPACK_IMPORTED_MODULE_3__/* .composeProject */ .O)(config.root, undefined);
    if (!STACK_NAME.test(stack)) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`input "stack": the default from path's last segment is ${JSON.stringify(stack)}; expected ${STACK_NAME_TEXT}`);
    }
    const swarm = {
        stack,
        file: inputs['compose-file'],
        rendered: '',
        timeoutMs: config.health.timeoutMs,
        ...(report ? { report } : {}),
    };
    if (config.source !== undefined) {
        const checked = (0,_stack_file_js__WEBPACK_IMPORTED_MODULE_2__/* .checkStackFile */ .RB)(config.source, inputs['compose-file'], inputs['swarm-defaults'] ?? true);
        const long = Object.keys(checked.images).filter((name) => stack.length + 1 + name.length > 63);
        if (long.length > 0)
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`input "stack": ${stack}_<service> must fit in 63 characters; too long for ${long.join(', ')}`);
        Object.assign(swarm, { rendered: checked.rendered, content: checked.content, services: Object.keys(checked.images) });
    }
    else {
        swarm.rendered = checkStackPathOnly(inputs['compose-file']);
    }
    return { ...config, switch: { kind: 'swarm', ...swarm } };
}
/** Rollback has no local source: only the path's shape is checked, the file is the one in the release. */
function checkStackPathOnly(file) {
    if (!(0,_core_shell_js__WEBPACK_IMPORTED_MODULE_4__/* .isSafeRelativePath */ .VH)(file))
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`input "compose-file": expected a path relative to the release without "..", got ${JSON.stringify(file)}`);
    return (0,_stack_file_js__WEBPACK_IMPORTED_MODULE_2__/* .renderedPath */ .$o)(file);
}


/***/ }),

/***/ 79037:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $: () => (/* binding */ pickSwarmManager)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(74296);
/* harmony import */ var _ssh_target_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(64889);
/* harmony import */ var _connect_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(49012);
/* harmony import */ var _scripts_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(14162);




/**
 * `hosts` in `mode: swarm` are managers of one swarm; the first one that answers as an active
 * manager is the one the release goes to (deploying to every manager would deploy the stack N times).
 * Each manager keeps its own release layout, so the docs advise one primary manager.
 */
async function pickSwarmManager(config, ctx) {
    const candidates = config.transport === 'local' ? [undefined] : config.hosts;
    const tried = [];
    for (const target of candidates) {
        const one = target ? { ...config, hosts: [target] } : config;
        let label = target ? (0,_ssh_target_js__WEBPACK_IMPORTED_MODULE_1__/* .targetLabel */ .Op)(target) : 'local';
        try {
            const connections = await (0,_connect_js__WEBPACK_IMPORTED_MODULE_2__/* .connect */ .N)(one, ctx);
            try {
                const host = connections.hosts[0];
                label = host.label;
                const check = (0,_scripts_js__WEBPACK_IMPORTED_MODULE_3__/* .parseManagerCheck */ .VO)(await host.script('checking the swarm', (0,_scripts_js__WEBPACK_IMPORTED_MODULE_3__/* .managerCheckScript */ .rs)()));
                if (check.manager) {
                    if (tried.length > 0)
                        ctx.logger.warning(`swarm: using manager ${label}; skipped ${tried.join('; ')}`);
                    else
                        ctx.logger.info(`swarm: using manager ${label}`);
                    return one;
                }
                tried.push(`${label}: not an active swarm manager (swarm state ${check.state})`);
            }
            finally {
                await connections.close();
            }
        }
        catch (error) {
            // A missing key or a bad input is the same on every host: say it as it is.
            if (error instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1)
                throw error;
            tried.push(`${label}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error).split('\n')[0]}`);
        }
    }
    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .OperationalError */ .LE(`no swarm manager among hosts: ${tried.join('; ')}`, 'list manager nodes in hosts (docker node ls on a manager shows them); a worker cannot deploy a stack, and a host that is not in a swarm needs docker swarm init or join');
}


/***/ }),

/***/ 14162:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DO: () => (/* binding */ stackDeployScript),
/* harmony export */   VO: () => (/* binding */ parseManagerCheck),
/* harmony export */   Wz: () => (/* binding */ snapshotScript),
/* harmony export */   rs: () => (/* binding */ managerCheckScript),
/* harmony export */   yv: () => (/* binding */ writeRenderedScript)
/* harmony export */ });
/* harmony import */ var _core_shell_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(36673);

/** The remote scripts of `mode: swarm`; user values enter only through withVars. */
/** Prints `swarm=<LocalNodeState> <ControlAvailable>`, e.g. `swarm=active true` on a manager. */
function managerCheckScript() {
    return (0,_core_shell_js__WEBPACK_IMPORTED_MODULE_0__/* .withVars */ .Jj)({}, `
command -v docker >/dev/null 2>&1 || { echo "docker is not installed for this user" >&2; exit 127; }
echo "swarm=$(docker info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}')"
`);
}
function parseManagerCheck(stdout) {
    const [state, control] = (/^swarm=(.*)$/m.exec(stdout)?.[1] ?? '').trim().split(/\s+/);
    return { state: state || 'unknown', manager: state === 'active' && control === 'true' };
}
/** Writes the rendered stack file into a release (deploy only; before `current` moves). */
function writeRenderedScript(root, release, rendered, content) {
    return (0,_core_shell_js__WEBPACK_IMPORTED_MODULE_0__/* .withVars */ .Jj)({ root, release, rendered, content }, `printf '%s' "$content" > "$root/releases/$release/$rendered"`);
}
/**
 * `docker stack deploy` of a release's stack file, run in the file's directory so relative
 * env_file paths resolve inside that release. A release without the rendered file (deployed before
 * the kit rendered one) deploys its compose-file as it is.
 */
function stackDeployScript(options) {
    return (0,_core_shell_js__WEBPACK_IMPORTED_MODULE_0__/* .withVars */ .Jj)({ ...options }, `
dir="$root/releases/$release"
if [ -f "$dir/$rendered" ]; then path="$rendered"; elif [ -f "$dir/$file" ]; then path="$file"; else
  echo "release $release has neither $rendered nor $file" >&2; exit 66
fi
cd "$dir/$(dirname "$path")"
docker stack deploy --with-registry-auth --prune --compose-file "$(basename "$path")" "$stack" 2>&1
`);
}
/**
 * The stack's services (`docker service inspect`) and all their tasks still in the task history
 * (`docker inspect --type task`), as two JSON arrays after marker lines. A task that vanishes
 * between the two calls is left out rather than failing the read.
 */
function snapshotScript(stack) {
    return (0,_core_shell_js__WEBPACK_IMPORTED_MODULE_0__/* .withVars */ .Jj)({ stack }, `
ids=$(docker service ls -q --filter "label=com.docker.stack.namespace=$stack")
echo "=services"
if [ -n "$ids" ]; then docker service inspect $ids; else echo '[]'; fi
echo "=tasks"
tasks=""
if [ -n "$ids" ]; then tasks=$(docker service ps -q --no-trunc $ids 2>/dev/null || true); fi
if [ -n "$tasks" ]; then docker inspect --type task $tasks 2>/dev/null || true; else echo '[]'; fi
`);
}


/***/ }),

/***/ 6129:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $o: () => (/* binding */ renderedPath),
/* harmony export */   RB: () => (/* binding */ checkStackFile),
/* harmony export */   kM: () => (/* binding */ RENDERED_NAME)
/* harmony export */ });
/* unused harmony exports SWARM_DEFAULTS, checkStackText, applySwarmDefaults */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(38815);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(74296);
/* harmony import */ var _core_shell_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(36673);





/**
 * The stack file of `mode: swarm`, checked on the runner before anything remote happens: present,
 * parseable, every service's image pinned by digest and none built (`build:` is not a thing Swarm
 * does). With `swarm-defaults`, a service that omits them gets the rolling-update settings that make
 * an update zero-downtime and self-healing; the file the kit deploys is written beside the user's.
 */
const DIGEST_REF = /^[a-z0-9][a-z0-9._:/-]*@sha256:[0-9a-f]{64}$/;
const SERVICE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;
/** The settings `swarm-defaults: true` adds where a service leaves them out (one key at a time). */
const SWARM_DEFAULTS = {
    update_config: { order: 'start-first', failure_action: 'rollback', monitor: '10s' },
    rollback_config: { order: 'start-first' },
};
/** The file name, beside the user's stack file, of the stack file the kit deploys (defaults applied). */
const RENDERED_NAME = '.deploy-kit-stack.yaml';
const isMapping = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
/** The rendered file's path for a stack file path (same directory, so relative env_file paths still resolve). */
function renderedPath(file) {
    const dir = node_path__WEBPACK_IMPORTED_MODULE_1__.posix.dirname(file);
    return dir === '.' ? RENDERED_NAME : `${dir}/${RENDERED_NAME}`;
}
/** Parses and checks a stack file's text; `where` names it in messages. */
function checkStackText(text, where) {
    let doc;
    try {
        doc = ((0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .parse */ .qg)(text) ?? {});
    }
    catch (error) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j1(`input "compose-file": ${where} is not valid YAML: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .errorMessage */ .gJ)(error)}`);
    }
    if (!isMapping(doc))
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j1(`input "compose-file": ${where} is not a mapping of services`);
    const version = doc.version === undefined ? undefined : String(doc.version);
    if (version !== undefined && !/^3(\.\d+)?$/.test(version)) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j1(`input "compose-file": ${where} says version ${JSON.stringify(version)}; docker stack deploy reads compose file format 3 (version "3.8", or no version)`);
    }
    const services = Object.entries(isMapping(doc.services) ? doc.services : {});
    if (services.length === 0)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j1(`input "compose-file": ${where} defines no services`);
    const badNames = services.map(([name]) => name).filter((name) => !SERVICE_NAME.test(name));
    if (badNames.length > 0) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j1(`input "compose-file": service names must be letters, digits, "_", "." or "-" (up to 63); got ${badNames.map((n) => JSON.stringify(n)).join(', ')}`);
    }
    const images = {};
    const unpinned = [];
    for (const [name, service] of services) {
        const image = isMapping(service) && typeof service.image === 'string' ? service.image : undefined;
        const build = isMapping(service) && service.build !== undefined;
        if (build || !image || !DIGEST_REF.test(image))
            unpinned.push(`${name} (${build ? 'build:' : (image ?? 'no image')})`);
        else
            images[name] = image;
    }
    if (unpinned.length > 0) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j1(`input "compose-file": every service must use an image pinned by digest (repo@sha256:...) and no build:, so every node runs the same bits; not pinned: ${unpinned.join(', ')}`);
    }
    return { doc, images };
}
/** Adds SWARM_DEFAULTS where a service omits them; returns the names of the services that got any. */
function applySwarmDefaults(doc) {
    const changed = [];
    for (const [name, service] of Object.entries(doc.services ?? {})) {
        if (!isMapping(service))
            continue;
        const deploy = isMapping(service.deploy) ? service.deploy : {};
        let added = false;
        for (const [section, defaults] of Object.entries(SWARM_DEFAULTS)) {
            const current = isMapping(deploy[section]) ? deploy[section] : {};
            for (const [key, value] of Object.entries(defaults)) {
                if (current[key] === undefined) {
                    current[key] = value;
                    added = true;
                }
            }
            deploy[section] = current;
        }
        service.deploy = deploy;
        if (added)
            changed.push(name);
    }
    // rollback_config and failure_action: rollback need format 3.7.
    const minor = /^3\.(\d+)$/.exec(String(doc.version ?? ''))?.[1];
    if (changed.length > 0 && (doc.version === '3' || doc.version === 3 || (minor !== undefined && Number(minor) < 7)))
        doc.version = '3.8';
    return changed;
}
/** Reads and checks the stack file in the release source and renders the file the kit deploys. */
function checkStackFile(source, file, defaults) {
    if (!(0,_core_shell_js__WEBPACK_IMPORTED_MODULE_4__/* .isSafeRelativePath */ .VH)(file))
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j1(`input "compose-file": expected a path relative to the source without "..", got ${JSON.stringify(file)}`);
    const path = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(source, file);
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(path))
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j1(`input "compose-file": ${path} does not exist in the release source`);
    const { doc, images } = checkStackText((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(path, 'utf8'), path);
    if (defaults)
        applySwarmDefaults(doc);
    // docker stack deploy before Docker 25 refuses a file without a version.
    const content = (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .stringify */ .As)(doc.version === undefined ? { version: '3.8', ...doc } : doc);
    return { file, rendered: renderedPath(file), content, images };
}


/***/ }),

/***/ 24288:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  U: () => (/* binding */ switchStrategy)
});

// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(74296);
// EXTERNAL MODULE: ./src/core/retry.ts
var retry = __webpack_require__(27253);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(57975);
;// CONCATENATED MODULE: ./src/release/swarm/converge.ts

function parseSnapshot(stdout) {
    const services = /^=services\n([\s\S]*?)^=tasks\n/m.exec(stdout)?.[1];
    const tasks = /^=tasks\n([\s\S]*)$/m.exec(stdout)?.[1];
    if (services === undefined || tasks === undefined)
        throw new Error(`unexpected output reading the stack: ${stdout.slice(0, 200)}`);
    const json = (text) => (text.trim() ? JSON.parse(text) : []);
    return { services: json(services), tasks: json(tasks) };
}
const FAILED_TASK = new Set(['failed', 'rejected', 'orphaned']);
const PAUSED = new Set(['paused', 'update_paused', 'rollback_paused']);
const shortName = (name, stack) => (name.startsWith(`${stack}_`) ? name.slice(stack.length + 1) : name);
const imageOf = (spec) => spec?.ContainerSpec?.Image ?? '';
/** A failed task as `docker service ps --no-trunc` would show it: name, image, state, error. */
function describeTask(task, service) {
    const error = task.Status.Err ?? task.Status.Message ?? '';
    return `${service}.${task.Slot ?? task.ID.slice(0, 12)} (${imageOf(task.Spec)}): ${task.Status.State}${error ? `: ${error}` : ''}`;
}
function reportServices(snapshot, stack) {
    const out = {};
    for (const service of snapshot.services) {
        const image = imageOf(service.Spec.TaskTemplate);
        const mine = snapshot.tasks.filter((t) => t.ServiceID === service.ID && t.DesiredState === 'running');
        const running = mine.filter((t) => t.Status.State === 'running' && imageOf(t.Spec) === image).length;
        const desired = service.Spec.Mode?.Global ? mine.length : (service.Spec.Mode?.Replicated?.Replicas ?? 1);
        out[shortName(service.Spec.Name, stack)] = { image, digest: /@(sha256:[0-9a-f]{64})$/.exec(image)?.[1], running, desired };
    }
    return out;
}
/** Judges the stack after a deploy against the snapshot taken just before it. */
function judge(before, after, stack, expected) {
    const services = reportServices(after, stack);
    const known = new Map(before.services.map((s) => [s.ID, s]));
    const oldTasks = new Set(before.tasks.map((t) => t.ID));
    const waiting = [];
    const reasons = [];
    const rolledBack = [];
    const taskErrors = [];
    let changedOthers = 0;
    const missing = expected.filter((name) => !services[name]);
    if (missing.length > 0)
        waiting.push(`${missing.join(', ')} not created yet`);
    for (const service of after.services) {
        const name = shortName(service.Spec.Name, stack);
        const old = known.get(service.ID);
        const update = service.UpdateStatus;
        const ours = update?.StartedAt !== undefined && update.StartedAt !== old?.UpdateStatus?.StartedAt;
        const templateChanged = old !== undefined && !(0,external_node_util_.isDeepStrictEqual)(old.Spec.TaskTemplate, service.Spec.TaskTemplate);
        const failedTasks = after.tasks.filter((t) => t.ServiceID === service.ID && !oldTasks.has(t.ID) && FAILED_TASK.has(t.Status.State));
        taskErrors.push(...failedTasks.map((t) => describeTask(t, name)));
        const state = ours ? (update?.State ?? '') : '';
        if (state === 'rollback_completed') {
            rolledBack.push(name);
            reasons.push(`${name}: Swarm rolled the update back by itself (${update?.Message ?? 'rollback_completed'})`);
            continue;
        }
        if (templateChanged)
            changedOthers += 1;
        if (PAUSED.has(state)) {
            reasons.push(`${name}: the update is ${state} (${update?.Message ?? 'no message'})`);
            continue;
        }
        if (state === 'updating' || state === 'rollback_started') {
            waiting.push(`${name}: ${state}`);
            continue;
        }
        // Swarm judges an update with failure_action rollback itself; a new service or any other
        // failure action has nobody to do that, so this deploy's failed task is the verdict.
        const swarmDecides = old !== undefined && templateChanged && service.Spec.UpdateConfig?.FailureAction === 'rollback';
        const image = imageOf(service.Spec.TaskTemplate);
        const newFailures = failedTasks.filter((t) => imageOf(t.Spec) === image);
        if (newFailures.length > 0 && !swarmDecides) {
            reasons.push(`${name}: ${newFailures.length} task(s) of ${image} failed`);
            continue;
        }
        if (templateChanged && !ours) {
            waiting.push(`${name}: update not started yet`);
            continue;
        }
        const report = services[name];
        const stale = after.tasks.filter((t) => t.ServiceID === service.ID && t.DesiredState === 'running' && (t.Status.State !== 'running' || imageOf(t.Spec) !== image));
        if (report.running < report.desired || stale.length > 0) {
            const states = stale.map((t) => t.Status.State).join(', ');
            waiting.push(`${name}: ${report.running}/${report.desired} running${states ? ` (others ${states})` : ''}`);
        }
    }
    if (reasons.length > 0) {
        const added = after.services.filter((s) => !known.has(s.ID)).length;
        const removed = before.services.filter((s) => !after.services.some((a) => a.ID === s.ID)).length;
        const swarmRestoredAll = rolledBack.length > 0 && changedOthers === 0 && added === 0 && removed === 0;
        return { state: 'failed', services, rolledBack, swarmRestoredAll, reasons, taskErrors };
    }
    if (waiting.length > 0)
        return { state: 'waiting', reason: waiting.join('; ') };
    return { state: 'converged', services };
}

// EXTERNAL MODULE: ./src/release/swarm/scripts.ts
var scripts = __webpack_require__(14162);
;// CONCATENATED MODULE: ./src/release/swarm/strategy.ts




/**
 * `mode: swarm` as a switch strategy, so deploy and rollback keep their fixed sequence (lock,
 * upload, before-switch, switch, health-url, revert, history): activate switches `current`, runs
 * `docker stack deploy` of the release's stack file and waits until the stack has converged;
 * revert deploys the previous release's stack file again, unless Swarm already put every changed
 * service back by itself (`update_config.failure_action: rollback`), which it then says.
 */
function swarmStrategy(config, ctx) {
    /** The last failed wait per host, so revert knows whether Swarm already rolled back. */
    const failures = new Map();
    const snapshot = async (host) => parseSnapshot(await host.script(`reading stack ${config.stack}`, (0,scripts/* snapshotScript */.Wz)(config.stack)));
    async function deployStack(host, release) {
        const before = await snapshot(host);
        const script = (0,scripts/* stackDeployScript */.DO)({ root: host.root, release, rendered: config.rendered, file: config.file, stack: config.stack });
        const output = await host.script(`docker stack deploy of ${release}`, script);
        if (output.trim())
            ctx.logger.info((0,errors/* tail */.RT)(output, 30));
        return before;
    }
    /** Polls the stack until it converges or fails; every attempt is one SSH round trip. */
    async function waitFor(host, release, before, expected) {
        const started = ctx.clock.now();
        const result = await (0,retry/* pollUntil */.g)({
            what: `stack ${config.stack} to converge on ${release} on ${host.label}`,
            timeoutMs: config.timeoutMs,
            clock: ctx.clock,
            initialDelayMs: 500,
            maxDelayMs: 2000,
        }, async () => {
            const verdict = judge(before, await snapshot(host), config.stack, expected);
            return verdict.state === 'waiting' ? { done: false, reason: verdict.reason } : { done: true, value: verdict };
        });
        const seconds = (ctx.clock.now() - started) / 1000;
        const verdict = result.value;
        if (config.report)
            config.report.services = verdict.services;
        ctx.logger.info(`${host.label}: stack ${config.stack} ${verdict.state} on ${release} after ${seconds.toFixed(1)}s (${result.attempts} reads)`);
        return { verdict, seconds };
    }
    function failure(host, release, verdict) {
        const swarm = verdict.rolledBack.length > 0 ? ` Swarm rolled back ${verdict.rolledBack.join(', ')} by itself.` : '';
        const tasks = verdict.taskErrors.length > 0
            ? `\nfailed tasks (docker service ps --no-trunc):\n${[...new Set(verdict.taskErrors)].slice(-10).join('\n')}`
            : '';
        return new errors/* OperationalError */.LE(`${host.label}: stack ${config.stack} did not converge on ${release}: ${verdict.reasons.join('; ')}.${swarm}${tasks}`, `look at docker service ps --no-trunc ${config.stack}_<service> and docker service logs on the manager, fix the release and deploy again`);
    }
    return {
        async activate(host, release, switched) {
            failures.delete(host.label);
            if (config.content !== undefined) {
                await host.script('writing the stack file', (0,scripts/* writeRenderedScript */.yv)(host.root, release, config.rendered, config.content));
            }
            await host.switchTo(release);
            switched();
            const { verdict, seconds } = await ctx.logger.group(`${host.label}: docker stack deploy ${config.stack}`, async () => {
                const before = await deployStack(host, release);
                return waitFor(host, release, before, config.services ?? []);
            });
            if (verdict.state === 'failed') {
                failures.set(host.label, verdict);
                throw failure(host, release, verdict);
            }
            const services = verdict.state === 'converged' ? verdict.services : {};
            const summary = Object.entries(services).map(([name, s]) => `${name} ${s.running}/${s.desired}`);
            return [`stack ${config.stack} converged in ${seconds.toFixed(1)}s: ${summary.join(', ')}`];
        },
        async revert(host, previous, why) {
            const failed = failures.get(host.label);
            failures.delete(host.label);
            await host.switchTo(previous);
            if (!previous) {
                ctx.logger.warning(`${host.label}: the first deploy of stack ${config.stack} failed; it is left as it is for inspection (docker stack rm ${config.stack} removes it)`);
                return;
            }
            if (failed?.swarmRestoredAll) {
                ctx.logger.warning(`${host.label}: Swarm already rolled ${failed.rolledBack.join(', ')} back to the previous spec by itself (update_config.failure_action: rollback); current points at ${previous} again, its stack file is not deployed a second time`);
                return;
            }
            await ctx.logger.group(`${host.label}: ${why}: docker stack deploy ${config.stack} of ${previous}`, async () => {
                const before = await deployStack(host, previous);
                const { verdict } = await waitFor(host, previous, before, []);
                if (verdict.state === 'failed')
                    throw failure(host, previous, verdict);
            });
        },
    };
}

// EXTERNAL MODULE: ./src/core/health.ts
var core_health = __webpack_require__(54365);
// EXTERNAL MODULE: ./src/core/shell.ts
var shell = __webpack_require__(36673);
;// CONCATENATED MODULE: ./src/release/switch/bluegreen-scripts.ts

/**
 * Remote scripts of the blue/green switch. The kit's state lives next to the lock:
 * <path>/.deploy-kit/active-port, and per port port-<PORT>.pid ("pid starttime"),
 * port-<PORT>.release and port-<PORT>.log; <path>/ports/<PORT> links to the release started there.
 */
/** Prints a process's start time (field 22 of /proc/PID/stat), so a recycled pid is never signalled. */
const STARTTIME_FN = `
starttime() {
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo -; return 0; }
  s=\${s##*) }
  # shellcheck disable=SC2086 # split the stat line into its fields
  set -- $s
  echo "\${20}"
}
# Prints the pid recorded for a port if that process (same start time) still runs.
recorded_pid() {
  local file="$state/port-$1.pid" pid started
  [ -f "$file" ] || return 0
  read -r pid started < "$file" || true
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  [ "$started" = "$(starttime "$pid")" ] || return 0
  echo "$pid"
}
`;
function stateScript(root) {
    return (0,shell/* withVars */.Jj)({ root }, `
state="$root/.deploy-kit"
mkdir -p "$state"
if [ -s "$state/active-port" ]; then echo "active=$(cat "$state/active-port")"; fi
echo "curl=$(command -v curl >/dev/null 2>&1 && echo yes || echo no)"
`);
}
function parseState(stdout) {
    const active = /^active=(\d+)$/m.exec(stdout)?.[1];
    return { active: active ? Number(active) : undefined, curl: /^curl=yes$/m.test(stdout) };
}
/**
 * Starts a release on a port, detached from the SSH session (setsid, no inherited descriptors),
 * in the release's real directory, with PORT and the release in its environment. Refuses a port
 * that something else already listens on, so the health check can only ever reach the new release.
 */
function startInstanceScript(root, release, port, command) {
    return (0,shell/* withVars */.Jj)({ root, release, port: String(port), start_command: command }, `
state="$root/.deploy-kit"
${STARTTIME_FN}
if { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
  exec 3>&-
  echo "port $port is already in use by a process the kit did not start; stop it, or choose other ports" >&2
  exit 30
fi
abs_root=$(cd "$root" && pwd -P)
dir=$(cd "$root/releases/$release" && pwd -P)
log="$state/port-$port.log"
pidfile="$state/port-$port.pid"
[ -f "$log" ] && mv -f "$log" "$log.1"
rm -f "$pidfile"
printf '%s\\n' "$release" > "$state/port-$port.release"
# A stable path per port for units that cannot take the release from the environment (WorkingDirectory=<path>/ports/%i).
mkdir -p "$abs_root/ports"
ln -sfn "../releases/$release" "$abs_root/ports/.$port.tmp"
mv -T "$abs_root/ports/.$port.tmp" "$abs_root/ports/$port"
export PORT="$port" DEPLOY_KIT_RELEASE="$release" DEPLOY_KIT_RELEASE_DIR="$dir" DEPLOY_KIT_ROOT="$abs_root" DEPLOY_KIT_START="$start_command" DEPLOY_KIT_PIDFILE="$pidfile"
export -f starttime
cd "$dir"
setsid bash --noprofile --norc -c 'echo "$$ $(starttime $$)" > "$DEPLOY_KIT_PIDFILE.tmp" && mv -f "$DEPLOY_KIT_PIDFILE.tmp" "$DEPLOY_KIT_PIDFILE"; unset -f starttime; exec bash --noprofile --norc -eo pipefail -c "$DEPLOY_KIT_START"' < /dev/null >> "$log" 2>&1 &
for _ in $(seq 1 50); do [ -f "$pidfile" ] && break; sleep 0.1; done
[ -f "$pidfile" ] || { echo "start-command did not start within 5s; log $log:" >&2; tail -n 20 "$log" >&2; exit 31; }
echo "started=$(cut -d' ' -f1 "$pidfile")"
`);
}
/**
 * Stops what runs on a port: the stop-command when given (PORT and the release in its environment),
 * else SIGTERM to the process group the kit recorded, SIGKILL after `graceSeconds`.
 */
function stopInstanceScript(root, port, stopCommand, graceSeconds) {
    return (0,shell/* withVars */.Jj)({ root, port: String(port), stop_command: stopCommand ?? '', grace: String(graceSeconds) }, `
state="$root/.deploy-kit"
${STARTTIME_FN}
release=$(cat "$state/port-$port.release" 2>/dev/null || true)
if [ -n "$stop_command" ]; then
  abs_root=$(cd "$root" && pwd -P)
  (cd "$abs_root" && PORT="$port" DEPLOY_KIT_RELEASE="$release" DEPLOY_KIT_ROOT="$abs_root" bash --noprofile --norc -eo pipefail -c "$stop_command")
  echo "stopped=command"
else
  pid=$(recorded_pid "$port")
  if [ -n "$pid" ]; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((grace * 10))); do kill -0 -- "-$pid" 2>/dev/null || kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 -- "-$pid" 2>/dev/null || kill -0 "$pid" 2>/dev/null; then
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      echo "killed=$pid"
    else
      echo "stopped=$pid"
    fi
  fi
fi
rm -f "$state/port-$port.pid" "$state/port-$port.release"
`);
}
/**
 * One health probe of 127.0.0.1:<port><path> from the host: curl when present, else a plain
 * HTTP/1.0 request over bash's /dev/tcp. Prints alive=, status= and the body after a "---" line.
 * `routing` sends the public Host (Django's ALLOWED_HOSTS) and X-Forwarded-Proto (SECURE_SSL_REDIRECT).
 */
function probeScript(root, port, path, useCurl, routing = {}) {
    return (0,shell/* withVars */.Jj)({
        root,
        port: String(port),
        path,
        use_curl: useCurl ? 'yes' : 'no',
        host_header: routing.host ?? '',
        forwarded_proto: routing.forwardedProto ?? '',
    }, `
state="$root/.deploy-kit"
${STARTTIME_FN}
if [ -n "$(recorded_pid "$port")" ]; then echo "alive=yes"; else echo "alive=no"; fi
body=$(mktemp)
trap 'rm -f "$body" "$body.raw"' EXIT
code=000
[ -n "$host_header" ] || host_header="127.0.0.1:$port"
extra=()
[ -z "$forwarded_proto" ] || extra=(-H "X-Forwarded-Proto: $forwarded_proto")
if [ "$use_curl" = yes ]; then
  code=$(curl -sS -o "$body" -w '%{http_code}' --max-time 5 -H "Host: $host_header" \${extra[@]+"\${extra[@]}"} "http://127.0.0.1:$port$path" 2>/dev/null) || code=000
elif { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
  proto_line=""
  [ -z "$forwarded_proto" ] || proto_line="X-Forwarded-Proto: $forwarded_proto"$'\\r\\n'
  printf 'GET %s HTTP/1.0\\r\\nHost: %s\\r\\n%sConnection: close\\r\\n\\r\\n' "$path" "$host_header" "$proto_line" >&3
  timeout 5 cat <&3 > "$body.raw" || true
  exec 3>&-
  code=$(head -n 1 "$body.raw" | cut -d' ' -f2)
  sed '1,/^\\r\\{0,1\\}$/d' "$body.raw" > "$body"
fi
echo "status=\${code:-000}"
echo "---"
head -c 2000 "$body"
`);
}
function parseProbe(stdout) {
    const split = stdout.indexOf('\n---\n');
    const head = split >= 0 ? stdout.slice(0, split) : stdout;
    return {
        alive: /^alive=yes$/m.test(head),
        status: Number(/^status=(\d+)$/m.exec(head)?.[1] ?? 0),
        body: split >= 0 ? stdout.slice(split + 5) : '',
    };
}
/** The last lines an instance wrote, for an error message. */
function logTailScript(root, port, lines = 15) {
    return (0,shell/* withVars */.Jj)({ root, port: String(port), lines: String(lines) }, `tail -n "$lines" "$root/.deploy-kit/port-$port.log" 2>/dev/null || true`);
}
function recordActivePortScript(root, port) {
    return (0,shell/* withVars */.Jj)({ root, port: port === undefined ? '' : String(port) }, `
state="$root/.deploy-kit"
if [ -z "$port" ]; then rm -f "$state/active-port"; exit 0; fi
printf '%s\\n' "$port" > "$state/.active-port.tmp"
mv -f "$state/.active-port.tmp" "$state/active-port"
`);
}

;// CONCATENATED MODULE: ./src/release/switch/nginx.ts

/** Exit codes of the switch script, so the error can say which step refused. */
const NGINX_TEST_FAILED = 20;
const NGINX_RELOAD_FAILED = 21;
function upstreamFileContent(port) {
    return `# written by deploy-kit (switch: blue-green); do not edit, the next deploy rewrites it\nserver 127.0.0.1:${port};\n`;
}
/**
 * Points the upstream include at `port`: a temp file renamed over the old one (rename(2)), then
 * the test command, then a graceful reload. If the test or the reload fails, the old file is put
 * back, so the configuration nginx runs with and the one on disk never point at the new port.
 */
function switchUpstreamScript(config, port) {
    return (0,shell/* withVars */.Jj)({
        file: config.upstreamFile,
        port: String(port),
        content: upstreamFileContent(port),
        test_command: config.testCommand,
        reload_command: config.reloadCommand,
    }, `
dir=$(dirname "$file")
base=$(basename "$file")
mkdir -p "$dir"
tmp="$dir/.$base.deploy-kit.$$"
backup="$dir/.$base.deploy-kit-previous"
had=no
if [ -e "$file" ]; then cp -p "$file" "$backup"; had=yes; fi
printf '%s' "$content" > "$tmp"
if [ "$had" = yes ]; then chmod --reference="$backup" "$tmp" 2>/dev/null || true; else chmod 0644 "$tmp"; fi
mv -f "$tmp" "$file"
restore() {
  if [ "$had" = yes ]; then mv -f "$backup" "$file"; else rm -f "$file"; fi
}
if ! out=$(bash --noprofile --norc -c "$test_command" 2>&1); then
  restore
  printf '%s\\n' "$out" >&2
  echo "the nginx configuration test ($test_command) failed with the new upstream; the previous $file is back and nginx was not reloaded" >&2
  exit ${NGINX_TEST_FAILED}
fi
if ! out=$(bash --noprofile --norc -c "$reload_command" 2>&1); then
  restore
  printf '%s\\n' "$out" >&2
  echo "the nginx reload ($reload_command) failed; the previous $file is back" >&2
  exit ${NGINX_RELOAD_FAILED}
fi
rm -f "$backup"
echo "upstream=$port"
`);
}

;// CONCATENATED MODULE: ./src/release/switch/bluegreen.ts





/** Seconds a stopped instance gets between SIGTERM and SIGKILL when the kit stops it itself. */
const STOP_GRACE_SECONDS = 30;
/**
 * Blue/green behind nginx: start the release on the idle port, check it there, point the upstream
 * include at it (nginx -t, graceful reload), switch `current`, record the port, let in-flight
 * requests drain, stop the old instance. Until the reload, the old instance is the one serving;
 * any failure before then stops the new instance and leaves the upstream file as it was.
 */
function blueGreenStrategy(config, health, ctx) {
    const stop = (host, port) => host.script(`stopping the instance on port ${port}`, stopInstanceScript(host.root, port, config.stopCommand, STOP_GRACE_SECONDS));
    const stopQuietly = (host, port) => stop(host, port).catch((error) => ctx.logger.warning(`${host.label}: could not stop the instance on port ${port}: ${(0,errors/* errorMessage */.gJ)(error)}`));
    /** Fails the check with the last lines of the instance's log appended, when there are any. */
    async function failWithLog(host, port, message, separator) {
        const log = await host.script('reading the instance log', logTailScript(host.root, port)).catch(() => '');
        throw new errors/* OperationalError */.LE(`${message}${log.trim() ? `${separator}last lines of .deploy-kit/port-${port}.log:\n${(0,errors/* tail */.RT)(log, 15)}` : ''}`, 'the old instance is still serving; fix the release or start-command and deploy again');
    }
    async function checkPort(host, port, curl) {
        const what = `health check http://127.0.0.1:${port}${config.healthPath} on ${host.label} (expecting ${(0,core_health/* describeExpectation */.uN)(health.expect)})`;
        const result = await (0,retry/* pollUntil */.g)({ what, timeoutMs: health.timeoutMs, clock: ctx.clock, initialDelayMs: 200, maxDelayMs: 2000 }, async () => {
            const probe = parseProbe(await host.script('probing the new instance', probeScript(host.root, port, config.healthPath, curl, health.routing)));
            // A process the kit started that is gone will not come back: stop waiting.
            if (!config.stopCommand && !probe.alive)
                return { done: true, value: { exited: true, detail: `HTTP ${probe.status || 'none'}` } };
            if (probe.status === 0)
                return { done: false, reason: `nothing answers on 127.0.0.1:${port}` };
            const judged = (0,core_health/* judgeResponse */.xB)(probe.status, probe.body, health.expect);
            return judged.done ? { done: true, value: { exited: false, detail: judged.value } } : judged;
        }).catch((error) => failWithLog(host, port, (0,errors/* errorMessage */.gJ)(error), '\n'));
        if (result.value.exited)
            await failWithLog(host, port, `${host.label}: the instance started on port ${port} exited before it was healthy`, '; ');
        return `port ${port}: ${result.value.detail} after ${result.attempts} attempt(s)`;
    }
    async function activate(host, release, switched) {
        const state = parseState(await host.script('reading the blue-green state', stateScript(host.root)));
        const live = state.active;
        const idle = live === config.ports[0] ? config.ports[1] : config.ports[0];
        ctx.logger.info(`${host.label}: live port ${live ?? 'none'}, starting ${release} on port ${idle}${state.curl ? '' : ' (no curl on the host: checking over /dev/tcp)'}`);
        // Whatever a failed run left on the idle port goes first, so the check can only reach this release.
        await stop(host, idle);
        const notes = [];
        await host.script(`start-command for ${release} on port ${idle}`, startInstanceScript(host.root, release, idle, config.startCommand));
        try {
            notes.push(await checkPort(host, idle, state.curl));
            await host.script(`switching nginx to port ${idle}`, switchUpstreamScript(config.nginx, idle));
        }
        catch (error) {
            await stopQuietly(host, idle);
            throw error;
        }
        switched();
        await host.switchTo(release);
        await host.script('recording the active port', recordActivePortScript(host.root, idle));
        if (live !== undefined && live !== idle) {
            ctx.logger.info(`${host.label}: nginx now sends new requests to port ${idle}; draining port ${live} for ${config.drainMs / 1000}s`);
            if (config.drainMs > 0)
                await ctx.clock.sleep(config.drainMs);
            await stopQuietly(host, live);
        }
        return notes;
    }
    return {
        activate,
        async revert(host, previous, why) {
            if (previous) {
                ctx.logger.warning(`${host.label}: ${why}: starting ${previous} again on the idle port`);
                await activate(host, previous, () => undefined);
                return;
            }
            const state = parseState(await host.script('reading the blue-green state', stateScript(host.root)));
            if (state.active !== undefined)
                await stopQuietly(host, state.active);
            await host.script('clearing the active port', recordActivePortScript(host.root, undefined));
            await host.switchTo(undefined);
        },
    };
}

;// CONCATENATED MODULE: ./src/release/switch/restart.ts
/**
 * `restart-command` holds one command per line (a line ending in `\` continues on the next), so the
 * web process, Celery workers and beat each get theirs: `sudo systemctl restart app`, then
 * `sudo systemctl restart celery-worker`, ... Blank lines are ignored.
 */
function restartCommands(text) {
    const commands = [];
    let pending = '';
    for (const line of (text ?? '').split('\n')) {
        const joined = pending + line;
        if (/\\\s*$/.test(joined)) {
            // Kept as written: bash reads backslash-newline as a continuation.
            pending = `${joined}\n`;
            continue;
        }
        pending = '';
        if (joined.trim())
            commands.push(joined.trim());
    }
    if (pending.trim())
        commands.push(pending.trim());
    return commands;
}
function label(command) {
    const first = command.split('\n')[0];
    return first.length > 60 ? `${first.slice(0, 57)}...` : first;
}
/**
 * Runs every restart command in `current`, in order; each must succeed (the first failure stops the
 * rest and fails the step, naming the command). Returns one line per command for the report.
 */
async function runRestarts(host, commands, release, why) {
    const notes = [];
    for (const [index, command] of commands.entries()) {
        const name = commands.length > 1 ? `${why} ${index + 1}/${commands.length} (${label(command)})` : `${why} (${label(command)})`;
        await host.runCommand(name, 'current', command, release);
        notes.push(`restarted: ${label(command)}`);
    }
    return notes;
}
/** `restart`: switch `current`, then run each restart-command in it (systemctl restart, docker compose up -d). */
function restartStrategy(commands, ctx) {
    return {
        async activate(host, release, switched) {
            await host.switchTo(release);
            switched();
            if (commands.length === 0)
                return [];
            return ctx.logger.group(`${host.label}: restart`, () => runRestarts(host, commands, release, 'restart-command'));
        },
        async revert(host, previous, why) {
            await host.switchTo(previous);
            if (previous)
                await runRestarts(host, commands, previous, why);
        },
    };
}
/**
 * Beside another strategy (blue/green runs the web pair): after it has switched, the restart
 * commands restart the processes that are not the web pair (Celery worker, beat), and again after
 * a revert, so they always run the code `current` points at.
 */
function withRestarts(strategy, commands, ctx) {
    if (commands.length === 0)
        return strategy;
    return {
        async activate(host, release, switched) {
            const notes = await strategy.activate(host, release, switched);
            notes.push(...(await ctx.logger.group(`${host.label}: restart`, () => runRestarts(host, commands, release, 'restart-command'))));
            return notes;
        },
        async revert(host, previous, why) {
            await strategy.revert(host, previous, why);
            if (previous)
                await runRestarts(host, commands, previous, why);
        },
    };
}

;// CONCATENATED MODULE: ./src/release/switch/index.ts



/**
 * The strategy a deploy or rollback switches with: blue/green behind nginx (then the restart commands
 * for the other processes), or switch and restart. `restartCommand` holds one command per line.
 */
function switchStrategy(config, options, ctx) {
    const commands = restartCommands(options.restartCommand);
    if (config?.kind === 'blue-green')
        return withRestarts(blueGreenStrategy(config, options.health, ctx), commands, ctx);
    if (config?.kind === 'swarm')
        return swarmStrategy(config, ctx);
    return restartStrategy(commands, ctx);
}


/***/ }),

/***/ 92764:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   h: () => (/* binding */ localTransport)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(74296);
/* harmony import */ var _transport_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(84738);



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

/***/ 26141:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   W: () => (/* binding */ sshTransport)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(74296);
/* harmony import */ var _core_shell_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(36673);
/* harmony import */ var _ssh_session_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(20302);
/* harmony import */ var _ssh_target_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(64889);
/* harmony import */ var _transport_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(84738);







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

/***/ 84738:
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

/***/ 56384:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Eu: () => (/* binding */ withPythonVenv),
/* harmony export */   UJ: () => (/* binding */ ACTIVATE_VENV)
/* harmony export */ });
/* unused harmony exports VENV_DIR, checkRequirementsPath, venvCommand */
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(74296);
/* harmony import */ var _core_shell_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(36673);


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
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`input "python-venv": expected the requirements file, relative to the release (requirements.txt, requirements/prod.txt), got ${JSON.stringify(value)}`);
}
/** The shell lines that build the venv; they run first in the before-switch shell. */
function venvCommand(requirements) {
    const file = (0,_core_shell_js__WEBPACK_IMPORTED_MODULE_1__/* .shellQuote */ .ZL)(requirements);
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


/***/ }),

/***/ 81456:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F3: () => (/* binding */ STATE_SSH_DIR),
/* harmony export */   ix: () => (/* binding */ prepareSsh),
/* harmony export */   re: () => (/* binding */ sshPost)
/* harmony export */ });
/* harmony import */ var _core_missing_secret_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(81360);
/* harmony import */ var _session_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(20302);


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

/***/ 72326:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cI: () => (/* binding */ parseKeyscan),
/* harmony export */   lj: () => (/* binding */ FINGERPRINT)
/* harmony export */ });
/* unused harmony export fingerprintOf */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);

/** The SHA256 fingerprint OpenSSH prints for a public key blob (base64, no padding). */
function fingerprintOf(keyBase64) {
    const digest = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(Buffer.from(keyBase64, 'base64')).digest('base64');
    return `SHA256:${digest.replace(/=+$/, '')}`;
}
/** Parses ssh-keyscan output into known_hosts lines with their fingerprints. */
function parseKeyscan(output) {
    const keys = [];
    for (const raw of output.split('\n')) {
        const line = raw.trim();
        if (line === '' || line.startsWith('#'))
            continue;
        const [, type, key] = line.split(/\s+/);
        if (!type || !key)
            continue;
        keys.push({ line, type, fingerprint: fingerprintOf(key) });
    }
    return keys;
}
const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;


/***/ }),

/***/ 7241:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   M$: () => (/* binding */ sshConnectionInputs),
/* harmony export */   tv: () => (/* binding */ connectionConfig),
/* harmony export */   uV: () => (/* binding */ SSH_SECRET_INPUTS)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(74296);
/* harmony import */ var _core_inputs_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(89114);
/* harmony import */ var _core_shell_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(36673);
/* harmony import */ var _hostkeys_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(72326);
/* harmony import */ var _target_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(64889);






/** The connection inputs every SSH-based action shares (backend, rollback, migrate, frontend, backup). */
const sshConnectionInputs = {
    transport: (0,_core_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .choice */ .Yq)(['ssh', 'local'], 'ssh'),
    hosts: (0,_core_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .list */ .p_)(),
    user: (0,_core_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .pattern */ .T1)(_target_js__WEBPACK_IMPORTED_MODULE_4__/* .USER_NAME */ .iw, 'a user name of letters, digits, "_", "." or "-"'),
    'ssh-key': (0,_core_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .content */ .Qs)(),
    'known-hosts': (0,_core_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .content */ .Qs)(),
    'host-fingerprint': (0,_core_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .list */ .p_)(),
    'insecure-skip-host-key-check': (0,_core_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .bool */ .lc)(false),
    'jump-host': (0,_core_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .optionalText */ .mR)(),
    path: (0,_core_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .optionalText */ .mR)(),
    'lock-wait': (0,_core_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .duration */ .p0)('5m'),
    'lock-ttl': (0,_core_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .duration */ .p0)('2m'),
};
const SSH_SECRET_INPUTS = ['ssh-key'];
/** Checks the connection inputs together and builds the config; every failure here is before any connection. */
function connectionConfig(inputs) {
    const root = inputs.path;
    if (!root)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j1('input "path": expected the deploy root on the host, such as /srv/app');
    if (!(0,_core_shell_js__WEBPACK_IMPORTED_MODULE_5__/* .isSafeRemotePath */ .dA)(root) || node_path__WEBPACK_IMPORTED_MODULE_0__.posix.normalize(root) === '/') {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j1(`input "path": expected a path of letters, digits, ".", "_", "-", "/" without ".." or spaces, got ${JSON.stringify(root)}`);
    }
    const base = { root, auth: { hostFingerprints: [], insecureSkipHostKeyCheck: false } };
    if (inputs.transport === 'local')
        return { ...base, transport: 'local', hosts: [] };
    if (inputs.hosts.length === 0)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j1('input "hosts": expected one or more hosts as [user@]host[:port], separated by commas or newlines');
    const hosts = inputs.hosts.map((spec) => {
        try {
            return (0,_target_js__WEBPACK_IMPORTED_MODULE_4__/* .parseTarget */ .hu)(spec, { user: inputs.user });
        }
        catch (error) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j1(`input "hosts": ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(error)}`);
        }
    });
    for (const fp of inputs['host-fingerprint']) {
        if (!_hostkeys_js__WEBPACK_IMPORTED_MODULE_3__/* .FINGERPRINT */ .lj.test(fp))
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j1(`input "host-fingerprint": expected SHA256:<43 base64 characters> as ssh-keygen -lf prints it, got ${JSON.stringify(fp)}`);
    }
    const pinned = Boolean(inputs['known-hosts']) || inputs['host-fingerprint'].length > 0;
    if (pinned && inputs['insecure-skip-host-key-check']) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j1('input "insecure-skip-host-key-check": true would ignore the given known-hosts / host-fingerprint pins; remove it (the pins are checked) or remove the pins');
    }
    if (!pinned && !inputs['insecure-skip-host-key-check']) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j1('input "known-hosts" or "host-fingerprint": one is required to pin the host key (ssh-keyscan -p PORT HOST gives the known_hosts lines); insecure-skip-host-key-check: true accepts any key');
    }
    let jumpHost;
    if (inputs['jump-host']) {
        try {
            jumpHost = (0,_target_js__WEBPACK_IMPORTED_MODULE_4__/* .parseTarget */ .hu)(inputs['jump-host'], { user: inputs.user });
        }
        catch (error) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j1(`input "jump-host": ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(error)}`);
        }
        if (!inputs['known-hosts'] && !inputs['insecure-skip-host-key-check']) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j1('input "known-hosts": with jump-host, pin both hosts in known-hosts (host-fingerprint pins only directly reachable hosts)');
        }
    }
    if (inputs['ssh-key'] && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(inputs['ssh-key'])) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j1('input "ssh-key": expected a private key in OpenSSH or PEM format (-----BEGIN ... PRIVATE KEY-----)');
    }
    return {
        root,
        transport: 'ssh',
        hosts,
        auth: {
            privateKey: inputs['ssh-key'],
            knownHosts: inputs['known-hosts'],
            hostFingerprints: inputs['host-fingerprint'],
            insecureSkipHostKeyCheck: inputs['insecure-skip-host-key-check'],
            jumpHost,
        },
    };
}


/***/ }),

/***/ 20302:
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
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(74296);
/* harmony import */ var _core_shell_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(36673);
/* harmony import */ var _hostkeys_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(72326);
/* harmony import */ var _target_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(64889);






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


/***/ }),

/***/ 64889:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Op: () => (/* binding */ targetLabel),
/* harmony export */   hu: () => (/* binding */ parseTarget),
/* harmony export */   iw: () => (/* binding */ USER_NAME)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(74296);

/** A login name: what the `user` input and the user of `[user@]host` accept. */
const USER_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;
const HOSTNAME = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;
/** Parses `[user@]host[:port]` (IPv6 as `[addr]:port`), rejecting anything a shell or ssh could misread. */
function parseTarget(spec, defaults = {}) {
    const bad = (why) => new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`host ${JSON.stringify(spec)}: ${why}`);
    let rest = spec.trim();
    let user = defaults.user;
    const at = rest.lastIndexOf('@');
    if (at >= 0) {
        user = rest.slice(0, at);
        rest = rest.slice(at + 1);
    }
    if (user !== undefined && !USER_NAME.test(user))
        throw bad('the user must be letters, digits, "_", "." or "-"');
    let host = rest;
    let port = defaults.port ?? 22;
    const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
    if (v6) {
        host = v6[1];
        if (!IPV6.test(host))
            throw bad('not an IPv6 address');
        if (v6[2])
            port = Number(v6[2]);
    }
    else {
        const colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            host = rest.slice(0, colon);
            const portText = rest.slice(colon + 1);
            if (!/^\d{1,5}$/.test(portText))
                throw bad('the port must be a number');
            port = Number(portText);
        }
        if (!HOSTNAME.test(host))
            throw bad('expected a host name or IP address (letters, digits, "." and "-")');
    }
    if (port < 1 || port > 65535)
        throw bad('the port must be from 1 to 65535');
    return { user, host, port };
}
/** How a target is named in logs, outputs and history. */
function targetLabel(target) {
    const host = target.host.includes(':') ? `[${target.host}]` : target.host;
    return `${target.user ? `${target.user}@` : ''}${host}${target.port === 22 ? '' : `:${target.port}`}`;
}


/***/ })

};
